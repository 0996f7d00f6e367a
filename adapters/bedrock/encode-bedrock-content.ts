import type { AssistantPart, FilePart, ImagePart, ToolResultPart, UserPart } from "../../src/canonical/content.ts";
import { proxyError } from "../../src/canonical/error.ts";
import { extrasOf, type JsonObject } from "../../src/canonical/extras.ts";
import { bedrockDocumentName, bedrockFormatOf, documentFormatFromName, toBedrockSource } from "./bedrock-media.ts";
import type { BedrockContentBlock, BedrockSource, BedrockToolResultContent } from "./bedrock-wire-types.ts";

/** State shared by the blocks of one request: document names must be unique within it. */
export interface ContentEncodeState {
  documentNames: Set<string>;
}

/** The source with what decoding kept aside (an S3 object's bucket owner). */
function withS3Extras(source: BedrockSource, extras: JsonObject): BedrockSource {
  if (source.s3Location && typeof extras.bucketOwner === "string") return { s3Location: { ...source.s3Location, bucketOwner: extras.bucketOwner } };
  return source;
}

/** The fields of the media block decoding kept (context, citations, error, …). */
function blockExtras(extras: JsonObject): JsonObject {
  const { format: _f, bucketOwner: _b, noFormat: _n, ...rest } = extras;
  return rest;
}

export function encodeImage(part: ImagePart, param: string): BedrockContentBlock {
  const extras = extrasOf(part, "bedrock");
  const { source, mediaType } = toBedrockSource(part.source, param);
  const format = typeof extras.format === "string" ? extras.format : mediaType !== undefined ? bedrockFormatOf("image", mediaType) : undefined;
  if (format === undefined) {
    throw proxyError(400, `Amazon Bedrock takes png, jpeg, gif and webp images, not ${mediaType ?? "this image"}.`, { param, code: "unsupported_media_type" });
  }
  return { image: { ...blockExtras(extras), format, source: withS3Extras(source, extras) } };
}

export function encodeFile(part: FilePart, param: string, state: ContentEncodeState): BedrockContentBlock {
  const extras = extrasOf(part, "bedrock");
  const { source, mediaType: sourceType } = toBedrockSource(part.source, param);
  const mediaType = part.mediaType ?? sourceType;
  if (mediaType?.startsWith("video/")) {
    const format = typeof extras.format === "string" ? extras.format : bedrockFormatOf("video", mediaType);
    if (format !== undefined) return { video: { ...blockExtras(extras), format, source: withS3Extras(source, extras) } };
  }
  const format =
    typeof extras.format === "string" ? extras.format : ((mediaType && bedrockFormatOf("document", mediaType)) ?? documentFormatFromName(part.filename));
  if (format === undefined && extras.noFormat !== true) {
    throw proxyError(400, `Amazon Bedrock cannot read ${mediaType ?? "this file type"} documents (pdf, csv, doc, docx, xls, xlsx, html, txt and md are supported).`, {
      param,
      code: "unsupported_media_type",
    });
  }
  const name = uniqueName(bedrockDocumentName(part.filename, `document-${state.documentNames.size + 1}`), state);
  return { document: { ...blockExtras(extras), ...(format !== undefined && { format }), name, source: withS3Extras(source, extras) } };
}

/** Bedrock rejects two documents with one name in a request; later ones get a counter. */
function uniqueName(name: string, state: ContentEncodeState): string {
  let candidate = name;
  for (let n = 2; state.documentNames.has(candidate); n++) candidate = `${name} (${n})`;
  state.documentNames.add(candidate);
  return candidate;
}

/** A user part as a block, or undefined for what Bedrock cannot take (other formats' native parts). */
export function encodeUserPart(part: UserPart, param: string, state: ContentEncodeState): BedrockContentBlock | undefined {
  switch (part.type) {
    case "text":
      return { text: part.text };
    case "image":
      return encodeImage(part, param);
    case "file":
      return encodeFile(part, param, state);
    case "audio":
      return { audio: { format: part.format, source: { bytes: part.data } } };
    case "native":
      return part.format === "bedrock" ? (part.value as BedrockContentBlock) : undefined;
  }
}

/**
 * An assistant part as a block. Reasoning goes back only when Bedrock produced it: a signature
 * is valid only for the provider that made it, and Claude on Bedrock rejects thinking without a
 * valid one, so other providers' reasoning is dropped rather than sent unsigned (and turning it
 * into assistant text would put words in the model's mouth).
 */
export function encodeAssistantPart(part: AssistantPart, param: string): BedrockContentBlock | undefined {
  switch (part.type) {
    case "text":
    case "refusal":
      return { text: part.text };
    case "reasoning": {
      if (part.producer !== "bedrock") return undefined;
      if (part.encrypted !== undefined) return { reasoningContent: { redactedContent: part.encrypted } };
      if (part.text === undefined) return undefined;
      return {
        reasoningContent: {
          reasoningText: { ...extrasOf(part, "bedrock"), text: part.text, ...(part.signature !== undefined && { signature: part.signature }) },
        },
      };
    }
    case "tool-call":
      return { toolUse: { ...extrasOf(part, "bedrock"), toolUseId: part.id, name: part.name, input: toolInput(part.arguments, part.kind, param) } };
    case "native":
      return part.format === "bedrock" ? (part.value as BedrockContentBlock) : undefined;
  }
}

/**
 * Bedrock takes tool input as a JSON value. A custom (free-text) tool's input is wrapped as
 * `{input}`, matching the schema its definition is given.
 */
function toolInput(args: string, kind: "function" | "custom", param: string): unknown {
  if (kind === "custom") return { input: args };
  if (args.trim() === "") return {};
  try {
    return JSON.parse(args);
  } catch {
    throw proxyError(400, "The tool call's arguments are not valid JSON.", { param, code: "invalid_tool_arguments" });
  }
}

export function encodeToolResult(part: ToolResultPart, param: string, state: ContentEncodeState): BedrockContentBlock {
  const { noContent, ...extras } = extrasOf(part, "bedrock");
  const content: BedrockToolResultContent[] = [];
  if (typeof part.content === "string") content.push({ text: part.content });
  else {
    part.content.forEach((c, j) => {
      const p = `${param}.content[${j}]`;
      if (c.type === "text") {
        const ce = extrasOf(c, "bedrock");
        if (ce.block) content.push(ce.block as BedrockToolResultContent);
        else if (ce.json === true) content.push({ json: parseJsonOr(c.text) });
        else content.push({ text: c.text });
      } else if (c.type === "image") content.push(encodeImage(c, p) as BedrockToolResultContent);
      else content.push(encodeFile(c, p, state) as BedrockToolResultContent);
    });
  }
  // Claude on Bedrock rejects blank text blocks, here too; another format's empty output says so in words.
  if (part.origin?.format !== "bedrock") {
    const kept = content.filter((c) => c.text !== "");
    if (kept.length === 0) kept.push({ text: "(no output)" });
    content.splice(0, content.length, ...kept);
  }
  const block: JsonObject = { ...extras, toolUseId: part.callId };
  if (!(noContent && content.length === 0)) block.content = content;
  if (part.isError !== undefined) block.status = part.isError ? "error" : "success";
  return { toolResult: block as never };
}

/** A result marked JSON that a policy rewrote into plain text goes back as text inside JSON. */
function parseJsonOr(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
