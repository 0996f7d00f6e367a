import { parseDataUrl } from "../shared/data-url.ts";
import type { MediaSource } from "../../src/canonical/content.ts";
import { proxyError } from "../../src/canonical/error.ts";
import type { BedrockSource } from "./bedrock-wire-types.ts";

/**
 * Media for Bedrock: it takes raw bytes (base64 on the wire) or an S3 location, in a format named
 * by a short word (`png`, `pdf`), and cannot fetch an http(s) URL. Fetching is I/O, which the
 * adapters do not do on the request path, so such a URL is a 400 that says how to send the file.
 */

const IMAGE_FORMATS: Record<string, string> = { png: "image/png", jpeg: "image/jpeg", gif: "image/gif", webp: "image/webp" };
const DOCUMENT_FORMATS: Record<string, string> = {
  pdf: "application/pdf",
  csv: "text/csv",
  doc: "application/msword",
  docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  xls: "application/vnd.ms-excel",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  html: "text/html",
  txt: "text/plain",
  md: "text/markdown",
};
const VIDEO_FORMATS: Record<string, string> = {
  mp4: "video/mp4",
  mov: "video/quicktime",
  mkv: "video/x-matroska",
  webm: "video/webm",
  flv: "video/x-flv",
  mpeg: "video/mpeg",
  mpg: "video/mpg",
  wmv: "video/x-ms-wmv",
  three_gp: "video/3gpp",
};

const invert = (m: Record<string, string>) => Object.fromEntries(Object.entries(m).map(([k, v]) => [v, k]));
const IMAGE_BY_TYPE: Record<string, string> = { ...invert(IMAGE_FORMATS), "image/jpg": "jpeg" };
const DOCUMENT_BY_TYPE: Record<string, string> = { ...invert(DOCUMENT_FORMATS), "text/x-markdown": "md", "application/csv": "csv" };
const VIDEO_BY_TYPE: Record<string, string> = invert(VIDEO_FORMATS);

export type MediaKind = "image" | "document" | "video";

const FORMATS: Record<MediaKind, Record<string, string>> = { image: IMAGE_FORMATS, document: DOCUMENT_FORMATS, video: VIDEO_FORMATS };
const BY_TYPE: Record<MediaKind, Record<string, string>> = { image: IMAGE_BY_TYPE, document: DOCUMENT_BY_TYPE, video: VIDEO_BY_TYPE };

/** The media type for a Bedrock format word (`pdf` → `application/pdf`); unknown words pass as `<kind>/<word>`. */
export function mediaTypeOf(kind: MediaKind, format: string): string {
  return Object.hasOwn(FORMATS[kind], format) ? FORMATS[kind][format] : `${kind === "document" ? "application" : kind}/${format}`;
}

/** The Bedrock format word for a media type, or undefined when Bedrock has none. */
export function bedrockFormatOf(kind: MediaKind, mediaType: string): string | undefined {
  const type = mediaType.split(";")[0].trim().toLowerCase();
  return Object.hasOwn(BY_TYPE[kind], type) ? BY_TYPE[kind][type] : undefined;
}

/** Whether the format word is one this table knows (others travel verbatim in extras). */
export function isKnownFormat(kind: MediaKind, format: string): boolean {
  return Object.hasOwn(FORMATS[kind], format);
}

/** The document format from a file name's extension (`report.PDF` → `pdf`). */
export function documentFormatFromName(name: string | undefined): string | undefined {
  const ext = name?.match(/\.([a-z0-9]+)$/i)?.[1]?.toLowerCase();
  return ext && Object.hasOwn(DOCUMENT_FORMATS, ext) ? ext : undefined;
}


/**
 * A canonical media source as a Bedrock source plus the media type it declares (which picks the
 * format word). `param` names the field in errors.
 */
export function toBedrockSource(source: MediaSource, param: string): { source: BedrockSource; mediaType?: string } {
  if (source.kind === "base64") return { source: { bytes: source.data }, mediaType: source.mediaType };
  if (source.kind === "file-id") {
    throw proxyError(400, `Amazon Bedrock cannot read uploaded file ids ('${source.fileId}'); send the file inline as base64.`, { param, code: "unsupported_file_source" });
  }
  if (source.url.startsWith("s3://")) return { source: { s3Location: { uri: source.url } } };
  const parsed = parseDataUrl(source.url);
  if (parsed) return { source: { bytes: parsed.data }, mediaType: parsed.mediaType };
  throw proxyError(
    400,
    "Amazon Bedrock cannot fetch files from URLs: send the image or document inline as a base64 data: URL (data:<media type>;base64,...) or as an s3:// location.",
    { param, code: "unsupported_url_source" },
  );
}

/**
 * A document name Bedrock accepts: letters, digits, single spaces, hyphens, parentheses and
 * square brackets. A valid name is kept as it is; a file name loses its extension and has other
 * characters turned into hyphens (`Q3 report.v2.pdf` → `Q3 report-v2`).
 */
export function bedrockDocumentName(filename: string | undefined, fallback: string): string {
  if (filename && VALID_NAME.test(filename)) return filename;
  const base = (filename ?? "").replace(/\.[a-z0-9]{1,5}$/i, "");
  const cleaned = base
    .replace(/[^a-zA-Z0-9\s\-()[\]]/g, "-")
    .replace(/\s+/g, " ")
    .trim()
    .slice(0, 200);
  return cleaned === "" ? fallback : cleaned;
}

const VALID_NAME = /^(?!.*\s\s)[a-zA-Z0-9\s\-()[\]]{1,200}$/;
