import type { Part } from "../../src/canonical/content.ts";
import { extrasOf } from "../../src/canonical/extras.ts";
import type { CanonicalRequest } from "../../src/canonical/request.ts";
import { encodeAssistantPart, encodeToolResult, encodeUserPart, type ContentEncodeState } from "./encode-bedrock-content.ts";
import type { BedrockContentBlock, BedrockMessage, BedrockSystemBlock } from "./bedrock-wire-types.ts";

export interface BedrockConversation {
  system: BedrockSystemBlock[];
  messages: BedrockMessage[];
  /** Names of the tools called in the history: Bedrock wants them defined whenever toolUse/toolResult blocks appear. */
  calledTools: Set<string>;
  hasToolBlocks: boolean;
}

interface Building {
  message: BedrockMessage;
  /** The origin index of the Bedrock message the parts came from; undefined for other formats. */
  key: number | undefined;
}

/**
 * The canonical conversation as Bedrock system blocks and messages.
 * - Instructions, system and developer messages from anywhere go to `system`, in order.
 * - Tool results become toolResult blocks of the user turn; user and tool messages in a row merge
 *   into one user turn, assistant messages in a row into one assistant turn, as Bedrock wants
 *   roles to alternate. Parts decoded from Bedrock keep their own turns (origin), so a Bedrock
 *   body comes back as it was.
 * - Parts Bedrock cannot take (other formats' native parts and reasoning) are left out, and a
 *   turn left empty by that is dropped.
 */
export function convertToBedrockMessages(request: CanonicalRequest): BedrockConversation {
  const system: BedrockSystemBlock[] = [];
  const messages: BedrockMessage[] = [];
  const calledTools = new Set<string>();
  const state: ContentEncodeState = { documentNames: new Set() };
  let hasToolBlocks = false;
  let current: Building | undefined;

  if (request.instructions) system.push({ text: request.instructions });

  request.messages.forEach((m, i) => {
    if (m.role === "system" || m.role === "developer") {
      for (const p of m.content) {
        if (p.type === "text") {
          if (p.text !== "") system.push({ text: p.text });
        } else if (p.format === "bedrock") system.push(p.value as BedrockSystemBlock);
      }
      return;
    }
    const role = m.role === "assistant" ? "assistant" : "user";
    let startsMessage = true;
    (m.content as Part[]).forEach((part, j) => {
      const block = encodePart(part, role, `messages[${i}].content[${j}]`, state);
      if (!block) return;
      if (block.toolUse) calledTools.add(block.toolUse.name);
      if (block.toolUse || block.toolResult) hasToolBlocks = true;
      const key = part.origin?.format === "bedrock" ? part.origin.index : undefined;
      if (!current || current.message.role !== role || (key !== undefined && current.key !== undefined && key !== current.key)) {
        current = { message: { role, content: [] }, key };
        messages.push(current.message);
      } else if (current.key === undefined) current.key = key;
      if (startsMessage) {
        Object.assign(current.message, extrasOf(m, "bedrock"));
        startsMessage = false;
      }
      current.message.content.push(block);
    });
  });
  return { system, messages, calledTools, hasToolBlocks };
}

function encodePart(part: Part, role: "user" | "assistant", param: string, state: ContentEncodeState): BedrockContentBlock | undefined {
  let block: BedrockContentBlock | undefined;
  switch (part.type) {
    case "tool-result":
      return encodeToolResult(part, param, state);
    case "image":
    case "file":
    case "audio":
      block = encodeUserPart(part, param, state);
      break;
    case "refusal":
    case "reasoning":
    case "tool-call":
      block = encodeAssistantPart(part, param);
      break;
    case "text":
    case "native":
      block = role === "assistant" ? encodeAssistantPart(part, param) : encodeUserPart(part, param, state);
  }
  // Claude rejects empty text blocks; an empty text from another format says nothing.
  if (block?.text === "" && part.origin?.format !== "bedrock") return undefined;
  return block;
}
