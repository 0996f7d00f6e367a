import type { NativePart, TextPart, ToolResultPart, UserPart } from "../../../src/canonical/content.ts";
import type { JsonObject } from "../../../src/canonical/extras.ts";
import type { CanonicalRequest, Message } from "../../../src/canonical/request.ts";
import { chatExtrasOf, copyNative, isOwn, type ChatExtras } from "./chat-extras.ts";
import { CONTENT_ARRAY, encodeAssistantMessage } from "./convert-chat-assistant-message.ts";
import { encodeChatContentPart } from "./convert-chat-content-parts.ts";
import type { ReasoningReplay } from "./convert-chat-reasoning.ts";
import { isFunctionRole } from "./decode-chat-messages.ts";

/** Texts of one message from another format are joined into one string, as separate paragraphs. */
const FOREIGN_JOIN = "\n\n";

/**
 * Canonical messages as Chat messages for an upstream. Messages decoded from Chat come back as
 * they were. From other formats: Responses `instructions` lead as a system message, `developer`
 * becomes `system` (which every Chat provider takes), each tool result is its own tool message,
 * reasoning text goes only where `replay` says, and what Chat cannot carry is
 * dropped: hosted-tool items, files given by URL, images inside tool results.
 */
export function encodeChatMessages(request: CanonicalRequest, replay?: ReasoningReplay): JsonObject[] {
  const out: JsonObject[] = [];
  if (request.instructions !== undefined) out.push({ role: "system", content: request.instructions });
  for (const m of request.messages) encodeMessage(m, out, replay);
  return out;
}

function encodeMessage(m: Message, out: JsonObject[], replay: ReasoningReplay | undefined): void {
  const ex = chatExtrasOf(m);
  switch (m.role) {
    case "system":
    case "developer":
    case "user": {
      const own = ex !== undefined || m.content.some(isOwn);
      const content = encodeContent(m.content, ex, own);
      if (own) out.push(copyNative(ex, content === undefined ? { role: m.role } : { role: m.role, content }));
      // From another format: `developer` is `system` for every Chat provider; an empty turn is left out.
      else if (content !== undefined && content.length > 0) out.push({ role: m.role === "user" ? "user" : "system", content });
      return;
    }
    case "assistant": {
      const msg = encodeAssistantMessage(m.content, ex, false, replay);
      // Another format's turn that held only what Chat cannot carry (reasoning, hosted calls).
      if (ex === undefined && msg.content === null && msg.tool_calls === undefined && msg.refusal === undefined) return;
      out.push(msg);
      return;
    }
    case "tool":
      for (const part of m.content) out.push(encodeToolResult(part, m.content.length === 1 ? ex : undefined));
      return;
  }
}

/**
 * A message's content as Chat writes it: a string when it was one (or when it is only text),
 * else an array. Undefined when the message kept a content that was neither (`null`).
 */
function encodeContent(parts: ReadonlyArray<UserPart | TextPart | NativePart>, ex: ChatExtras | undefined, own: boolean): string | unknown[] | undefined {
  if (parts.length === 0 && ex !== undefined && "content" in ex) return undefined;
  if (ex?.[CONTENT_ARRAY] !== "array" && parts.every((p) => p.type === "text")) {
    let text = "";
    for (let i = 0; i < parts.length; i++) {
      if (i > 0 && !own) text += FOREIGN_JOIN;
      text += (parts[i] as TextPart).text;
    }
    return text;
  }
  const content: unknown[] = [];
  for (const p of parts) {
    const encoded = encodeChatContentPart(p);
    if (encoded !== undefined) content.push(encoded);
  }
  return content;
}

function encodeToolResult(part: ToolResultPart, ex: ChatExtras | undefined): JsonObject {
  if (isFunctionRole(ex)) return copyNative(ex, { role: "function", name: part.name ?? "", ...(!("content" in ex!) && { content: part.content }) });
  const msg: JsonObject = { role: "tool", tool_call_id: part.callId };
  if (typeof part.content === "string") msg.content = part.content;
  else if (isOwn(part)) msg.content = part.content.map(encodeChatContentPart).filter((p) => p !== undefined);
  else msg.content = part.content.flatMap((p) => (p.type === "text" ? [p.text] : [])).join(FOREIGN_JOIN);
  return copyNative(ex, msg);
}
