import type { FilePart, ImagePart, NativePart, TextPart, ToolResultPart, UserPart } from "../../../src/canonical/content.ts";
import { restOf, type JsonObject, type Origin } from "../../../src/canonical/extras.ts";
import type { Message } from "../../../src/canonical/request.ts";
import { decodeContentPart, nativeContent } from "./decode-responses-content.ts";
import { decodeAssistantItem, nativeItem } from "./decode-responses-item.ts";
import { isObject, keepRest, originAt, RESPONSES } from "./responses-extras.ts";

type AssistantMessage = Extract<Message, { role: "assistant" }>;
type ToolMessage = Extract<Message, { role: "tool" }>;

/**
 * Input items as canonical messages. Consecutive model-side items (assistant messages, reasoning,
 * calls, hosted tool calls) form one assistant message and consecutive call outputs one tool
 * message; every part keeps its item's index as origin so the items can be rebuilt.
 */
export function decodeInput(input: readonly unknown[]): Message[] {
  const messages: Message[] = [];
  let assistant: AssistantMessage | undefined;
  let tool: ToolMessage | undefined;
  for (let i = 0; i < input.length; i++) {
    const item = input[i] as JsonObject;
    const origin = originAt(i);
    const side = sideOf(item);
    if (side === "assistant") {
      tool = undefined;
      if (!assistant) messages.push((assistant = { role: "assistant", content: [] }));
      assistant.content.push(...decodeAssistantItem(item, origin));
    } else if (side === "tool") {
      assistant = undefined;
      if (!tool) messages.push((tool = { role: "tool", content: [] }));
      tool.content.push(decodeToolOutput(item, origin));
    } else {
      assistant = tool = undefined;
      messages.push(side === "client" ? { role: "user", content: [nativeItem(item, origin)] } : decodeMessage(item, side, origin));
    }
  }
  return messages;
}

type Side = "assistant" | "tool" | "client" | "user" | "system" | "developer";

function sideOf(item: JsonObject): Side {
  const type = item.type;
  if (type === "message" || (type === undefined && item.role !== undefined)) {
    const role = item.role;
    return role === "user" || role === "system" || role === "developer" ? role : "assistant";
  }
  if (type === "function_call_output" || type === "custom_tool_call_output") return "tool";
  // What the client answers to a hosted or client-side tool (computer_call_output,
  // mcp_approval_response, …): kept verbatim on the client's side of the conversation.
  if (typeof type === "string" && (type.endsWith("_output") || type === "mcp_approval_response")) return "client";
  return "assistant";
}

const MESSAGE = new Set(["role", "content"]);

function decodeMessage(item: JsonObject, role: "user" | "system" | "developer", origin: Origin): Message {
  const content = item.content;
  const parts: UserPart[] = [];
  if (typeof content === "string") {
    parts.push({ type: "text", text: content, origin, extras: { [RESPONSES]: { string: true } } });
  } else if (Array.isArray(content)) {
    for (const c of content) {
      const part = isObject(c) ? decodeContentPart(c, role, origin) : undefined;
      if (part && part.type !== "refusal" && (role === "user" || part.type === "text" || part.type === "native")) parts.push(part);
      else parts.push(nativeContent(c, origin));
    }
  }
  const message = (role === "user" ? { role, content: parts } : { role, content: parts as Array<TextPart | NativePart> }) as Message;
  const rest = restOf(item, MESSAGE);
  if (rest) message.extras = { [RESPONSES]: rest };
  return message;
}

const OUTPUT = new Set(["type", "call_id", "output", "name"]);

function decodeToolOutput(item: JsonObject, origin: Origin): ToolResultPart {
  const part: ToolResultPart = {
    type: "tool-result",
    callId: typeof item.call_id === "string" ? item.call_id : "",
    kind: item.type === "custom_tool_call_output" ? "custom" : "function",
    content: "",
    origin,
  };
  const extras = keepRest(item, OUTPUT)?.[RESPONSES] ?? {};
  if (typeof item.name === "string") part.name = item.name;
  else if ("name" in item) extras.name = item.name;
  const output = item.output;
  if (typeof output === "string") part.content = output;
  else if (Array.isArray(output)) {
    const list: Array<TextPart | ImagePart | FilePart> = [];
    for (const c of output) {
      const p = isObject(c) ? decodeContentPart(c, "tool", origin) : undefined;
      if (p && (p.type === "text" || p.type === "image" || p.type === "file")) list.push(p);
      // A part with no canonical shape: the list is kept verbatim beside its readable parts.
      else extras.output = output;
    }
    part.content = list;
  } else if (output !== undefined) {
    extras.output = output;
  }
  for (const _ in extras) {
    part.extras = { [RESPONSES]: extras };
    break;
  }
  return part;
}
