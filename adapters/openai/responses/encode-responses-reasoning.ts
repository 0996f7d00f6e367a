import type { ReasoningPart, ToolCallPart } from "../../../src/canonical/content.ts";
import type { JsonObject } from "../../../src/canonical/extras.ts";
import { wrapForeignReasoning } from "../../../src/canonical/foreign-reasoning.ts";
import type { EncodeMode } from "./encode-responses-content.ts";
import { isOwn, own, putNative, RESPONSES } from "./responses-extras.ts";

/**
 * Whether OpenAI can take this reasoning back in a request: only what OpenAI produced (its
 * encrypted content, or an id it stored). Another provider's signed or plain reasoning has no
 * meaning to OpenAI and would be rejected, so it is left out of requests. `stateless` (the
 * request has `store: false`): OpenAI kept nothing, so reasoning without encrypted content —
 * a reasoning item we made for another provider's plain reasoning, sent back by the client —
 * would only fail with "item not found".
 */
export function sendableToOpenAi(part: ReasoningPart, stateless: boolean): boolean {
  if (part.producer === RESPONSES) return part.encrypted !== undefined || (part.id !== undefined && !stateless);
  return part.producer === undefined && isOwn(part.origin) && part.id !== undefined && !stateless;
}

/** A reasoning item decoded by this codec, rebuilt exactly. */
export function encodeOwnReasoning(part: ReasoningPart): JsonObject {
  const extras = own(part);
  const item: JsonObject = { type: "reasoning" };
  if (part.id !== undefined) item.id = part.id;
  if (extras.summaryText) item.summary = part.text === undefined ? [] : [summaryText(part.text)];
  else if (part.summary) item.summary = part.summary.map(summaryText);
  if (part.text !== undefined && !extras.summaryText) item.content = [reasoningText(part.text)];
  const encrypted = part.producer === RESPONSES ? part.encrypted : wrapForeignReasoning(part);
  if (encrypted !== undefined) item.encrypted_content = encrypted;
  return putNative(item, extras);
}

/**
 * Reasoning from another provider as an output item. Its text goes into the summary when the
 * client asked for summaries (what Codex and the AI SDK display) and there is no summary, else
 * into `reasoning_text` content. A signature or opaque data travels in `encrypted_content`
 * inside our envelope whatever `include` says: the proxy keeps no state, so the client's copy is
 * the only way the producer gets its signature back on the next turn.
 */
export function encodeForeignReasoning(part: ReasoningPart, id: string, summaryWanted: boolean): JsonObject {
  const item: JsonObject = { id, type: "reasoning", summary: (part.summary ?? []).map(summaryText) };
  if (part.text !== undefined) {
    if (!part.summary && summaryWanted) item.summary = [summaryText(part.text)];
    else item.content = [reasoningText(part.text)];
  }
  const encrypted = part.producer === RESPONSES ? part.encrypted : wrapForeignReasoning(part);
  if (encrypted !== undefined) item.encrypted_content = encrypted;
  return item;
}

/** Where a foreign part's text goes, for the stream encoder: the summary or reasoning_text. */
export function textGoesToSummary(part: ReasoningPart, summaryWanted: boolean): boolean {
  return !part.summary && summaryWanted;
}

export function summaryText(text: string): JsonObject {
  return { type: "summary_text", text };
}

export function reasoningText(text: string): JsonObject {
  return { type: "reasoning_text", text };
}

/** A reasoning part as an item; undefined when a request to OpenAI cannot carry it. */
export function encodeReasoningItem(part: ReasoningPart, mode: EncodeMode, newId: () => string, summaryWanted: boolean, stateless = false): JsonObject | undefined {
  if (mode === "input" && !sendableToOpenAi(part, stateless)) return undefined;
  if (isOwn(part.origin)) return encodeOwnReasoning(part);
  return encodeForeignReasoning(part, part.id?.startsWith("rs_") ? part.id : newId(), summaryWanted);
}

/**
 * A call's own signature (Gemini signs the first function call of a turn, and Gemini 3 refuses a
 * replayed call without it) as a reasoning item of its own: a `function_call` item has no slot a
 * client keeps, a reasoning item's `encrypted_content` does. It goes right after the call, so the
 * Gemini encoder, seeing a signature-only reasoning part right after an unsigned call, puts the
 * signature back on that call (one before a text part stays that text's signature).
 */
export function callSignatureItem(part: ToolCallPart, id: string): JsonObject | undefined {
  if (part.signature === undefined || isOwn(part.origin)) return undefined;
  // Only Gemini signs calls (on its own wire or as Chat `extra_content.google.thought_signature`).
  const encrypted = wrapForeignReasoning({ type: "reasoning", producer: "gemini", signature: part.signature });
  return { id, type: "reasoning", summary: [], encrypted_content: encrypted };
}
