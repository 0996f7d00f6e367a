import type {
  AssistantPart,
  ImagePart,
  NativePart,
  ReasoningPart,
  TextPart,
  ToolCallPart,
  ToolResultPart,
  UserPart,
} from "../../src/canonical/content.ts";
import { proxyError } from "../../src/canonical/error.ts";
import type { JsonObject, Origin } from "../../src/canonical/extras.ts";
import { toolNameForCall, type Message } from "../../src/canonical/request.ts";
import type { CohereCitation } from "./cohere-api-types.ts";
import { parseBase64DataUrl as parseDataUrl } from "../shared/data-url.ts";
import { cohereExtras, FORMAT, isObject, nativeRest } from "./cohere-extras.ts";
import { decodeCohereCitation } from "./convert-cohere-citations.ts";

const SYSTEM_KEYS = new Set(["role", "content"]);
const USER_KEYS = SYSTEM_KEYS;
const ASSISTANT_KEYS = new Set(["role", "content", "tool_plan", "tool_calls", "citations"]);
const TOOL_KEYS = new Set(["role", "content", "tool_call_id"]);
const TEXT_KEYS = new Set(["type", "text"]);
const THINKING_KEYS = new Set(["type", "thinking"]);
const IMAGE_KEYS = new Set(["type", "image_url"]);
const DOCUMENT_ITEM_KEYS = new Set(["type", "document"]);
const DOCUMENT_KEYS = new Set(["data"]);
const CALL_KEYS = new Set(["id", "type", "function"]);

/**
 * Cohere `messages` as canonical messages. Each native message keeps its position (`origin`);
 * consecutive tool messages form one canonical tool message (one result part each), as the
 * canonical model groups tool outputs.
 */
export function decodeCohereMessages(messages: readonly JsonObject[]): Message[] {
  const out: Message[] = [];
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i];
    const origin: Origin = { format: FORMAT, index: i };
    const path = `messages[${i}]`;
    switch (m.role) {
      case "system": {
        const { parts, blocks } = decodeContent(m.content, origin, path, decodeSystemItem);
        out.push(withExtras({ role: "system", content: parts }, m, SYSTEM_KEYS, blocks));
        break;
      }
      case "user": {
        const { parts, blocks } = decodeContent(m.content, origin, path, decodeUserItem);
        out.push(withExtras({ role: "user", content: parts as UserPart[] }, m, USER_KEYS, blocks));
        break;
      }
      case "assistant":
        out.push(decodeAssistant(m, origin, path));
        break;
      case "tool": {
        const result = decodeToolResult(m, origin, path, out);
        const prev = out.at(-1);
        if (prev?.role === "tool" && messages[i - 1]?.role === "tool") prev.content.push(result);
        else out.push({ role: "tool", content: [result] });
        break;
      }
      default:
        throw proxyError(400, `Unsupported role '${String(m.role)}'`, { param: `${path}.role` });
    }
  }
  return out;
}

function withExtras<M extends Message>(message: M, native: JsonObject, known: ReadonlySet<string>, blocks: boolean): M {
  const extras = cohereExtras(nativeRest(native, known), blocks ? { $blocks: true } : undefined);
  if (extras) message.extras = extras;
  return message;
}

type ItemDecoder<P> = (item: JsonObject, origin: Origin, path: string) => P;

/** A string (one text part) or an array of blocks (`blocks` remembers which, for the round trip). */
function decodeContent<P>(content: unknown, origin: Origin, path: string, decodeItem: ItemDecoder<P | TextPart>) {
  if (typeof content === "string") return { parts: [{ type: "text", text: content, origin } as TextPart], blocks: false };
  if (!Array.isArray(content)) throw proxyError(400, "Message content must be a string or an array", { param: `${path}.content` });
  const parts: Array<P | TextPart> = [];
  for (let j = 0; j < content.length; j++) {
    const item = content[j];
    const itemPath = `${path}.content[${j}]`;
    if (!isObject(item)) throw proxyError(400, "Content blocks must be objects", { param: itemPath });
    parts.push(decodeItem(item, origin, itemPath));
  }
  return { parts, blocks: true };
}

