import type { AssistantPart, TextPart } from "../../../src/canonical/content.ts";
import type { JsonObject, Origin } from "../../../src/canonical/extras.ts";
import { CHAT, chatExtrasOf, copyNative, isObject, isOwn, restExcept, withChatExtras, type ChatExtras } from "./chat-extras.ts";
import { decodeChatReasoning, encodeNativeDetail, encodeReasoningPart, IN_DETAILS, MIRROR, writeReasoning, type ReasoningAcc, type ReasoningReplay } from "./convert-chat-reasoning.ts";
import { decodeChatToolCall, encodeChatToolCall } from "./convert-chat-tool-calls.ts";

/** Message hint: `content` was an array of parts (kept an array even with one text part). */
export const CONTENT_ARRAY = "$content";
/** Part hint: a refusal that was a `{type:"refusal"}` content part, not the `refusal` field. */
const IN_CONTENT = "$in";
/** Part hint: the call was a legacy `function_call`, which has no id. */
export const LEGACY_CALL = "$legacy";

/**
 * An assistant message, in a client's request or an upstream's answer, as canonical parts in
 * the order reasoning, text and refusal, tool calls. Its other fields (`annotations`, `audio`,
 * `name`, a `content: null`, …) become the message's extras; the encoder puts them back.
 */
export function decodeAssistantMessage(msg: JsonObject, origin: Origin, path: string, strict: boolean): { parts: AssistantPart[]; extras: ChatExtras } {
  const parts: AssistantPart[] = [];
  const taken = ["role"];
  const mirror = decodeChatReasoning(msg, origin, parts, taken);
  let array = false;
  const content = msg.content;
  if (typeof content === "string" && content !== "") {
    parts.push({ type: "text", text: content, origin });
    taken.push("content");
  } else if (Array.isArray(content)) {
    array = true;
    taken.push("content");
    for (const p of content) parts.push(decodeAssistantContentPart(p, origin));
  }
  if (typeof msg.refusal === "string" && msg.refusal !== "") {
    parts.push({ type: "refusal", text: msg.refusal, origin });
    taken.push("refusal");
  }
  const calls = msg.tool_calls;
  if (Array.isArray(calls) && calls.length > 0) {
    taken.push("tool_calls");
    for (let i = 0; i < calls.length; i++) {
      const entry = calls[i];
      if (!isObject(entry)) continue;
      parts.push(decodeChatToolCall(entry, origin, `${path}.tool_calls[${i}]`, strict));
    }
  }
  const fc = msg.function_call;
  if (isObject(fc) && typeof fc.name === "string") {
    taken.push("function_call");
    const args = typeof fc.arguments === "string" ? fc.arguments : "";
    parts.push({ type: "tool-call", id: "", name: fc.name, arguments: args, kind: "function", origin, extras: { [CHAT]: { [LEGACY_CALL]: true } } });
  }
  const extras = restExcept(msg, taken) ?? {};
  if (array) extras[CONTENT_ARRAY] = "array";
  if (mirror !== undefined) extras[MIRROR] = mirror;
  return { parts, extras };
}

function decodeAssistantContentPart(p: unknown, origin: Origin): AssistantPart {
  if (isObject(p) && p.type === "text" && typeof p.text === "string") {
    return withChatExtras<TextPart>({ type: "text", text: p.text, origin }, restExcept(p, ["type", "text"]));
  }
  if (isObject(p) && p.type === "refusal" && typeof p.refusal === "string") {
    return { type: "refusal", text: p.refusal, origin, extras: { [CHAT]: { ...restExcept(p, ["type", "refusal"]), [IN_CONTENT]: true } } };
  }
  return { type: "native", format: CHAT, value: isObject(p) ? p : { value: p }, origin };
}

/**
 * An assistant message in Chat form. `ex` is the message's kept extras (absent when it came from
 * another format: then the standard shape, `content: null` without text). `forClient`: it goes
 * to a Chat client, which also gets reasoning and citations from other formats; upstream
 * requests carry only what came from Chat, and reasoning text where `replay` says.
 */
export function encodeAssistantMessage(parts: readonly AssistantPart[], ex: ChatExtras | undefined, forClient: boolean, replay?: ReasoningReplay): JsonObject {
  const own = ex !== undefined;
  const msg: JsonObject = { role: "assistant" };
  const array = ex?.[CONTENT_ARRAY] === "array";
  const content: unknown[] = [];
  const toolCalls: JsonObject[] = [];
  const reasoning: ReasoningAcc = { plain: {}, details: [], detailText: "" };
  const annotations: JsonObject[] = [];
  let text: string | undefined;
  let refusal: string | undefined;
  for (const part of parts) {
    const pex = chatExtrasOf(part);
    switch (part.type) {
      case "text":
        if (array) content.push(copyNative(pex, { type: "text", text: part.text }));
        else {
          if (forClient && !isOwn(part) && part.citations) addAnnotations(part, text?.length ?? 0, annotations);
          text = (text ?? "") + part.text;
        }
        break;
      case "refusal":
        if (array && pex?.[IN_CONTENT]) content.push(copyNative(pex, { type: "refusal", refusal: part.text }));
        else refusal = (refusal ?? "") + part.text;
        break;
      case "reasoning":
        encodeReasoningPart(part, forClient, reasoning, replay);
        break;
      case "tool-call":
        if (pex?.[LEGACY_CALL]) msg.function_call = { name: part.name, arguments: part.arguments };
        else toolCalls.push(encodeChatToolCall(part, forClient));
        break;
      case "native":
        if (part.format !== CHAT) break;
        if (pex?.[IN_DETAILS]) reasoning.details.push(encodeNativeDetail(part.value, pex[IN_DETAILS]) as JsonObject);
        else if (array) content.push(part.value);
        break;
    }
  }
  // DeepSeek's thinking mode wants the field on every tool-call turn, even without reasoning.
  if (replay !== undefined && !own && toolCalls.length > 0) reasoning.plain[replay] ??= "";
  writeReasoning(reasoning, msg, ex?.[MIRROR]);
  if (array) msg.content = content;
  else if (text !== undefined) msg.content = text;
  else if (!own) msg.content = null;
  if (refusal !== undefined) msg.refusal = refusal;
  else if (!own && forClient) msg.refusal = null;
  if (toolCalls.length > 0) msg.tool_calls = toolCalls;
  if (annotations.length > 0) msg.annotations = annotations;
  return copyNative(ex, msg);
}

/** URL citations of another format's text as Chat `url_citation` annotations over the joined text. */
function addAnnotations(part: TextPart, offset: number, out: JsonObject[]): void {
  for (const c of part.citations ?? []) {
    if (c.type !== "url" || c.url === undefined) continue;
    out.push({
      type: "url_citation",
      url_citation: { url: c.url, title: c.title ?? "", start_index: offset + (c.startIndex ?? 0), end_index: offset + (c.endIndex ?? part.text.length) },
    });
  }
}
