import { parseDataUrl } from "../shared/data-url.ts";
import type { FilePart, ImagePart, MediaSource } from "../../src/canonical/content.ts";
import { proxyError } from "../../src/canonical/error.ts";
import type { JsonObject } from "../../src/canonical/extras.ts";
import { isObject } from "./anthropic-extras.ts";


/** The canonical source of an Anthropic image or document `source` (undefined when it has none). */
export function decodeMediaSource(source: unknown): MediaSource | undefined {
  if (!isObject(source)) return undefined;
  switch (source.type) {
    case "base64":
      return typeof source.data === "string" && typeof source.media_type === "string"
        ? { kind: "base64", data: source.data, mediaType: source.media_type }
        : undefined;
    case "url":
      return typeof source.url === "string" ? { kind: "url", url: source.url } : undefined;
    case "file":
      return typeof source.file_id === "string" ? { kind: "file-id", fileId: source.file_id } : undefined;
    case "text":
      // A plain-text document travels as base64 so other formats can pass it on as a file.
      return typeof source.data === "string" ? { kind: "base64", data: Buffer.from(source.data, "utf8").toString("base64"), mediaType: "text/plain" } : undefined;
  }
  return undefined;
}

/** The Anthropic image `source` for a canonical image. */
export function encodeImageSource(part: ImagePart, param: string): JsonObject {
  const s = part.source;
  switch (s.kind) {
    case "base64":
      return { type: "base64", media_type: s.mediaType, data: s.data };
    case "file-id":
      return { type: "file", file_id: s.fileId };
    case "url": {
      const inline = parseDataUrl(s.url);
      if (inline) return { type: "base64", media_type: inline.mediaType, data: inline.data };
      if (/^https?:\/\//i.test(s.url)) return { type: "url", url: s.url };
      throw proxyError(400, `Image URL must be http(s) or a data: URL for this provider`, { param });
    }
  }
}

const PDF = "application/pdf";

/**
 * The Anthropic document `source` for a canonical file: PDFs (base64, URL or file id) and plain
 * text. Other file types are refused rather than silently dropped from the conversation.
 */
export function encodeDocumentSource(part: FilePart, param: string): JsonObject {
  const s = part.source;
  if (s.kind === "file-id") return { type: "file", file_id: s.fileId };
  let data: string;
  let mediaType: string | undefined;
  if (s.kind === "url") {
    const inline = parseDataUrl(s.url);
    if (!inline) {
      if (part.mediaType !== undefined && part.mediaType !== PDF) {
        throw proxyError(400, `Files of type ${part.mediaType} can only be sent inline to this provider`, { param });
      }
      return { type: "url", url: s.url };
    }
    data = inline.data;
    mediaType = inline.mediaType;
  } else {
    data = s.data;
    mediaType = s.mediaType;
  }
  mediaType ??= part.mediaType;
  if (mediaType === PDF) return { type: "base64", media_type: PDF, data };
  if (mediaType?.startsWith("text/")) return { type: "text", media_type: "text/plain", data: Buffer.from(data, "base64").toString("utf8") };
  throw proxyError(400, `Files of type ${mediaType ?? "unknown"} are not supported by this provider (PDF and plain text are)`, { param });
}