function textPart(item: JsonObject, origin: Origin, path: string): TextPart {
  if (typeof item.text !== "string") throw proxyError(400, "A text block needs a string 'text'", { param: `${path}.text` });
  const part: TextPart = { type: "text", text: item.text, origin };
  const extras = cohereExtras(nativeRest(item, TEXT_KEYS));
  if (extras) part.extras = extras;
  return part;
}

/** Blocks a format cannot name travel as native parts, written back by Cohere's encoder only. */
function nativePart(item: JsonObject, origin: Origin): NativePart {
  return { type: "native", format: FORMAT, value: item, origin };
}

function decodeSystemItem(item: JsonObject, origin: Origin, path: string): TextPart | NativePart {
  return item.type === "text" ? textPart(item, origin, path) : nativePart(item, origin);
}

function decodeUserItem(item: JsonObject, origin: Origin, path: string): UserPart {
  if (item.type === "text") return textPart(item, origin, path);
  if (item.type !== "image_url") return nativePart(item, origin);
  const image = item.image_url;
  if (!isObject(image) || typeof image.url !== "string") {
    throw proxyError(400, "An image_url block needs 'image_url.url'", { param: `${path}.image_url.url` });
  }
  const data = parseDataUrl(image.url);
  const part: ImagePart = {
    type: "image",
    source: data ? { kind: "base64", data: data.data, mediaType: data.mediaType } : { kind: "url", url: image.url },
    origin,
  };
  if (typeof image.detail === "string") part.detail = image.detail;
  const extras = cohereExtras(nativeRest(item, IMAGE_KEYS));
  if (extras) part.extras = extras;
  return part;
}

export function decodeAssistantItem(item: JsonObject, origin: Origin, path: string): AssistantPart {
  if (item.type === "text") return textPart(item, origin, path);
  if (item.type !== "thinking") return nativePart(item, origin);
  if (typeof item.thinking !== "string") throw proxyError(400, "A thinking block needs a string 'thinking'", { param: `${path}.thinking` });
  const part: ReasoningPart = { type: "reasoning", text: item.thinking, producer: FORMAT, origin };
  const extras = cohereExtras(nativeRest(item, THINKING_KEYS));
  if (extras) part.extras = extras;
  return part;
}

function decodeAssistant(m: JsonObject, origin: Origin, path: string): Message {
  const content: AssistantPart[] = [];
  let blocks = false;
  if (m.content !== undefined) {
    const decoded = decodeContent(m.content, origin, path, decodeAssistantItem);
    content.push(...decoded.parts);
    blocks = decoded.blocks;
  }
  const contentCount = content.length;
  const planPart = decodePlan(m.tool_plan, origin);
  if (planPart) content.push(planPart);
  if (Array.isArray(m.tool_calls)) {
    for (let j = 0; j < m.tool_calls.length; j++) {
      content.push(decodeToolCall(m.tool_calls[j], origin, `${path}.tool_calls[${j}]`));
    }
  }
  if (Array.isArray(m.citations)) attachCitations(m.citations as CohereCitation[], content, contentCount, planPart);
  return withExtras({ role: "assistant", content }, m, keptEmpty(m), blocks);
}

/** Known fields whose empty value made no part stay native, so `tool_calls: []` round trips. */
function keptEmpty(m: JsonObject): ReadonlySet<string> {
  const emptyPlan = m.tool_plan === "";
  const emptyCalls = Array.isArray(m.tool_calls) && m.tool_calls.length === 0;
  const emptyCitations = Array.isArray(m.citations) && m.citations.length === 0;
  if (!emptyPlan && !emptyCalls && !emptyCitations) return ASSISTANT_KEYS;
  const known = new Set(ASSISTANT_KEYS);
  if (emptyPlan) known.delete("tool_plan");
  if (emptyCalls) known.delete("tool_calls");
  if (emptyCitations) known.delete("citations");
  return known;
}

/**
 * `tool_plan` — "a chain-of-thought style reflection and plan that the model generates when
 * working with tools" ("I will look up the weather in Paris.") — is reasoning produced by Cohere,
 * marked `$plan`. Cohere's reasoning models write `thinking` in its place, so both are the same
 * kind of thing; as reasoning it reaches a Chat client as `reasoning_content` and a Responses
 * client as a reasoning item instead of mixing into the answer's text (which matters when that
 * text must be JSON), and it goes back to Cohere as `tool_plan`.
 */
