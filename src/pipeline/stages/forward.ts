import type { JsonObject, WireFormat } from "../../canonical/extras.ts";
import type { CanonicalRequest } from "../../canonical/request.ts";
import type { UpstreamTransport } from "../../http/upstream-transport.ts";
import type { PrepareCall } from "../../../adapters/provider.ts";
import { passthroughRequestHeaders } from "../../http/passthrough-headers.ts";
import type { PassthroughInfo, RequestContext, Target } from "../context.ts";
import type { Stage } from "../stage.ts";

/** Formats whose request body names the model (Gemini and Bedrock put it in the URL). */
const MODEL_IN_BODY: ReadonlySet<WireFormat> = new Set(["openai-chat", "openai-responses", "anthropic", "cohere"]);

/**
 * The body to send upstream. When the client speaks the upstream's format and no stage changed
 * the request, the client's own body goes on with only the model replaced, so fields the
 * canonical model does not know reach the provider untouched; otherwise the canonical request
 * is encoded for the upstream format.
 */
export function upstreamBody(ctx: RequestContext, target: Target): JsonObject {
  const askUsage = ctx.request.stream && target.provider.streamUsageOption === true && target.format === "openai-chat";
  if (target.format === ctx.clientFormat && !ctx.requestChanged) {
    const body: JsonObject = MODEL_IN_BODY.has(target.format) ? { ...ctx.body, model: target.model } : { ...ctx.body };
    if (askUsage) body.stream_options = { ...(ctx.body.stream_options as JsonObject | undefined), include_usage: true };
    if (target.provider.strictMessages && Array.isArray(body.messages)) body.messages = withoutForeignFields(body.messages);
    return body;
  }
  const request: CanonicalRequest = askUsage ? { ...ctx.request, streamUsage: true } : ctx.request;
  return target.codec.encodeRequest(request, target.provider.requestOptions);
}

/** Fields the proxy (or another gateway) writes on assistant messages that strict servers refuse. */
const FOREIGN_ASSISTANT_FIELDS = ["reasoning_content", "reasoning_details", "reasoning"];

function withoutForeignFields(messages: unknown[]): unknown[] {
  return messages.map((m) => {
    if (typeof m !== "object" || m === null || (m as JsonObject).role !== "assistant") return m;
    if (!FOREIGN_ASSISTANT_FIELDS.some((f) => f in (m as JsonObject))) return m;
    const copy: JsonObject = { ...(m as JsonObject) };
    for (const f of FOREIGN_ASSISTANT_FIELDS) delete copy[f];
    return copy;
  });
}

/** Sends the request upstream; delivery (reading and translating the answer) follows. */
export function forward(transport: UpstreamTransport): Stage {
  return {
    name: "forward",
    async request(ctx: RequestContext) {
      const target = ctx.target;
      if (!target) throw new Error("forward stage reached without a target");
      const call = ctx.passthrough ? await passthroughCall(ctx, ctx.passthrough, target) : routerCall(ctx, target);
      ctx.upstream = await transport.send(await target.provider.prepare(call), ctx.abort.signal);
    },
  };
}

function routerCall(ctx: RequestContext, target: Target): PrepareCall {
  return {
    operation: ctx.request.stream ? "stream" : "generate",
    format: target.format,
    model: target.model,
    body: JSON.stringify(upstreamBody(ctx, target)),
    credential: target.credential,
  };
}

/**
 * The client's own request to the provider's API root: its original bytes when no stage changed
 * anything (fields the canonical model does not know stay as they were), else the native body
 * re-encoded from the changed canonical request.
 */
async function passthroughCall(ctx: RequestContext, pt: PassthroughInfo, target: Target): Promise<PrepareCall> {
  let body: PrepareCall["body"];
  if (!pt.inspected) body = target.provider.id === "bedrock" ? await ctx.readBody() : pt.bodyStream;
  else body = ctx.requestChanged ? JSON.stringify(target.codec.encodeRequest(ctx.request, target.provider.requestOptions)) : ctx.rawBody;
  const headers = passthroughRequestHeaders(ctx.headers, { keepAuth: ctx.caller.authMethod === "provider-key", identityEncoding: pt.inspected });
  if (ctx.requestChanged) headers["content-type"] = "application/json";
  return {
    operation: "passthrough",
    format: target.format,
    model: target.model,
    body,
    credential: target.credential,
    passthrough: { method: pt.method, path: pt.path, headers },
  };
}
