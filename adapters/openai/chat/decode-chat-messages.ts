import type { NativePart, TextPart, ToolResultPart, UserPart } from "../../../src/canonical/content.ts";
import { proxyError } from "../../../src/canonical/error.ts";
import type { JsonObject, Origin } from "../../../src/canonical/extras.ts";
import type { Message } from "../../../src/canonical/request.ts";
import { CHAT, isObject, originAt, restExcept, withChatExtras } from "./chat-extras.ts";
import { CONTENT_ARRAY, decodeAssistantMessage } from "./convert-chat-assistant-message.ts";
import { decodeChatContentPart } from "./convert-chat-content-parts.ts";

/** Message hint: a legacy `function` role message (a tool result named by function, without call id). */
const FUNCTION_ROLE = "$role";

/**
 * Chat messages as canonical messages, one for one. A tool message's tool name is not on the
 * Chat wire: it stays unset (the pipeline resolves it from the call with `toolNameForCall`).
 */
export function decodeChatMessages(messages: readonly unknown[]): Message[] {
  const out: Message[] = new Array(messages.length);
  for (let i = 0; i < messages.length; i++) out[i] = decodeChatMessage(messages[i] as JsonObject, i);
  return out;
}

function decodeChatMessage(m: JsonObject, i: number): Message {
  const path = `messages[${i}]`;
  const origin = originAt(i);
  switch (m.role) {
    case "system":
    case "developer": {
      const { parts, rest } = decodeContent(m, origin, path, true);
      return withChatExtras<Message>({ role: m.role, content: parts as Array<TextPart | NativePart> }, rest);
    }
    case "user": {
      const { parts, rest } = decodeContent(m, origin, path, false);
      return withChatExtras<Message>({ role: "user", content: parts }, rest);
    }
    case "assistant": {
      const { parts, extras } = decodeAssistantMessage(m, origin, path, true);
      return { role: "assistant", content: parts, extras: { [CHAT]: extras } };
    }
    case "tool":
      return decodeToolMessage(m, origin, path);
    case "function":
      return decodeFunctionMessage(m, origin, path);
    default:
      throw proxyError(400, `Invalid value for '${path}.role': '${String(m.role)}' is not a supported role`, { param: `${path}.role` });
  }
}

/** `textOnly` (system, developer): parts other than text are kept whole as native parts. */
function decodeContent(m: JsonObject, origin: Origin, path: string, textOnly: boolean): { parts: UserPart[]; rest: JsonObject | undefined } {
  const content = m.content;
  if (typeof content === "string") return { parts: [{ type: "text", text: content, origin }], rest: restExcept(m, ["role", "content"]) };
  if (!Array.isArray(content)) return { parts: [], rest: restExcept(m, ["role"]) };
  const parts: UserPart[] = new Array(content.length);
  for (let j = 0; j < content.length; j++) {
    const p = content[j];
    parts[j] = textOnly && isObject(p) && p.type !== "text" ? { type: "native", format: CHAT, value: p, origin } : decodeChatContentPart(p, origin, `${path}.content[${j}]`);
  }
  return { parts, rest: { ...restExcept(m, ["role", "content"]), [CONTENT_ARRAY]: "array" } };
}

function decodeToolMessage(m: JsonObject, origin: Origin, path: string): Message {
  if (typeof m.tool_call_id !== "string") throw proxyError(400, `Missing required parameter: '${path}.tool_call_id'.`, { param: `${path}.tool_call_id` });
  const part: ToolResultPart = { type: "tool-result", callId: m.tool_call_id, content: "", origin };
  const taken = ["role", "tool_call_id"];
  if (typeof m.content === "string") {
    part.content = m.content;
    taken.push("content");
  } else if (Array.isArray(m.content)) {
    part.content = m.content.map((p, j) => {
      const decoded = decodeChatContentPart(p, origin, `${path}.content[${j}]`);
      if (decoded.type === "text" || decoded.type === "image" || decoded.type === "file") return decoded;
      throw proxyError(400, `Invalid value for '${path}.content[${j}].type': a tool message takes text, image and file parts`, { param: `${path}.content[${j}].type` });
    });
    taken.push("content");
  }
  return withChatExtras<Message>({ role: "tool", content: [part] }, restExcept(m, taken));
}

function decodeFunctionMessage(m: JsonObject, origin: Origin, path: string): Message {
  if (typeof m.name !== "string") throw proxyError(400, `Missing required parameter: '${path}.name'.`, { param: `${path}.name` });
  const content = typeof m.content === "string" ? m.content : "";
  const part: ToolResultPart = { type: "tool-result", callId: "", name: m.name, content, kind: "function", origin };
  const rest = restExcept(m, typeof m.content === "string" ? ["role", "name", "content"] : ["role", "name"]);
  return withChatExtras<Message>({ role: "tool", content: [part] }, { ...rest, [FUNCTION_ROLE]: "function" });
}

export function isFunctionRole(ex: JsonObject | undefined): boolean {
  return isObject(ex) && ex[FUNCTION_ROLE] === "function";
}
