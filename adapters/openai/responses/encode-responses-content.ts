import { dataUrl } from "../../shared/data-url.ts";
import type { Citation, FilePart, ImagePart, TextPart } from "../../../src/canonical/content.ts";
import type { JsonObject } from "../../../src/canonical/extras.ts";
import { defaultTextType, type ContentPart } from "./decode-responses-content.ts";
import { isOwn, own, putNative, RESPONSES } from "./responses-extras.ts";

/**
 * `input`: a part of a request's input item (OpenAI takes lean assistant text there, as Codex and
 * the AI SDK send it); `output`: a part of a response's output item, complete as OpenAI writes it.
 */
export type EncodeMode = "input" | "output";

/** A canonical content part as a Responses content part; undefined for what the format cannot carry. */
export function encodeContentPart(part: ContentPart, role: string, mode: EncodeMode): JsonObject | undefined {
  const mine = isOwn(part.origin);
  switch (part.type) {
    case "text":
      return encodeText(part, role, mode, mine);
    case "refusal":
      return putNative({ type: "refusal", refusal: part.text }, own(part));
    case "image":
      return encodeImage(part, mine);
    case "file":
      return encodeFile(part, mine);
    case "audio":
      return putNative({ type: "input_audio", input_audio: { data: part.data, format: part.format } }, own(part));
    case "native":
      return part.format === RESPONSES && own(part).contentPart ? part.value : undefined;
  }
}

function encodeText(part: TextPart, role: string, mode: EncodeMode, mine: boolean): JsonObject {
  const extras = own(part);
  const out: JsonObject = { type: (mine && (extras.type as string | undefined)) || defaultTextType(role), text: part.text };
  if (mine) {
    if (part.citations) out.annotations = encodeAnnotations(part.citations, part.text.length);
    return putNative(out, extras);
  }
  if (role === "assistant") {
    if (mode === "output") {
      out.annotations = encodeAnnotations(part.citations ?? [], part.text.length);
      out.logprobs = [];
    } else if (part.citations?.length) {
      out.annotations = encodeAnnotations(part.citations, part.text.length);
    }
  }
  return out;
}

export function encodeAnnotations(citations: readonly Citation[], textLength: number): JsonObject[] {
  const out: JsonObject[] = [];
  for (const c of citations) {
    const a = encodeAnnotation(c, textLength);
    if (a) out.push(a);
  }
  return out;
}

/**
 * Responses annotates spans of the text; a citation from a format without offsets (Anthropic ties
 * citations to a whole text block) covers the whole part. Citations with no URL have no
 * Responses shape (file citations need an OpenAI file id) and are left out.
 */
export function encodeAnnotation(c: Citation, textLength: number): JsonObject | undefined {
  if (c.native?.format === RESPONSES) return c.native.value;
  if (c.type !== "url" || !c.url) return undefined;
  return {
    type: "url_citation",
    url: c.url,
    title: c.title ?? c.url,
    start_index: c.startIndex ?? 0,
    end_index: c.endIndex ?? textLength,
  };
}


function encodeImage(part: ImagePart, mine: boolean): JsonObject {
  const out: JsonObject = { type: "input_image" };
  const source = part.source;
  if (source.kind === "url") out.image_url = source.url;
  else if (source.kind === "base64") out.image_url = dataUrl(source.mediaType, source.data);
  else out.file_id = source.fileId;
  if (part.detail !== undefined) out.detail = part.detail;
  else if (!mine) out.detail = "auto";
  return mine ? putNative(out, own(part)) : out;
}

function encodeFile(part: FilePart, mine: boolean): JsonObject {
  const out: JsonObject = { type: "input_file" };
  const source = part.source;
  const extras = own(part);
  if (source.kind === "url") {
    if (source.url.startsWith("data:")) out.file_data = source.url;
    else out.file_url = source.url;
  } else if (source.kind === "base64") {
    out.file_data = mine && extras.rawFileData ? source.data : dataUrl(source.mediaType, source.data);
  } else {
    out.file_id = source.fileId;
  }
  if (part.filename !== undefined) out.filename = part.filename;
  else if (!mine && out.file_data !== undefined) out.filename = defaultFilename(part.mediaType ?? (source.kind === "base64" ? source.mediaType : undefined));
  return mine ? putNative(out, extras) : out;
}

/** OpenAI wants a filename with inline file data; other formats often have none. */
function defaultFilename(mediaType: string | undefined): string {
  return mediaType === "application/pdf" ? "document.pdf" : "file";
}
