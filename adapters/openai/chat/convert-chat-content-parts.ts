import { dataUrl, parseBase64DataUrl } from "../../shared/data-url.ts";
import type { AudioPart, FilePart, ImagePart, MediaSource, TextPart, UserPart } from "../../../src/canonical/content.ts";
import { proxyError } from "../../../src/canonical/error.ts";
import type { JsonObject, Origin } from "../../../src/canonical/extras.ts";
import { CHAT, chatExtrasOf, copyNative, isObject, objectAt, restExcept, withChatExtras } from "./chat-extras.ts";

/** Hint: `file_data` was bare base64, not a `data:` URL. */
const RAW_DATA = "$rawData";
const RAW_MEDIA_TYPE = "application/octet-stream";

/**
 * Content parts of user, system, developer and tool messages (text, image_url, input_audio,
 * file). A part type this codec does not know is kept whole as a native part, so a provider that
 * understands it (vLLM `video_url`, …) still gets it.
 */
export function decodeChatContentPart(part: unknown, origin: Origin, path: string): UserPart {
  if (!isObject(part) || typeof part.type !== "string") throw proxyError(400, `Invalid value for '${path}': expected a content part object with a type`, { param: path });
  switch (part.type) {
    case "text": {
      if (typeof part.text !== "string") throw proxyError(400, `Invalid value for '${path}.text': expected a string`, { param: `${path}.text` });
      return withChatExtras<TextPart>({ type: "text", text: part.text, origin }, restExcept(part, ["type", "text"]));
    }
    case "image_url": {
      const image = part.image_url;
      if (!isObject(image) || typeof image.url !== "string") throw proxyError(400, `Invalid value for '${path}.image_url.url': expected a string`, { param: `${path}.image_url.url` });
      const out: ImagePart = { type: "image", source: sourceFromUrl(image.url), origin };
      const detailKnown = typeof image.detail === "string";
      if (detailKnown) out.detail = image.detail as string;
      return withChatExtras(out, nested(part, "image_url", restExcept(image, detailKnown ? ["url", "detail"] : ["url"])));
    }
    case "input_audio": {
      const audio = part.input_audio;
      if (!isObject(audio) || typeof audio.data !== "string" || typeof audio.format !== "string") {
        throw proxyError(400, `Invalid value for '${path}.input_audio': expected data and format strings`, { param: `${path}.input_audio` });
      }
      return withChatExtras<AudioPart>({ type: "audio", data: audio.data, format: audio.format, origin }, nested(part, "input_audio", restExcept(audio, ["data", "format"])));
    }
    case "file":
      return decodeFile(part, origin, path);
    default:
      return { type: "native", format: CHAT, value: part, origin };
  }
}

function decodeFile(part: JsonObject, origin: Origin, path: string): UserPart {
  const file = part.file;
  if (!isObject(file)) throw proxyError(400, `Invalid value for '${path}.file': expected an object`, { param: `${path}.file` });
  const taken: string[] = [];
  let source: MediaSource | undefined;
  let raw = false;
  if (typeof file.file_id === "string") {
    source = { kind: "file-id", fileId: file.file_id };
    taken.push("file_id");
  } else if (typeof file.file_data === "string") {
    source = sourceFromUrl(file.file_data);
    if (source.kind === "url") {
      source = { kind: "base64", data: file.file_data, mediaType: RAW_MEDIA_TYPE };
      raw = true;
    }
    taken.push("file_data");
  }
  if (source === undefined) return { type: "native", format: CHAT, value: part, origin };
  const out: FilePart = { type: "file", source, origin };
  if (source.kind === "base64" && !raw) out.mediaType = source.mediaType;
  if (typeof file.filename === "string") {
    out.filename = file.filename;
    taken.push("filename");
  }
  let rest = nested(part, "file", restExcept(file, taken));
  if (raw) rest = { ...rest, [RAW_DATA]: true };
  return withChatExtras(out, rest);
}

/** A user-side part in Chat form, or undefined when Chat cannot carry it (a file given by URL). */
export function encodeChatContentPart(part: UserPart | TextPart): JsonObject | undefined {
  const ex = chatExtrasOf(part);
  switch (part.type) {
    case "text":
      return copyNative(ex, { type: "text", text: part.text });
    case "image": {
      // Chat takes images by URL only; an uploaded file id can go as a file part.
      if (part.source.kind === "file-id") return { type: "file", file: { file_id: part.source.fileId } };
      const image: JsonObject = { url: urlOf(part.source) };
      if (part.detail !== undefined) image.detail = part.detail;
      return copyNative(ex, { type: "image_url", image_url: copyNative(objectAt(ex, "image_url"), image) });
    }
    case "audio":
      return copyNative(ex, { type: "input_audio", input_audio: copyNative(objectAt(ex, "input_audio"), { data: part.data, format: part.format }) });
    case "file": {
      if (part.source.kind === "url") return undefined;
      const file: JsonObject = {};
      if (part.source.kind === "file-id") file.file_id = part.source.fileId;
      else file.file_data = ex?.[RAW_DATA] ? part.source.data : dataUrl(part.source.mediaType, part.source.data);
      if (part.filename !== undefined) file.filename = part.filename;
      return copyNative(ex, { type: "file", file: copyNative(objectAt(ex, "file"), file) });
    }
    case "native":
      return part.format === CHAT ? part.value : undefined;
  }
}

/** `data:<type>;base64,<data>` becomes inline base64; anything else stays a URL. */
export function sourceFromUrl(url: string): MediaSource {
  const inline = parseBase64DataUrl(url);
  return inline ? { kind: "base64", ...inline } : { kind: "url", url };
}

function urlOf(source: Exclude<MediaSource, { kind: "file-id" }>): string {
  return source.kind === "url" ? source.url : dataUrl(source.mediaType, source.data);
}


/** The part's own unknown fields, with the unknown fields of its nested object under that object's key. */
function nested(part: JsonObject, key: string, inner: JsonObject | undefined): JsonObject | undefined {
  const rest = restExcept(part, ["type", key]);
  return inner === undefined ? rest : { ...rest, [key]: inner };
}


