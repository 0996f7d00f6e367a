import type { NativePart, TextPart, ToolResultPart, UserPart } from "../../src/canonical/content.ts";
import { restOf, type Origin } from "../../src/canonical/extras.ts";
import { toolNameForCall, type Message } from "../../src/canonical/request.ts";
import { decodeAssistantBlock, decodeToolResult, decodeUserBlock, nativePart } from "./decode-bedrock-content.ts";
import type { BedrockMessage, BedrockSystemBlock } from "./bedrock-wire-types.ts";

const MESSAGE_KNOWN = new Set(["role", "content"]);

/** The system blocks as one system message: text parts, cache points and guard content as native parts. */
export function decodeBedrockSystem(system: BedrockSystemBlock[]): Message | undefined {
  if (system.length === 0) return undefined;
  const content: Array<TextPart | NativePart> = system.map((b) => {
    const keys = Object.keys(b);
    return keys.length === 1 && typeof b.text === "string" ? { type: "text", text: b.text } : nativePart(b);
  });
  return { role: "system", content };
}

/**
 * Bedrock messages as canonical ones. A user turn holding tool results becomes tool messages
 * (the results) and user messages (the rest), in block order; every part keeps the index of its
 * Bedrock message as origin, so the Bedrock encoder puts them back into one turn.
 */
export function decodeBedrockMessages(messages: BedrockMessage[]): Message[] {
  const out: Message[] = [];
  messages.forEach((m, index) => {
    const origin: Origin = { format: "bedrock", index };
    const rest = restOf(m, MESSAGE_KNOWN);
    const extras = rest && { bedrock: rest };
    const blocks = Array.isArray(m.content) ? m.content : [];
    const first = out.length;
    if (m.role === "assistant") {
      out.push({ role: "assistant", content: blocks.map((b) => decodeAssistantBlock(b, origin)) });
    } else {
      let current: { role: "user"; content: UserPart[] } | { role: "tool"; content: ToolResultPart[] } | undefined;
      for (const b of blocks) {
        if (b.toolResult && Object.keys(b).length === 1 && typeof b.toolResult.toolUseId === "string") {
          if (current?.role !== "tool") out.push((current = { role: "tool", content: [] }));
          current.content.push(decodeToolResult(b.toolResult, origin, toolNameForCall(out, b.toolResult.toolUseId)));
        } else {
          if (current?.role !== "user") out.push((current = { role: "user", content: [] }));
          current.content.push(decodeUserBlock(b, origin));
        }
      }
      if (!current) out.push({ role: "user", content: [] });
    }
    if (extras) out[first].extras = extras;
  });
  return out;
}