export function decodePlan(plan: unknown, origin: Origin): ReasoningPart | undefined {
  if (typeof plan !== "string" || plan === "") return undefined;
  return { type: "reasoning", text: plan, producer: FORMAT, origin, extras: { cohere: { $plan: true } } };
}

/**
 * A Cohere tool call. Cohere sometimes answers `"null"` for a tool without parameters: canonical
 * arguments say `{}` and the raw text is kept for Cohere's own encoder.
 */
export function decodeToolCall(call: unknown, origin: Origin, path: string): ToolCallPart {
  const part = readToolCall(call, origin);
  if (!part) throw proxyError(400, "A tool call needs 'id' and 'function.name'", { param: path });
  return part;
}

/** A tool call, or undefined when it lacks its id or name. */
export function readToolCall(call: unknown, origin: Origin): ToolCallPart | undefined {
  if (!isObject(call) || typeof call.id !== "string" || !isObject(call.function) || typeof call.function.name !== "string") return undefined;
  const raw = call.function.arguments;
  const args = typeof raw === "string" ? raw : "";
  const part: ToolCallPart = { type: "tool-call", id: call.id, name: call.function.name, arguments: args === "null" ? "{}" : args, kind: "function", origin };
  const extras = cohereExtras(nativeRest(call, CALL_KEYS), args === "null" ? { $arguments: "null" } : undefined);
  if (extras) part.extras = extras;
  return part;
}

/**
 * Citations go on the part they cite: `content_index` names the content block (the first text
 * block when absent), PLAN citations the plan. Reasoning (thinking, the plan) has no citation
 * field in the canonical model, so those stay on the reasoning part's extras.
 */
export function attachCitations(citations: readonly CohereCitation[], content: AssistantPart[], contentCount: number, plan: AssistantPart | undefined): void {
  for (const c of citations) {
    let target: AssistantPart | undefined;
    if (c.type === "PLAN") target = plan;
    else if (typeof c.content_index === "number" && c.content_index < contentCount) target = content[c.content_index];
    else target = content.slice(0, contentCount).find((p) => p.type === "text");
    target ??= plan ?? content[0];
    if (target?.type === "text") (target.citations ??= []).push(decodeCohereCitation(c));
    else if (target) pushExtraCitation(target, c);
  }
}

function pushExtraCitation(part: AssistantPart, citation: CohereCitation): void {
  const cohere = ((part.extras ??= {}).cohere ??= {});
  ((cohere.$citations ??= []) as CohereCitation[]).push(citation);
}

function decodeToolResult(m: JsonObject, origin: Origin, path: string, decoded: readonly Message[]): ToolResultPart {
  if (typeof m.tool_call_id !== "string") throw proxyError(400, "A tool message needs 'tool_call_id'", { param: `${path}.tool_call_id` });
  const part: ToolResultPart = { type: "tool-result", callId: m.tool_call_id, content: "", origin };
  const name = toolNameForCall(decoded, m.tool_call_id);
  if (name !== undefined) part.name = name;
  if (typeof m.content === "string") part.content = m.content;
  else part.content = decodeContent(m.content, origin, path, decodeToolItem).parts;
  const extras = cohereExtras(nativeRest(m, TOOL_KEYS));
  if (extras) part.extras = extras;
  return part;
}

/**
 * A `document` block becomes text holding its `data` as JSON, so that policies read the tool's
 * output like any other; `$document` keeps the block's other fields (its `id`).
 */
function decodeToolItem(item: JsonObject, origin: Origin, path: string): TextPart {
  if (item.type === "text") return textPart(item, origin, path);
  if (item.type === "document" && isObject(item.document) && isObject(item.document.data)) {
    const part: TextPart = { type: "text", text: JSON.stringify(item.document.data), origin };
    part.extras = cohereExtras(nativeRest(item, DOCUMENT_ITEM_KEYS), { $document: nativeRest(item.document, DOCUMENT_KEYS) ?? {} });
    return part;
  }
  return { type: "text", text: JSON.stringify(item), origin, extras: { cohere: { $raw: item } } };
}
