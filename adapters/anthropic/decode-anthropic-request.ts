import type { ToolResultPart, UserPart } from "../../src/canonical/content.ts";
import { proxyError } from "../../src/canonical/error.ts";
import type { JsonObject, Origin } from "../../src/canonical/extras.ts";
import type { CanonicalRequest, Message } from "../../src/canonical/request.ts";
import { validateBody } from "../shared/validate.ts";
import { anthropicExtras, isObject, originAt, restOfKnown, SYSTEM_SLOT } from "./anthropic-extras.ts";
import { anthropicRequestSchema } from "./anthropic-request-schema.ts";
import { decodeAnthropicThinking } from "./anthropic-thinking.ts";
import { decodeAssistantBlock, decodeTextBlock, decodeUserBlock, nativePart } from "./decode-anthropic-content.ts";
import { decodeAnthropicTool, decodeAnthropicToolChoice } from "./decode-anthropic-tools.ts";

const KNOWN: ReadonlySet<string> = new Set([
  "model",
  "messages",
  "max_tokens",
  "system",
  "tools",
  "tool_choice",
  "thinking",
  "temperature",
  "top_p",
  "top_k",
  "stop_sequences",
  "metadata",
  "stream",
  "output_config",
]);
const MESSAGE_KEYS: ReadonlySet<string> = new Set(["role", "content"]);
const METADATA_KEYS: ReadonlySet<string> = new Set(["user_id"]);

function block(value: unknown, param: string): JsonObject {
  if (!isObject(value) || typeof value.type !== "string") throw proxyError(400, `Invalid value for '${param}': expected a content block with a string 'type'`, { param });
  return value;
}

/** System content (the `system` parameter or a `system` message) as one canonical system message. */
function decodeSystem(content: string | unknown[], origin: Origin, param: string): Message {
  if (typeof content === "string") return { role: "system", content: [{ type: "text", text: content, origin }], extras: { anthropic: { $string: true } } };
  return {
    role: "system",
    content: content.map((b, j) => {
      const blk = block(b, `${param}[${j}]`);
      return blk.type === "text" ? decodeTextBlock(blk, origin) : nativePart(blk, origin);
    }),
  };
}

/**
 * One native message to canonical messages. A user turn holding tool results becomes a `tool`
 * message (the results) and a `user` message (the rest), in block order, all parts sharing the
 * native message's origin so the encoder rebuilds the one turn.
 */
function decodeMessage(m: JsonObject, i: number, out: Message[]): void {
  const origin = originAt(i);
  const rest = restOfKnown(m, MESSAGE_KEYS);
  const content = m.content as string | unknown[];
  const first = out.length;
  if (m.role === "system") out.push(decodeSystem(content, origin, `messages[${i}].content`));
  else if (typeof content === "string") {
    out.push({ role: m.role as "user" | "assistant", content: [{ type: "text", text: content, origin }], extras: { anthropic: { $string: true } } });
  } else if (m.role === "assistant") {
    out.push({ role: "assistant", content: content.map((b, j) => decodeAssistantBlock(block(b, `messages[${i}].content[${j}]`), origin)) });
  } else {
    let current: Message | undefined;
    for (let j = 0; j < content.length; j++) {
      const part = decodeUserBlock(block(content[j], `messages[${i}].content[${j}]`), origin);
      const role = part.type === "tool-result" ? "tool" : "user";
      if (current?.role !== role) {
        current = role === "tool" ? { role: "tool", content: [] } : { role: "user", content: [] };
        out.push(current);
      }
      (current.content as Array<UserPart | ToolResultPart>).push(part);
    }
    if (!current) out.push({ role: "user", content: [] });
  }
  if (rest) {
    const target = out[first];
    target.extras = anthropicExtras(rest, target.extras?.anthropic);
  }
}

/** A Messages API request body to the canonical request. */
export function decodeAnthropicRequest(body: JsonObject): CanonicalRequest {
  validateBody(anthropicRequestSchema, body);
  let rest = restOfKnown(body, KNOWN);
  const keep = (key: string) => ((rest ??= {})[key] = body[key]);
  const req: CanonicalRequest = { model: body.model as string, messages: [], stream: body.stream === true };
  if ("stream" in body && body.stream !== true) keep("stream");

  if (typeof body.max_tokens === "number") req.maxOutputTokens = body.max_tokens;
  else if ("max_tokens" in body) keep("max_tokens");

  const system = body.system;
  if (typeof system === "string" || (Array.isArray(system) && system.length > 0)) req.messages.push(decodeSystem(system, originAt(SYSTEM_SLOT), "system"));
  else if ("system" in body) keep("system");

  const messages = body.messages as JsonObject[];
  for (let i = 0; i < messages.length; i++) decodeMessage(messages[i], i, req.messages);

  if (Array.isArray(body.tools)) req.tools = (body.tools as JsonObject[]).map(decodeAnthropicTool);
  else if ("tools" in body) keep("tools");

  if (isObject(body.tool_choice)) {
    const tc = decodeAnthropicToolChoice(body.tool_choice);
    if (tc.toolChoice) req.toolChoice = tc.toolChoice;
    if (tc.parallelToolCalls !== undefined) req.parallelToolCalls = tc.parallelToolCalls;
    if (tc.rest) (rest ??= {}).tool_choice = tc.rest;
  } else if ("tool_choice" in body) keep("tool_choice");

  const thinking = isObject(body.thinking) ? body.thinking : undefined;
  const outputConfig = isObject(body.output_config) ? body.output_config : undefined;
  if (!thinking && "thinking" in body) keep("thinking");
  if (!outputConfig && "output_config" in body) keep("output_config");
  const t = decodeAnthropicThinking(thinking, outputConfig);
  if (t.reasoning) req.reasoning = t.reasoning;
  if (t.responseFormat) req.responseFormat = t.responseFormat;
  if (t.thinkingRest) (rest ??= {}).thinking = t.thinkingRest;
  if (t.outputConfigRest) (rest ??= {}).output_config = t.outputConfigRest;

  if (typeof body.temperature === "number") req.temperature = body.temperature;
  else if ("temperature" in body) keep("temperature");
  if (typeof body.top_p === "number") req.topP = body.top_p;
  else if ("top_p" in body) keep("top_p");
  if (typeof body.top_k === "number") req.topK = body.top_k;
  else if ("top_k" in body) keep("top_k");
  if (Array.isArray(body.stop_sequences)) req.stop = body.stop_sequences as string[];
  else if ("stop_sequences" in body) keep("stop_sequences");

  const metadata = body.metadata;
  if (isObject(metadata)) {
    const userId = metadata.user_id;
    if (typeof userId === "string") req.user = userId;
    const other = typeof userId === "string" ? restOfKnown(metadata, METADATA_KEYS) : metadata;
    if (other || typeof userId !== "string") (rest ??= {}).metadata = other ?? {};
  } else if ("metadata" in body) keep("metadata");

  const extras = anthropicExtras(rest);
  if (extras) req.extras = extras;
  return req;
}
