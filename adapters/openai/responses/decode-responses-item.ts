import type { AssistantPart, NativePart, ToolCallPart } from "../../../src/canonical/content.ts";
import { restOf, type JsonObject, type Origin } from "../../../src/canonical/extras.ts";
import { decodeContentPart, nativeContent } from "./decode-responses-content.ts";
import { decodeReasoningItem } from "./decode-responses-reasoning.ts";
import { addExtra, isObject, keepRest, RESPONSES } from "./responses-extras.ts";

const MESSAGE = new Set(["role", "content"]);
const FUNCTION_CALL = new Set(["type", "id", "call_id", "name", "arguments", "namespace"]);
const CUSTOM_CALL = new Set(["type", "id", "call_id", "name", "input", "namespace"]);

/**
 * One model-side item — an output item, or the same kinds replayed in a request's input — as
 * canonical assistant parts: a message gives one part per content part, reasoning and calls one
 * part each, hosted tool calls (web_search_call, …) and unknown items a native part.
 */
export function decodeAssistantItem(item: JsonObject, origin: Origin | undefined): AssistantPart[] {
  switch (item.type) {
    case "message":
      return decodeAssistantMessage(item, origin);
    case "reasoning":
      return [decodeReasoningItem(item, origin)];
    case "function_call":
      return [decodeCall(item, "function", origin)];
    case "custom_tool_call":
      return [decodeCall(item, "custom", origin)];
    case undefined:
      if (item.role === "assistant") return decodeAssistantMessage(item, origin);
  }
  return [nativeItem(item, origin)];
}

export function nativeItem(item: JsonObject, origin: Origin | undefined): NativePart {
  const part: NativePart = { type: "native", format: RESPONSES, value: item };
  if (origin) part.origin = origin;
  return part;
}

function decodeAssistantMessage(item: JsonObject, origin: Origin | undefined): AssistantPart[] {
  const content = item.content;
  const parts: AssistantPart[] = [];
  if (typeof content === "string") {
    parts.push({ type: "text", text: content, extras: { [RESPONSES]: { string: true } } });
    if (origin) parts[0].origin = origin;
  } else if (Array.isArray(content)) {
    for (const c of content) {
      const part = isObject(c) ? decodeContentPart(c, "assistant", origin) : undefined;
      // Images, files and audio have no place in a model turn: they stay native, verbatim.
      if (part && (part.type === "text" || part.type === "refusal" || part.type === "native")) parts.push(part);
      else parts.push(nativeContent(c, origin));
    }
  }
  if (parts.length === 0) return [nativeItem(item, origin)];
  const rest = restOf(item, MESSAGE);
  if (rest) {
    const first = parts[0];
    const extras = (first.extras ??= {});
    (extras[RESPONSES] ??= {}).item = rest;
  }
  return parts;
}

function decodeCall(item: JsonObject, kind: "function" | "custom", origin: Origin | undefined): ToolCallPart {
  const args = kind === "function" ? item.arguments : item.input;
  const part: ToolCallPart = {
    type: "tool-call",
    kind,
    id: typeof item.call_id === "string" ? item.call_id : "",
    name: typeof item.name === "string" ? item.name : "",
    arguments: typeof args === "string" ? args : args === undefined ? "" : JSON.stringify(args),
  };
  if (origin) part.origin = origin;
  let extras = keepRest(item, kind === "function" ? FUNCTION_CALL : CUSTOM_CALL);
  if (typeof item.id === "string") part.itemId = item.id;
  else if ("id" in item) extras = addExtra(extras, "id", item.id);
  if (typeof item.namespace === "string") part.namespace = item.namespace;
  else if ("namespace" in item) extras = addExtra(extras, "namespace", item.namespace);
  if (extras) part.extras = extras;
  return part;
}
