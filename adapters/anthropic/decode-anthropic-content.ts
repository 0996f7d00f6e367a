import type {
  AssistantPart,
  FilePart,
  ImagePart,
  NativePart,
  ReasoningPart,
  TextPart,
  ToolCallPart,
  ToolResultPart,
  UserPart,
} from "../../src/canonical/content.ts";
import type { JsonObject, Origin } from "../../src/canonical/extras.ts";
import { unwrapForeignReasoning } from "../../src/canonical/foreign-reasoning.ts";
import { decodeAnthropicCitations } from "./anthropic-citations.ts";
import { ANTHROPIC, anthropicExtras, isObject, restOfKnown } from "./anthropic-extras.ts";
import { decodeMediaSource } from "./anthropic-media.ts";
import { rememberToolInput } from "./anthropic-tool-input.ts";

/** Content blocks (request messages and response content) to canonical parts. */

const TEXT_KEYS: ReadonlySet<string> = new Set(["type", "text", "citations"]);
const IMAGE_KEYS: ReadonlySet<string> = new Set(["type", "source"]);
const DOCUMENT_KEYS: ReadonlySet<string> = new Set(["type", "source", "title"]);
const THINKING_KEYS: ReadonlySet<string> = new Set(["type", "thinking", "signature"]);
const REDACTED_KEYS: ReadonlySet<string> = new Set(["type", "data"]);
const TOOL_USE_KEYS: ReadonlySet<string> = new Set(["type", "id", "name", "input"]);
const TOOL_RESULT_KEYS: ReadonlySet<string> = new Set(["type", "tool_use_id", "content", "is_error"]);

function withOrigin<P extends { origin?: Origin }>(part: P, origin: Origin | undefined): P {
  if (origin) part.origin = origin;
  return part;
}

export function nativePart(block: JsonObject, origin?: Origin): NativePart {
  const part: NativePart = { type: "native", format: ANTHROPIC, value: block };
  return withOrigin(part, origin);
}

export function decodeTextBlock(block: JsonObject, origin?: Origin): TextPart {
  const part: TextPart = { type: "text", text: typeof block.text === "string" ? block.text : "" };
  let rest = restOfKnown(block, TEXT_KEYS);
  if (Array.isArray(block.citations)) part.citations = decodeAnthropicCitations(block.citations);
  else if ("citations" in block) (rest ??= {}).citations = block.citations;
  if (typeof block.text !== "string" && "text" in block) (rest ??= {}).text = block.text;
  const extras = anthropicExtras(rest);
  if (extras) part.extras = extras;
  return withOrigin(part, origin);
}

function decodeImageBlock(block: JsonObject, origin?: Origin): ImagePart | NativePart {
  const source = decodeMediaSource(block.source);
  if (!source || source.kind === "base64" && (block.source as JsonObject).type !== "base64") return nativePart(block, origin);
  const part: ImagePart = { type: "image", source };
  const extras = anthropicExtras(restOfKnown(block, IMAGE_KEYS));
  if (extras) part.extras = extras;
  return withOrigin(part, origin);
}

function decodeDocumentBlock(block: JsonObject, origin?: Origin): FilePart | NativePart {
  const source = decodeMediaSource(block.source);
  if (!source) return nativePart(block, origin);
  const part: FilePart = { type: "file", source };
  if (source.kind === "base64") part.mediaType = source.mediaType;
  let rest = restOfKnown(block, DOCUMENT_KEYS);
  if (typeof block.title === "string") part.filename = block.title;
  else if ("title" in block) (rest ??= {}).title = block.title;
  const extras = anthropicExtras(rest);
  if (extras) part.extras = extras;
  return withOrigin(part, origin);
}

/** Thinking blocks; a signature we wrapped around another provider's reasoning is unwrapped. */
function decodeThinkingBlock(block: JsonObject, origin?: Origin): ReasoningPart {
  const part: ReasoningPart = { type: "reasoning", producer: ANTHROPIC };
  if (typeof block.thinking === "string") part.text = block.thinking;
  if (typeof block.signature === "string") {
    const foreign = unwrapForeignReasoning(block.signature);
    if (foreign) Object.assign(part, foreign);
    else part.signature = block.signature;
  }
  const extras = anthropicExtras(restOfKnown(block, THINKING_KEYS));
  if (extras) part.extras = extras;
  return withOrigin(part, origin);
}

