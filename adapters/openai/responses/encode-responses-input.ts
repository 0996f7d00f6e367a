import type { NativePart, TextPart, ToolResultPart, UserPart } from "../../../src/canonical/content.ts";
import type { JsonObject } from "../../../src/canonical/extras.ts";
import type { Message } from "../../../src/canonical/request.ts";
import { encodeContentPart } from "./encode-responses-content.ts";
import { encodeAssistantParts, nativeItemValue, type ItemOptions } from "./encode-responses-item.ts";
import { isOwn, own, RESPONSES } from "./responses-extras.ts";

/** Canonical messages as input items: the inverse of decodeInput for messages it decoded. */
export function encodeInput(messages: readonly Message[], options: ItemOptions): JsonObject[] {
  const items: JsonObject[] = [];
  for (const m of messages) {
    switch (m.role) {
      case "assistant":
        items.push(...encodeAssistantParts(m.content, options));
        break;
      case "tool":
        for (const part of m.content) items.push(encodeToolOutput(part));
        break;
      default:
        encodeMessage(m, items);
    }
  }
  return items;
}

/**
 * A user, system or developer message as a message item. Client-side native items that were
 * decoded into a user message (computer_call_output, …) come back as the items they were.
 */
function encodeMessage(m: { role: string; content: ReadonlyArray<UserPart | TextPart | NativePart>; extras?: Message["extras"] }, items: JsonObject[]): void {
  const extras = m.extras?.[RESPONSES];
  const content: JsonObject[] = [];
  let first: UserPart | undefined;
  let natives = 0;
  for (const part of m.content) {
    if (part.type === "native" && !own(part).contentPart) {
      const value = nativeItemValue(part);
      if (value) items.push(value);
      natives++;
      continue;
    }
    first ??= part;
    const c = encodeContentPart(part, m.role, "input");
    if (c) content.push(c);
  }
  if (natives > 0 && first === undefined) return;
  const item: JsonObject = extras ? { ...extras, role: m.role } : { role: m.role };
  item.content = first?.type === "text" && m.content.length === 1 && isOwn(first.origin) && own(first).string ? first.text : content;
  items.push(item);
}

function encodeToolOutput(part: ToolResultPart): JsonObject {
  const type = part.kind === "custom" ? "custom_tool_call_output" : "function_call_output";
  const mine = isOwn(part.origin);
  const item: JsonObject = { type, call_id: part.callId };
  if (typeof part.content === "string") item.output = part.content;
  else {
    const list: JsonObject[] = [];
    for (const c of part.content) {
      const encoded = encodeContentPart(c, "tool", "input");
      if (encoded) list.push(encoded);
    }
    item.output = list;
  }
  if (!mine) return item;
  if (part.name !== undefined) item.name = part.name;
  return Object.assign(item, own(part));
}
