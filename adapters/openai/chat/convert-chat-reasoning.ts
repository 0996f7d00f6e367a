import type { AssistantPart, ReasoningPart } from "../../../src/canonical/content.ts";
import type { JsonObject, Origin, WireFormat } from "../../../src/canonical/extras.ts";
import { CHAT, chatExtrasOf, copyNative, isObject, isOwn, nonEmpty, restExcept, withChatExtras } from "./chat-extras.ts";
import { formatForProducer, producerForFormat } from "./map-reasoning-format.ts";

/** Hint: the reasoning text came in `reasoning` (Groq, OpenRouter, vLLM), not `reasoning_content`. */
export const REASONING_KEY = "$key";
/** Hint on a native part: it was an unknown `reasoning_details` entry. */
export const IN_DETAILS = "$inDetails";

/** Message hint: this plain field repeated the text of the `reasoning_details` entries. */
export const MIRROR = "$mirror";

/**
 * Reasoning on the Chat wire. The text comes as `reasoning_content` (DeepSeek, xAI) or
 * `reasoning` (Groq, OpenRouter); signed or opaque reasoning as OpenRouter `reasoning_details`
 * entries (`reasoning.text` with a signature, `reasoning.encrypted`, `reasoning.summary`) whose
 * `format` names the model that signed it. When details are present they are the parts; a plain
 * field beside them that repeats their text is written back from them (MIRROR), any other stays
 * as it was. Returns the mirrored field, if any.
 */
export function decodeChatReasoning(msg: JsonObject, origin: Origin, parts: AssistantPart[], taken: string[]): string | undefined {
  const details = msg.reasoning_details;
  if (Array.isArray(details) && details.length > 0) {
    let text = "";
    for (const entry of details) {
      const part = decodeReasoningDetail(entry, origin);
      if (part.type === "reasoning" && part.text !== undefined) text += part.text;
      parts.push(part);
    }
    taken.push("reasoning_details");
    const mirror = text === "" ? undefined : msg.reasoning_content === text ? "reasoning_content" : msg.reasoning === text ? "reasoning" : undefined;
    if (mirror !== undefined) taken.push(mirror);
    return mirror;
  }
  if (nonEmpty(msg.reasoning_content)) {
    parts.push({ type: "reasoning", text: msg.reasoning_content, origin });
    taken.push("reasoning_content");
  } else if (nonEmpty(msg.reasoning)) {
    parts.push({ type: "reasoning", text: msg.reasoning, origin, extras: { [CHAT]: { [REASONING_KEY]: "reasoning" } } });
    taken.push("reasoning");
  }
  return undefined;
}

function decodeReasoningDetail(entry: unknown, origin: Origin): AssistantPart {
  if (!isObject(entry)) return { type: "native", format: CHAT, value: { entry }, origin, extras: { [CHAT]: { [IN_DETAILS]: "wrapped" } } };
  const producer = producerForFormat(entry.format);
  const part: ReasoningPart = { type: "reasoning", producer, origin };
  const taken: string[] = [];
  const take = (key: string): string | undefined => {
    const v = entry[key];
    if (typeof v !== "string") return undefined;
    taken.push(key);
    return v;
  };
  switch (entry.type) {
    case "reasoning.text": {
      const text = take("text");
      if (text !== undefined) part.text = text;
      // An empty signature (OpenRouter opens entries with one) signs nothing: it stays as it was.
      const signature = nonEmpty(entry.signature) ? take("signature") : undefined;
      if (signature !== undefined) part.signature = signature;
      break;
    }
    case "reasoning.encrypted": {
      const data = take("data");
      if (data === undefined) return nativeDetail(entry, origin);
      part.encrypted = data;
      if (producer === "anthropic" || producer === "bedrock") part.redacted = true;
      break;
    }
    case "reasoning.summary": {
      const summary = take("summary");
      if (summary !== undefined) part.summary = [summary];
      break;
    }
    default:
      return nativeDetail(entry, origin);
  }
  const id = take("id");
  if (id !== undefined) part.id = id;
  return withChatExtras(part, restExcept(entry, taken));
}

function nativeDetail(entry: JsonObject, origin: Origin): AssistantPart {
  return { type: "native", format: CHAT, value: entry, origin, extras: { [CHAT]: { [IN_DETAILS]: "entry" } } };
}

export interface ReasoningDelta {
  text?: string;
  /** Where the text was: `reasoning` (not `reasoning_content`), or only in `reasoning_details`. */
  key?: "reasoning" | "details";
  signature?: string;
  producer?: WireFormat;
  /** The delta's `reasoning_details` without the text and signature taken from them. */
  details?: unknown[];
}

/**
 * The reasoning of one stream delta: the text (`reasoning_content` or `reasoning`) and
 * OpenRouter `reasoning_details`, where a `reasoning.text` entry repeats the text (taken once),
 * a later entry brings the signature and `format` names the producer. Adds the fields it takes
 * to `taken`; entries of other types stay as they are.
 */
