import type {
  AssistantPart,
  AudioPart,
  FilePart,
  ImagePart,
  MediaSource,
  NativePart,
  ReasoningPart,
  TextPart,
  ToolCallPart,
  ToolResultPart,
  UserPart,
} from "../../src/canonical/content.ts";
import { restOf, type JsonObject, type Origin } from "../../src/canonical/extras.ts";
import { isKnownFormat, mediaTypeOf, type MediaKind } from "./bedrock-media.ts";
import type { BedrockContentBlock, BedrockS3Location, BedrockSource, BedrockToolResultBlock, BedrockToolResultContent } from "./bedrock-wire-types.ts";

/**
 * Bedrock content blocks as canonical parts. A block is an object with one member key; one with
 * a member this adapter does not model (video search results, tool additions, guard content, …)
 * or with an unexpected shape becomes a `native` part kept verbatim, so the same format writes
 * it back exactly and other formats leave it out.
 */
export function nativePart(block: object, origin?: Origin): NativePart {
  return { type: "native", format: "bedrock", value: block as JsonObject, ...(origin && { origin }) };
}

function single(block: object): string | undefined {
  let key: string | undefined;
  for (const k in block) {
    if (key !== undefined) return undefined;
    key = k;
  }
  return key;
}

const MEDIA_KNOWN = new Set(["format", "source"]);
const DOCUMENT_KNOWN = new Set(["format", "source", "name"]);

/**
 * An image / document / video block's source as a MediaSource, with what the source alone
 * cannot say (the format of an S3 object, its bucket owner, extra block fields) as extras.
 */
function decodeMedia(kind: MediaKind, value: { format?: unknown; source?: BedrockSource; [k: string]: unknown }, known: ReadonlySet<string>) {
  const src = value?.source;
  if (!src || typeof src !== "object" || single(src) === undefined) return undefined;
  const rest: JsonObject = restOf(value, known) ?? {};
  const format = typeof value.format === "string" ? value.format : undefined;
  if (format === undefined) {
    if (value.format !== undefined) return undefined;
    rest.noFormat = true;
  } else if (!isKnownFormat(kind, format)) {
    // A format word newer than our table: kept as it was said.
    rest.format = format;
  }
  let source: MediaSource;
  if (typeof src.bytes === "string") {
    source = { kind: "base64", data: src.bytes, mediaType: format !== undefined ? mediaTypeOf(kind, format) : "application/octet-stream" };
  } else if (isS3Location(src.s3Location)) {
    const loc = src.s3Location;
    source = { kind: "url", url: loc.uri };
    if (format !== undefined) rest.format = format;
    if (loc.bucketOwner !== undefined) rest.bucketOwner = loc.bucketOwner;
  } else {
    return undefined;
  }
  return { source, format, extras: Object.keys(rest).length > 0 ? { bedrock: rest } : undefined };
}

function isS3Location(loc: unknown): loc is BedrockS3Location {
  if (!loc || typeof loc !== "object") return false;
  const l = loc as Record<string, unknown>;
  for (const k in l) if (k !== "uri" && k !== "bucketOwner") return false;
  return typeof l.uri === "string" && (l.bucketOwner === undefined || typeof l.bucketOwner === "string");
}

export function decodeImage(block: BedrockContentBlock, origin?: Origin): ImagePart | undefined {
  const m = decodeMedia("image", block.image!, MEDIA_KNOWN);
  if (!m) return undefined;
  return { type: "image", source: m.source, ...(m.extras && { extras: m.extras }), ...(origin && { origin }) };
}

export function decodeDocument(block: BedrockContentBlock, origin?: Origin): FilePart | undefined {
  const doc = block.document!;
  if (typeof doc?.name !== "string") return undefined;
  const m = decodeMedia("document", doc, DOCUMENT_KNOWN);
  if (!m) return undefined;
  const part: FilePart = { type: "file", source: m.source, filename: doc.name };
  if (m.format !== undefined) part.mediaType = mediaTypeOf("document", m.format);
  if (m.extras) part.extras = m.extras;
  if (origin) part.origin = origin;
  return part;
}

function decodeVideo(block: BedrockContentBlock, origin?: Origin): FilePart | undefined {
  const m = decodeMedia("video", block.video as never, MEDIA_KNOWN);
  if (!m || m.format === undefined) return undefined;
  return { type: "file", source: m.source, mediaType: mediaTypeOf("video", m.format), ...(m.extras && { extras: m.extras }), ...(origin && { origin }) };
}

