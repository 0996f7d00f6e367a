import type { ServerResponse } from "node:http";
import { proxyError, ProxyError } from "../canonical/error.ts";
import type { JsonObject } from "../canonical/extras.ts";
import type { RequestContext } from "./context.ts";
import { responseHeaders, type PipelineRun } from "./pipeline-run.ts";
import { decodeUpstreamError } from "./upstream-error.ts";

/**
 * Reads a whole upstream answer, lets the response stages see (and perhaps rewrite) it, and
 * answers the client in its own format — with the upstream's exact bytes when the formats
 * match and nothing changed.
 */
export async function deliverResponse(ctx: RequestContext, { stages }: PipelineRun, res: ServerResponse): Promise<void> {
  const target = ctx.target!;
  const upstream = ctx.upstream!;
  const text = await upstream.body.text();
  if (upstream.status >= 400) throw new ProxyError(decodeUpstreamError(ctx, target, upstream.status, text, upstream.headers));
  let json: JsonObject;
  try {
    json = JSON.parse(text) as JsonObject;
  } catch {
    throw proxyError(502, `The upstream ${target.provider.id} answered with a body that is not JSON`, { code: "bad_upstream_response", kind: "upstream" });
  }
  let decoded = target.codec.decodeResponse(json);
  // Some formats (Cohere, Bedrock) do not name the model in the answer: report the one we called.
  if (!decoded.model) decoded = { ...decoded, model: target.model };
  let response = decoded;
  for (const stage of stages) if (stage.response) response = stage.response(ctx, response);
  ctx.response = response;
  ctx.usage = response.usage;
  ctx.finish = response.finish;
  ctx.responseModel = response.model;

  const body =
    response === decoded && target.format === ctx.clientFormat
      ? text
      : JSON.stringify(ctx.clientCodec.encodeResponse(response, { request: ctx.request, model: target.model }));
  ctx.status = upstream.status;
  ctx.firstTokenAt = performance.now();
  res.writeHead(upstream.status, { ...responseHeaders(ctx), "content-type": "application/json", "content-length": Buffer.byteLength(body) });
  res.end(body);
}
