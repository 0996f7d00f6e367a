import type { ToolCallPart } from "../../../src/canonical/content.ts";
import { proxyError } from "../../../src/canonical/error.ts";
import type { JsonObject, Origin } from "../../../src/canonical/extras.ts";
import { chatExtrasOf, copyNative, isObject, isOwn, objectAt, restExcept, withChatExtras } from "./chat-extras.ts";

/**
 * One entry of an assistant message's `tool_calls` (function or custom). Gemini's OpenAI
 * compatibility layer carries its thought signature in `extra_content.google.thought_signature`;
 * it becomes the call's `signature`, so a Chat client can hand it back to Gemini.
 * `strict` (a client's request) rejects a call without id or name; an upstream answer is taken
 * as it comes.
 */
export function decodeChatToolCall(entry: JsonObject, origin: Origin, path: string, strict: boolean): ToolCallPart {
  const custom = entry.type === "custom" || (entry.type === undefined && isObject(entry.custom));
  const fnKey = custom ? "custom" : "function";
  const argKey = custom ? "input" : "arguments";
  const fn = isObject(entry[fnKey]) ? (entry[fnKey] as JsonObject) : undefined;
  const id = typeof entry.id === "string" ? entry.id : undefined;
  const name = typeof fn?.name === "string" ? fn.name : undefined;
  if (strict && id === undefined) throw proxyError(400, `Missing required parameter: '${path}.id'.`, { param: `${path}.id` });
  if (strict && name === undefined) throw proxyError(400, `Missing required parameter: '${path}.${fnKey}.name'.`, { param: `${path}.${fnKey}.name` });
  const rawArgs = fn?.[argKey];
  const args = typeof rawArgs === "string" ? rawArgs : rawArgs === undefined ? "" : JSON.stringify(rawArgs);

  const part: ToolCallPart = { type: "tool-call", id: id ?? "", name: name ?? "", arguments: args, kind: custom ? "custom" : "function", origin };
  const taken = ["id", fnKey, "extra_content"];
  if (entry.type === fnKey) taken.push("type");
  let rest = restExcept(entry, taken);
  if (fn !== undefined) {
    const fnRest = restExcept(fn, typeof rawArgs === "string" ? ["name", argKey] : ["name"]);
    if (fnRest !== undefined) rest = { ...rest, [fnKey]: fnRest };
  } else if (fnKey in entry) rest = { ...rest, [fnKey]: entry[fnKey] };
  if ("extra_content" in entry) {
    const { signature, left } = takeThoughtSignature(entry.extra_content);
    if (signature !== undefined) part.signature = signature;
    if (left !== undefined) rest = { ...rest, extra_content: left };
  }
  return withChatExtras(part, rest);
}

/**
 * A tool call in Chat form. Calls from another format get `"{}"` for empty arguments (Chat
 * clients parse them as JSON); a signature goes out to clients and back to where it came from.
 */
export function encodeChatToolCall(part: ToolCallPart, forClient: boolean): JsonObject {
  const own = isOwn(part);
  const ex = chatExtrasOf(part);
  // A type other than function/custom (kept in extras) is written back as it was.
  const type = typeof ex?.type === "string" ? ex.type : part.kind === "custom" ? "custom" : "function";
  const entry: JsonObject = { id: part.id, type };
  if (part.kind === "custom") entry.custom = copyNative(objectAt(ex, "custom"), { name: part.name, input: part.arguments });
  else entry.function = copyNative(objectAt(ex, "function"), { name: part.name, arguments: own || part.arguments !== "" ? part.arguments : "{}" });
  if (part.signature !== undefined && (own || forClient)) entry.extra_content = withThoughtSignature(objectAt(ex, "extra_content"), part.signature);
  return copyNative(ex, entry);
}

/** The Gemini thought signature in `extra_content`, and what else `extra_content` held. */
export function takeThoughtSignature(extra: unknown): { signature?: string; left?: unknown } {
  if (!isObject(extra) || !isObject(extra.google) || typeof extra.google.thought_signature !== "string") return { left: extra };
  const google = restExcept(extra.google, ["thought_signature"]);
  const left = restExcept(extra, ["google"]);
  return { signature: extra.google.thought_signature, left: google === undefined ? left : { ...left, google } };
}

export function withThoughtSignature(kept: JsonObject | undefined, signature: string): JsonObject {
  const google = isObject(kept?.google) ? kept.google : undefined;
  return { ...kept, google: { ...google, thought_signature: signature } };
}