function decodeAudio(block: BedrockContentBlock, origin?: Origin): AudioPart | undefined {
  const a = block.audio;
  if (typeof a?.format !== "string" || typeof a.source?.bytes !== "string" || single(a.source) === undefined || restOf(a, MEDIA_KNOWN)) return undefined;
  return { type: "audio", data: a.source.bytes, format: a.format, ...(origin && { origin }) };
}

/** A user-turn block other than a tool result. */
export function decodeUserBlock(block: BedrockContentBlock, origin: Origin): UserPart {
  const key = single(block);
  let part: UserPart | undefined;
  if (key === "text" && typeof block.text === "string") part = { type: "text", text: block.text, origin };
  else if (key === "image") part = decodeImage(block, origin);
  else if (key === "document") part = decodeDocument(block, origin);
  else if (key === "video") part = decodeVideo(block, origin);
  else if (key === "audio") part = decodeAudio(block, origin);
  return part ?? nativePart(block, origin);
}

const TOOL_USE_KNOWN = new Set(["toolUseId", "name", "input"]);
const REASONING_TEXT_KNOWN = new Set(["text", "signature"]);

/** An assistant-turn block. */
export function decodeAssistantBlock(block: BedrockContentBlock, origin?: Origin): AssistantPart {
  const key = single(block);
  if (key === "text" && typeof block.text === "string") return { type: "text", text: block.text, ...(origin && { origin }) };
  if (key === "toolUse") {
    const t = block.toolUse!;
    if (typeof t?.toolUseId === "string" && typeof t.name === "string") {
      const part: ToolCallPart = { type: "tool-call", id: t.toolUseId, name: t.name, arguments: JSON.stringify(t.input ?? {}), kind: "function" };
      const rest = restOf(t, TOOL_USE_KNOWN);
      if (rest) part.extras = { bedrock: rest };
      if (origin) part.origin = origin;
      return part;
    }
  }
  if (key === "reasoningContent") {
    const r = decodeReasoning(block.reasoningContent!);
    if (r) return origin ? { ...r, origin } : r;
  }
  return nativePart(block, origin);
}

function decodeReasoning(rc: NonNullable<BedrockContentBlock["reasoningContent"]>): ReasoningPart | undefined {
  const key = single(rc ?? {});
  if (key === "redactedContent" && typeof rc.redactedContent === "string") {
    return { type: "reasoning", encrypted: rc.redactedContent, redacted: true, producer: "bedrock" };
  }
  const rt = rc.reasoningText;
  if (key !== "reasoningText" || typeof rt?.text !== "string") return undefined;
  const part: ReasoningPart = { type: "reasoning", text: rt.text, producer: "bedrock" };
  if (typeof rt.signature === "string") part.signature = rt.signature;
  const rest = restOf(rt, REASONING_TEXT_KNOWN);
  if (rest) part.extras = { bedrock: rest };
  return part;
}

const TOOL_RESULT_KNOWN = new Set(["toolUseId", "content", "status"]);

/** A toolResult block; `name` is the called tool's, looked up in the conversation. */
export function decodeToolResult(block: BedrockToolResultBlock, origin: Origin, name: string | undefined): ToolResultPart {
  const content = Array.isArray(block.content) ? block.content.map(decodeToolResultContent) : [];
  const part: ToolResultPart = { type: "tool-result", callId: block.toolUseId, content, origin };
  if (name !== undefined) part.name = name;
  if (block.status === "error") part.isError = true;
  else if (block.status === "success") part.isError = false;
  const rest = restOf(block, TOOL_RESULT_KNOWN);
  if (rest || !Array.isArray(block.content)) part.extras = { bedrock: { ...rest, ...(!Array.isArray(block.content) && { noContent: true }) } };
  return part;
}

/**
 * Tool result content: text as text, JSON as its serialisation (marked, so Bedrock gets `json`
 * back), images and documents as parts. Anything else keeps its block in extras.
 */
function decodeToolResultContent(c: BedrockToolResultContent): TextPart | ImagePart | FilePart {
  const key = single(c ?? {});
  if (key === "text" && typeof c.text === "string") return { type: "text", text: c.text };
  if (key === "json") return { type: "text", text: JSON.stringify(c.json), extras: { bedrock: { json: true } } };
  if (key === "image") {
    const p = decodeImage(c as BedrockContentBlock);
    if (p) return p;
  }
  if (key === "document") {
    const p = decodeDocument(c as BedrockContentBlock);
    if (p) return p;
  }
  return { type: "text", text: "", extras: { bedrock: { block: c as JsonObject } } };
}