export function readReasoningDelta(delta: JsonObject, taken: string[]): ReasoningDelta {
  const out: ReasoningDelta = {};
  if (nonEmpty(delta.reasoning_content)) {
    out.text = delta.reasoning_content;
    taken.push("reasoning_content");
  } else if (nonEmpty(delta.reasoning)) {
    out.text = delta.reasoning;
    out.key = "reasoning";
    taken.push("reasoning");
  }
  if (!Array.isArray(delta.reasoning_details)) return out;
  taken.push("reasoning_details");
  out.details = delta.reasoning_details.map((entry) => {
    if (!isObject(entry) || entry.type !== "reasoning.text") return entry;
    const t: string[] = [];
    if (nonEmpty(entry.text) && (out.text === undefined || out.text === entry.text)) {
      if (out.text === undefined) out.key = "details";
      out.text = entry.text;
      t.push("text");
    }
    if (nonEmpty(entry.signature)) {
      out.signature = entry.signature;
      t.push("signature");
    }
    if (entry.format !== undefined) out.producer = producerForFormat(entry.format);
    return t.length === 0 ? entry : (restExcept(entry, t) ?? {});
  });
  return out;
}

/** Reasoning gathered from an assistant message's parts, written out by `writeReasoning`. */
export interface ReasoningAcc {
  plain: Record<string, string>;
  details: JsonObject[];
  /** The text of the message's own `reasoning.text` entries, for a MIRROR field. */
  detailText: string;
}

/**
 * Where an upstream takes reasoning text of earlier turns that did not come from Chat: DeepSeek
 * requires it in `reasoning_content` on tool-call turns, while Groq, Cerebras and Mistral reject
 * any unknown message field — so by default it is left out.
 */
export type ReasoningReplay = "reasoning_content" | "reasoning";

/**
 * One reasoning part in Chat form. Parts decoded from Chat go back where they came from. Parts
 * from other formats go to a client as `reasoning_content` text, with a signature or opaque data
 * as a `reasoning_details` entry, so the client can hand it back to the model that signed it;
 * upstream, only their text goes, and only to a provider that takes it (`replay`).
 */
export function encodeReasoningPart(part: ReasoningPart, forClient: boolean, acc: ReasoningAcc, replay?: ReasoningReplay): void {
  const ex = chatExtrasOf(part);
  if (isOwn(part)) {
    if (ex !== undefined && typeof ex.type === "string") {
      acc.details.push(copyNative(ex, detailFields(part)));
      if (part.text !== undefined) acc.detailText += part.text;
      return;
    }
    const key = ex?.[REASONING_KEY] === "reasoning" ? "reasoning" : "reasoning_content";
    if (part.text !== undefined) acc.plain[key] = (acc.plain[key] ?? "") + part.text;
    return;
  }
  if (!forClient) {
    if (replay !== undefined && part.text) acc.plain[replay] = (acc.plain[replay] ?? "") + part.text;
    return;
  }
  const text = reasoningText(part);
  if (text) acc.plain.reasoning_content = (acc.plain.reasoning_content ?? "") + text;
  if (part.signature !== undefined || part.encrypted !== undefined) acc.details.push(foreignReasoningDetail(part, acc.details.length));
}

/** An unknown `reasoning_details` entry kept as a native part. */
export function encodeNativeDetail(value: JsonObject, hint: unknown): unknown {
  return hint === "wrapped" ? value.entry : value;
}

export function writeReasoning(acc: ReasoningAcc, msg: JsonObject, mirror: unknown): void {
  for (const key in acc.plain) msg[key] = acc.plain[key];
  if (acc.details.length > 0) msg.reasoning_details = acc.details;
  if ((mirror === "reasoning_content" || mirror === "reasoning") && acc.detailText !== "") msg[mirror] = acc.detailText;
}

/** What a client shows as the reasoning of a part from another format. */
function reasoningText(part: ReasoningPart): string | undefined {
  return part.text ?? part.summary?.join("\n\n");
}

/** The OpenRouter-style entry that carries a foreign part's signature or opaque data. */
export function foreignReasoningDetail(part: ReasoningPart, index: number): JsonObject {
  const format = formatForProducer(part.producer);
  const entry: JsonObject =
    part.encrypted !== undefined
      ? { type: "reasoning.encrypted", data: part.encrypted, format, index }
      : { type: "reasoning.text", ...(part.text !== undefined && { text: part.text }), signature: part.signature, format, index };
  if (part.id !== undefined) entry.id = part.id;
  return entry;
}

function detailFields(part: ReasoningPart): JsonObject {
  const out: JsonObject = {};
  if (part.text !== undefined) out.text = part.text;
  if (part.signature !== undefined) out.signature = part.signature;
  if (part.encrypted !== undefined) out.data = part.encrypted;
  if (part.summary !== undefined) out.summary = part.summary.join("");
  if (part.id !== undefined) out.id = part.id;
  return out;
}
