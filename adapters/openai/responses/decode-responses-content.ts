import type {
  AudioPart,
  Citation,
  FilePart,
  ImagePart,
  MediaSource,
  NativePart,
  RefusalPart,
  TextPart,
} from "../../../src/canonical/content.ts";
import type { Extras, JsonObject, Origin } from "../../../src/canonical/extras.ts";
import { addExtra, isObject, keepRest, RESPONSES } from "./responses-extras.ts";

export type ContentPart = TextPart | RefusalPart | ImagePart | FilePart | AudioPart | NativePart;

/** `input_text` for what the client says, `output_text` for what the model said. */
export function defaultTextType(role: string): "input_text" | "output_text" {
  return role === "assistant" ? "output_text" : "input_text";
}

const TEXT = new Set(["type", "text", "annotations"]);
const REFUSAL = new Set(["type", "refusal"]);
const AUDIO = new Set(["type", "input_audio"]);

/**
 * One content part of a message item (or of a tool output list) as a canonical part. Unknown part
 * types and parts without the field they need stay native, carried verbatim.
 */
export function decodeContentPart(part: JsonObject, role: string, origin: Origin | undefined): ContentPart {
  switch (part.type) {
    case "input_text":
    case "output_text": {
      if (typeof part.text !== "string") break;
      const out: TextPart = { type: "text", text: part.text };
      let extras = keepRest(part, TEXT);
      if (Array.isArray(part.annotations)) out.citations = part.annotations.map(decodeAnnotation);
      else if ("annotations" in part) extras = addExtra(extras, "annotations", part.annotations);
      return finish(out, origin, part.type === defaultTextType(role) ? extras : addExtra(extras, "type", part.type));
    }
    case "refusal":
      if (typeof part.refusal !== "string") break;
      return finish({ type: "refusal", text: part.refusal } satisfies RefusalPart, origin, keepRest(part, REFUSAL));
    case "input_image": {
      const image = decodeImage(part);
      if (!image) break;
      const extras = keepRest(part, IMAGE_KNOWN[image.source.kind]);
      return finish(image, origin, image.detail === undefined && "detail" in part ? addExtra(extras, "detail", part.detail) : extras);
    }
    case "input_file":
      return decodeFile(part, origin);
    case "input_audio": {
      const audio = part.input_audio;
      if (!isObject(audio) || typeof audio.data !== "string" || typeof audio.format !== "string") break;
      return finish({ type: "audio", data: audio.data, format: audio.format } satisfies AudioPart, origin, keepRest(part, AUDIO));
    }
  }
  return nativeContent(part, origin);
}

/** A content part with no canonical shape (or not allowed where it stands), carried verbatim. */
export function nativeContent(part: unknown, origin: Origin | undefined): NativePart {
  const native: NativePart = { type: "native", format: RESPONSES, value: part as JsonObject, extras: { [RESPONSES]: { contentPart: true } } };
  if (origin) native.origin = origin;
  return native;
}

function finish<P extends ContentPart>(part: P, origin: Origin | undefined, extras: Extras | undefined): P {
  if (origin) part.origin = origin;
  if (extras) part.extras = extras;
  return part;
}

const IMAGE_KNOWN: Record<MediaSource["kind"], ReadonlySet<string>> = {
  url: new Set(["type", "image_url", "detail"]),
  "file-id": new Set(["type", "file_id", "detail"]),
  base64: new Set(["type", "detail"]),
};

function decodeImage(part: JsonObject): ImagePart | undefined {
  let source: MediaSource;
  if (typeof part.image_url === "string") source = { kind: "url", url: part.image_url };
  else if (typeof part.file_id === "string") source = { kind: "file-id", fileId: part.file_id };
  else return undefined;
  const image: ImagePart = { type: "image", source };
  if (typeof part.detail === "string") image.detail = part.detail;
  return image;
}

const FILE_DATA = new Set(["type", "file_data", "filename"]);
const FILE_URL = new Set(["type", "file_url", "filename"]);
const FILE_ID = new Set(["type", "file_id", "filename"]);
const DATA_URL = /^data:([^;,]+)[;,]/;

function decodeFile(part: JsonObject, origin: Origin | undefined): FilePart | NativePart {
  let file: FilePart;
  let known: ReadonlySet<string>;
  let raw = false;
  if (typeof part.file_data === "string") {
    const data = part.file_data;
    const mediaType = DATA_URL.exec(data)?.[1];
    if (data.startsWith("data:")) {
      file = { type: "file", source: { kind: "url", url: data } };
      if (mediaType) file.mediaType = mediaType;
    } else {
      // Bare base64: the media type is unknown; the filename's extension is the best hint.
      raw = true;
      file = { type: "file", source: { kind: "base64", data, mediaType: mediaTypeOf(part.filename) } };
    }
    known = FILE_DATA;
  } else if (typeof part.file_url === "string") {
    file = { type: "file", source: { kind: "url", url: part.file_url } };
    known = FILE_URL;
  } else if (typeof part.file_id === "string") {
    file = { type: "file", source: { kind: "file-id", fileId: part.file_id } };
    known = FILE_ID;
  } else {
    return nativeContent(part, origin);
  }
  let extras = keepRest(part, known);
  if (typeof part.filename === "string") file.filename = part.filename;
  else if ("filename" in part) extras = addExtra(extras, "filename", part.filename);
  if (raw) extras = addExtra(extras, "rawFileData", true);
  return finish(file, origin, extras);
}

function mediaTypeOf(filename: unknown): string {
  if (typeof filename === "string" && filename.toLowerCase().endsWith(".pdf")) return "application/pdf";
  return "application/octet-stream";
}

/** An `output_text` annotation as a citation; `native` keeps it exactly for this format. */
export function decodeAnnotation(annotation: JsonObject): Citation {
  const citation: Citation = { type: "other", native: { format: RESPONSES, value: annotation } };
  switch (annotation.type) {
    case "url_citation":
      citation.type = "url";
      if (typeof annotation.url === "string") citation.url = annotation.url;
      if (typeof annotation.title === "string") citation.title = annotation.title;
      break;
    case "file_citation":
    case "container_file_citation":
      citation.type = "document";
      if (typeof annotation.filename === "string") citation.title = annotation.filename;
      break;
  }
  if (typeof annotation.start_index === "number") citation.startIndex = annotation.start_index;
  if (typeof annotation.end_index === "number") citation.endIndex = annotation.end_index;
  return citation;
}
