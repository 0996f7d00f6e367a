import type { AssistantPart, NativePart, ToolCallPart } from "../../../src/canonical/content.ts";
import type { JsonObject } from "../../../src/canonical/extras.ts";
import { encodeContentPart, type EncodeMode } from "./encode-responses-content.ts";
import { callSignatureItem, encodeReasoningItem } from "./encode-responses-reasoning.ts";
import { responsesId } from "./responses-ids.ts";
import { isOwn, own, putNative, RESPONSES } from "./responses-extras.ts";

export interface ItemOptions {
  mode: EncodeMode;
  /** The client asked for reasoning summaries (`reasoning.summary`). */
  summaryWanted: boolean;
  /** Makes ids for items of another origin (injectable for tests). */
  newId?: (prefix: "msg" | "rs" | "fc" | "ctc") => string;
  /** A request with `store: false`: OpenAI can resolve no item by id (see sendableToOpenAi). */
  stateless?: boolean;
}

/**
 * Assistant parts as items. Parts this codec decoded are regrouped by their origin (two message
 * items stay two); parts of another origin follow Responses' own grouping: consecutive text and
 * refusals share one message item, every reasoning part and call is an item of its own.
 */
export function encodeAssistantParts(parts: readonly AssistantPart[], options: ItemOptions): JsonObject[] {
  const newId = options.newId ?? responsesId;
  const items: JsonObject[] = [];
  let message: JsonObject[] | undefined;
  let messageKey = -2;
  for (const part of parts) {
    const mine = isOwn(part.origin);
    if (part.type === "text" || part.type === "refusal" || (part.type === "native" && own(part).contentPart)) {
      const key = mine ? part.origin!.index : -1;
      if (!message || key !== messageKey) {
        const item = mine ? ownMessage(part) : foreignMessage(options.mode, newId("msg"));
        items.push(item);
        messageKey = key;
        if (typeof item.content === "string") {
          message = undefined;
          continue;
        }
        message = item.content as JsonObject[];
      }
      const c = encodeContentPart(part, "assistant", options.mode);
      if (c) message.push(c);
      continue;
    }
    message = undefined;
    let item: JsonObject | undefined;
    if (part.type === "reasoning") item = encodeReasoningItem(part, options.mode, () => newId("rs"), options.summaryWanted, options.stateless);
    else if (part.type === "tool-call") item = encodeToolCallItem(part, options.mode, newId);
    else if (part.type === "native") item = nativeItemValue(part);
    if (item) items.push(item);
    if (part.type === "tool-call" && options.mode === "output" && part.signature !== undefined) {
      const signed = callSignatureItem(part, newId("rs"));
      if (signed) items.push(signed);
    }
  }
  return items;
}

/** A message item rebuilt from the fields its first part kept; bare-string content comes back as a string. */
function ownMessage(first: AssistantPart): JsonObject {
  const extras = own(first);
  const item: JsonObject = { ...extras.item, role: "assistant" };
  item.content = extras.string && first.type === "text" ? first.text : [];
  return item;
}

export function foreignMessage(mode: EncodeMode, id: string): JsonObject {
  if (mode === "input") return { role: "assistant", content: [] };
  return { id, type: "message", status: "completed", content: [], role: "assistant" };
}

export function nativeItemValue(part: NativePart): JsonObject | undefined {
  return part.format === RESPONSES && !own(part).contentPart ? part.value : undefined;
}

/**
 * A call as a `function_call` / `custom_tool_call` item. For another origin the output item gets
 * an OpenAI-shaped id and `status: completed`, and no-argument calls (`""`) get `"{}"`, which
 * is what OpenAI itself sends and what clients parse.
 */
export function encodeToolCallItem(part: ToolCallPart, mode: EncodeMode, newId: (prefix: "fc" | "ctc") => string): JsonObject {
  const custom = part.kind === "custom";
  const type = custom ? "custom_tool_call" : "function_call";
  if (isOwn(part.origin)) {
    const item: JsonObject = { type, call_id: part.id, name: part.name };
    item[custom ? "input" : "arguments"] = part.arguments;
    if (part.itemId !== undefined) item.id = part.itemId;
    if (part.namespace !== undefined) item.namespace = part.namespace;
    return putNative(item, own(part));
  }
  const args = custom || part.arguments !== "" ? part.arguments : "{}";
  const item: JsonObject = mode === "input" ? { type } : { id: foreignItemId(part, custom, newId), type, status: "completed" };
  item.call_id = part.id;
  item.name = part.name;
  item[custom ? "input" : "arguments"] = args;
  if (part.namespace !== undefined) item.namespace = part.namespace;
  return item;
}

export function foreignItemId(part: ToolCallPart, custom: boolean, newId: (prefix: "fc" | "ctc") => string): string {
  const prefix = custom ? "ctc" : "fc";
  return part.itemId?.startsWith(prefix + "_") ? part.itemId : newId(prefix);
}