function decodeRedactedThinkingBlock(block: JsonObject, origin?: Origin): ReasoningPart {
  const part: ReasoningPart = { type: "reasoning", redacted: true, producer: ANTHROPIC };
  if (typeof block.data === "string") {
    const foreign = unwrapForeignReasoning(block.data);
    if (foreign) Object.assign(part, foreign);
    else part.encrypted = block.data;
  }
  const extras = anthropicExtras(restOfKnown(block, REDACTED_KEYS));
  if (extras) part.extras = extras;
  return withOrigin(part, origin);
}

export function decodeToolUseBlock(block: JsonObject, origin?: Origin): ToolCallPart {
  const part: ToolCallPart = {
    type: "tool-call",
    id: typeof block.id === "string" ? block.id : "",
    name: typeof block.name === "string" ? block.name : "",
    arguments: block.input === undefined ? "" : JSON.stringify(block.input),
    kind: "function",
  };
  if (block.input !== undefined) rememberToolInput(part, block.input);
  const extras = anthropicExtras(restOfKnown(block, TOOL_USE_KEYS));
  if (extras) part.extras = extras;
  return withOrigin(part, origin);
}

/** Blocks inside a tool result; blocks the canonical result cannot hold ride on an empty text part. */
function decodeToolResultItem(block: JsonObject): TextPart | ImagePart | FilePart {
  switch (block.type) {
    case "text":
      return decodeTextBlock(block);
    case "image": {
      const part = decodeImageBlock(block);
      if (part.type === "image") return part;
      break;
    }
    case "document": {
      const part = decodeDocumentBlock(block);
      if (part.type === "file") return part;
      break;
    }
  }
  return { type: "text", text: "", extras: { anthropic: { $block: block } } };
}

function decodeToolResultBlock(block: JsonObject, origin?: Origin): ToolResultPart {
  const part: ToolResultPart = { type: "tool-result", callId: typeof block.tool_use_id === "string" ? block.tool_use_id : "", content: "" };
  let rest = restOfKnown(block, TOOL_RESULT_KEYS);
  const content = block.content;
  if (typeof content === "string") part.content = content;
  else if (Array.isArray(content)) part.content = content.map((b) => (isObject(b) ? decodeToolResultItem(b) : { type: "text", text: "", extras: { anthropic: { $block: b as JsonObject } } }));
  else if (content === undefined) (rest ??= {}).$noContent = true;
  else (rest ??= {}).content = content;
  if (typeof block.is_error === "boolean") part.isError = block.is_error;
  else if ("is_error" in block) (rest ??= {}).is_error = block.is_error;
  const extras = anthropicExtras(rest);
  if (extras) part.extras = extras;
  return withOrigin(part, origin);
}

/** A block of a user turn: user content, or a tool result (which the caller moves to a tool message). */
export function decodeUserBlock(block: JsonObject, origin?: Origin): UserPart | ToolResultPart {
  switch (block.type) {
    case "text":
      return decodeTextBlock(block, origin);
    case "image":
      return decodeImageBlock(block, origin);
    case "document":
      return decodeDocumentBlock(block, origin);
    case "tool_result":
      return decodeToolResultBlock(block, origin);
  }
  return nativePart(block, origin);
}

/** A block of an assistant turn or of a response's content. */
export function decodeAssistantBlock(block: JsonObject, origin?: Origin): AssistantPart {
  switch (block.type) {
    case "text":
      return decodeTextBlock(block, origin);
    case "thinking":
      return decodeThinkingBlock(block, origin);
    case "redacted_thinking":
      return decodeRedactedThinkingBlock(block, origin);
    case "tool_use":
      return decodeToolUseBlock(block, origin);
  }
  return nativePart(block, origin);
}
