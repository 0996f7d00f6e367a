import type {
  AssistantPart,
  FilePart,
  ImagePart,
  ReasoningPart,
  TextPart,
  ToolCallPart,
  ToolResultPart,
  UserPart,
} from "../../src/canonical/content.ts";
import { proxyError } from "../../src/canonical/error.ts";
import type { JsonObject } from "../../src/canonical/extras.ts";
import { wrapForeignReasoning } from "../../src/canonical/foreign-reasoning.ts";
import { encodeAnthropicCitations } from "./anthropic-citations.ts";
import { ANTHROPIC, own, spreadNative } from "./anthropic-extras.ts";
import { encodeDocumentSource, encodeImageSource } from "./anthropic-media.ts";
import { toolInputOf } from "./anthropic-tool-input.ts";
import { flatToolName, toolUseId } from "./anthropic-tool-names.ts";

/**
 * Canonical parts to content blocks. `native`: a request decoded from this format, written back as
 * it came. `routed`: a request from another format, made acceptable to the Messages API (no empty
 * text, no unsigned or foreign thinking, ids and names that fit). `response`: a response or stream
 * for a client of this format, whatever produced it (foreign reasoning travels in the signature).
 */
export type EncodeMode = "native" | "routed" | "response";

export function encodeTextPart(part: TextPart, mode: EncodeMode): JsonObject {
  const block: JsonObject = { type: "text", text: part.text };
  if (part.citations) {
    const citations = encodeAnthropicCitations(part.citations);
    if (citations.length > 0 || (mode !== "routed" && part.citations.length === 0)) block.citations = citations;
  }
  return spreadNative(block, own(part));
}

function encodeImagePart(part: ImagePart, param: string): JsonObject {
  return spreadNative({ type: "image", source: encodeImageSource(part, param) }, own(part));
}

function encodeFilePart(part: FilePart, param: string): JsonObject {
  const block: JsonObject = { type: "document", source: encodeDocumentSource(part, param) };
  if (part.filename !== undefined) block.title = part.filename;
  return spreadNative(block, own(part));
}

/** A user-side part, or undefined when the part has no Anthropic form (another format's native part, empty routed text). */
export function encodeUserPart(part: UserPart, mode: EncodeMode, param: string): JsonObject | undefined {
  switch (part.type) {
    case "text":
      return mode === "routed" && part.text === "" ? undefined : encodeTextPart(part, mode);
    case "image":
      return encodeImagePart(part, param);
    case "file":
      return encodeFilePart(part, param);
    case "audio":
      throw proxyError(400, "Audio input is not supported by this provider", { param });
    case "native":
      return part.format === ANTHROPIC ? part.value : undefined;
  }
}

function encodeToolResultItem(part: TextPart | ImagePart | FilePart, mode: EncodeMode, param: string): JsonObject | undefined {
  const block = own(part).$block;
  if (block !== undefined) return block as JsonObject;
  return encodeUserPart(part, mode, param);
}

export function encodeToolResult(part: ToolResultPart, mode: EncodeMode, param: string): JsonObject {
  const x = own(part);
  const block: JsonObject = { type: "tool_result", tool_use_id: mode === "routed" ? toolUseId(part.callId) : part.callId };
  if (typeof part.content === "string") {
    if (!x.$noContent && (part.content !== "" || mode !== "routed")) block.content = part.content;
  } else {
    const content: JsonObject[] = [];
    for (const item of part.content) {
      const b = encodeToolResultItem(item, mode, param);
      if (b) content.push(b);
    }
    block.content = content;
  }
  if (part.isError !== undefined) block.is_error = part.isError;
  return spreadNative(block, x);
}

export function encodeToolCall(part: ToolCallPart, mode: EncodeMode): JsonObject {
  const routed = mode === "routed";
  return spreadNative(
    {
      type: "tool_use",
      id: routed ? toolUseId(part.id) : part.id,
      name: routed ? flatToolName(part.name, part.namespace) : part.name,
      // Custom (free-text) tools are declared with one string property `input`.
      input: part.kind === "custom" ? { input: part.arguments } : toolInputOf(part),
    },
    own(part),
  );
}

/**
 * Thinking blocks. Requests carry only this provider's signed thinking (Anthropic rejects unsigned
 * or foreign thinking, and other providers' reasoning text cannot be sent as thinking); responses
 * to this format's clients carry foreign reasoning with its signature in our envelope, so that it
 * reaches its producer again when the client sends it back.
 */
export function encodeReasoningPart(part: ReasoningPart, mode: EncodeMode): JsonObject | undefined {
  const x = own(part);
  const ours = part.producer === ANTHROPIC;
  if (part.redacted) {
    const data = ours ? part.encrypted : mode === "response" ? wrapForeignReasoning(part) : undefined;
    return data === undefined ? undefined : spreadNative({ type: "redacted_thinking", data }, x);
  }
  let signature: string | undefined;
  if (ours) {
    if (mode === "routed" && !part.signature) return undefined;
    signature = part.signature;
  } else {
    if (mode !== "response") return undefined;
    signature = wrapForeignReasoning(part) ?? "";
  }
  const block: JsonObject = { type: "thinking", thinking: part.text ?? part.summary?.join("\n\n") ?? "" };
  if (signature !== undefined) block.signature = signature;
  else if (mode === "response") block.signature = "";
  return spreadNative(block, x);
}

export function encodeAssistantPart(part: AssistantPart, mode: EncodeMode): JsonObject | undefined {
  switch (part.type) {
    case "text":
      return mode === "routed" && part.text === "" ? undefined : encodeTextPart(part, mode);
    case "refusal":
      return part.text === "" ? undefined : { type: "text", text: part.text };
    case "reasoning":
      return encodeReasoningPart(part, mode);
    case "tool-call":
      return encodeToolCall(part, mode);
    case "native":
      return part.format === ANTHROPIC ? part.value : undefined;
  }
}
