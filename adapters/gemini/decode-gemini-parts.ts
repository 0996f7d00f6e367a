import type { FunctionResponse } from "@google/genai";
import type { AssistantPart, FilePart, ImagePart, NativePart, TextPart, ToolCallPart, ToolResultPart, UserPart } from "../../src/canonical/content.ts";
import { extrasFor, restOf, type JsonObject, type Origin } from "../../src/canonical/extras.ts";
import { audioFormat } from "./gemini-media.ts";
import type { WirePart } from "./gemini-wire.ts";

/**
 * One Gemini part -> canonical parts. Every part maps to one canonical part, with one exception:
 * a `thoughtSignature` on a plain text part (Gemini 3 signs the last text part of a turn, or an
 * empty trailing one when streaming) becomes a signature-only reasoning part right after it, so
 * that the signature travels as reasoning through other formats; the encoder puts it back on the
 * text part before it. Thought parts are reasoning with their own signature; a function call
 * keeps its signature on the tool call. Anything else is a native part.
 */
const TEXT = new Set(["text", "thoughtSignature"]);
const THOUGHT = new Set(["text", "thoughtSignature"]);
const CALL_PART = new Set(["functionCall", "thoughtSignature"]);
const CALL = new Set(["id", "name", "args"]);
const MEDIA_PART = new Set(["inlineData", "fileData"]);
const INLINE = new Set(["mimeType", "data"]);
const FILE_DATA = new Set(["fileUri", "mimeType", "displayName"]);
const RESPONSE_PART = new Set(["functionResponse"]);
const RESPONSE = new Set(["id", "name", "response", "parts"]);

export function decodeModelPart(part: WirePart, origin: Origin, out: AssistantPart[], nextCallId: () => string): void {
  if (part.thought === true) {
    // `thought: true` stays in extras: it tells the encoder this was a thought part even when its text is empty.
    out.push({
      type: "reasoning",
      ...(typeof part.text === "string" && { text: part.text }),
      ...(part.thoughtSignature !== undefined && { signature: part.thoughtSignature }),
      producer: "gemini",
      origin,
      extras: { gemini: restOf(part, THOUGHT)! },
    });
    return;
  }
  if (typeof part.text === "string") {
    out.push({ type: "text", text: part.text, origin, ...withExtras(restOf(part, TEXT)) });
    if (part.thoughtSignature !== undefined) out.push({ type: "reasoning", signature: part.thoughtSignature, producer: "gemini", origin });
    return;
  }
  if (part.functionCall && typeof part.functionCall === "object") {
    out.push(decodeFunctionCall(part, origin, nextCallId));
    return;
  }
  out.push({ type: "native", format: "gemini", value: part, origin });
}

function decodeFunctionCall(part: WirePart, origin: Origin, nextCallId: () => string): ToolCallPart {
  const fc = part.functionCall!;
  const call: ToolCallPart = {
    type: "tool-call",
    id: typeof fc.id === "string" ? fc.id : nextCallId(),
    name: typeof fc.name === "string" ? fc.name : "",
    // No `args` at all is a no-argument call; "" says so canonically and encodes back to no `args`.
    arguments: fc.args === undefined ? "" : JSON.stringify(fc.args),
    kind: "function",
    origin,
  };
  if (part.thoughtSignature !== undefined) call.signature = part.thoughtSignature;
  let rest = restOf(part, CALL_PART);
  const callRest = restOf(fc as JsonObject, CALL);
  if (callRest) rest = { ...rest, functionCall: callRest };
  if (rest) call.extras = { gemini: rest };
  return call;
}

/** A systemInstruction part: text, or kept native. */
export function decodeSystemPart(part: WirePart): TextPart | NativePart {
  if (typeof part.text === "string" && part.thought !== true) return { type: "text", text: part.text, ...withExtras(restOf(part, TEXT)) };
  return { type: "native", format: "gemini", value: part };
}

export function decodeUserPart(part: WirePart, origin: Origin): UserPart {
  if (typeof part.text === "string" && part.thought !== true) return { type: "text", text: part.text, origin, ...withExtras(restOf(part, TEXT)) };
  const media = decodeMedia(part, origin);
  return media ?? { type: "native", format: "gemini", value: part, origin };
}

/** inlineData / fileData parts (user turns and multimodal function responses). */
function decodeMedia(part: WirePart, origin: Origin | undefined): ImagePart | FilePart | UserPart | undefined {
  const inline = part.inlineData;
  if (inline && typeof inline.data === "string" && typeof inline.mimeType === "string") {
    const mediaType = inline.mimeType;
    let rest = restOf(part, MEDIA_PART);
    const inlineRest = restOf(inline as JsonObject, INLINE);
    if (inlineRest) rest = { ...rest, inlineData: inlineRest };
    const base = { ...(origin && { origin }), ...withExtras(rest) };
    if (mediaType.startsWith("image/")) return { type: "image", source: { kind: "base64", data: inline.data, mediaType }, ...base };
    if (mediaType.startsWith("audio/")) return { type: "audio", data: inline.data, format: audioFormat(mediaType), ...base };
    return { type: "file", source: { kind: "base64", data: inline.data, mediaType }, mediaType, ...base };
  }
  const file = part.fileData;
  if (file && typeof file.fileUri === "string") {
    let rest = restOf(part, MEDIA_PART);
    const image = typeof file.mimeType === "string" && file.mimeType.startsWith("image/");
    // An image part has no media type of its own: the MIME type Gemini was given is kept for it.
    const fileRest = image ? restOf(file as JsonObject, new Set(["fileUri"])) : restOf(file as JsonObject, FILE_DATA);
    if (fileRest) rest = { ...rest, fileData: fileRest };
    const base = { ...(origin && { origin }), ...withExtras(rest) };
    if (image) return { type: "image", source: { kind: "url", url: file.fileUri }, ...base };
    return {
      type: "file",
      source: { kind: "url", url: file.fileUri },
      ...(typeof file.mimeType === "string" && { mediaType: file.mimeType }),
      ...(typeof file.displayName === "string" && { filename: file.displayName }),
      ...base,
    };
  }
  return undefined;
}

/**
 * A functionResponse -> tool result. `{output: "…"}` (or `{error: "…"}`), the shape Gemini
 * documents and the encoder writes, becomes that string; any other response object becomes its
 * JSON text, marked so the encoder writes the object back rather than wrapping it.
 */
export function decodeFunctionResponse(part: WirePart, callId: string, origin: Origin): ToolResultPart {
  const fr = part.functionResponse as FunctionResponse;
  const response = fr.response;
  let text: string;
  let isError = false;
  let rest: JsonObject | undefined = restOf(part, RESPONSE_PART);
  const keys = response ? Object.keys(response) : [];
  if (keys.length === 1 && (keys[0] === "output" || keys[0] === "error") && typeof response![keys[0]] === "string") {
    text = response![keys[0]] as string;
    isError = keys[0] === "error";
  } else if (response === undefined) {
    text = "";
    rest = { ...rest, noResponse: true };
  } else {
    text = JSON.stringify(response);
    isError = keys.includes("error") && !keys.includes("output");
    rest = { ...rest, responseJson: true };
  }
  const frRest = restOf(fr as unknown as JsonObject, RESPONSE);
  if (frRest) rest = { ...rest, functionResponse: frRest };
  let content: ToolResultPart["content"] = text;
  if (Array.isArray(fr.parts) && fr.parts.length > 0) {
    const media: Array<ImagePart | FilePart> = [];
    for (const p of fr.parts) {
      const m = decodeMedia(p as WirePart, undefined);
      if (m && (m.type === "image" || m.type === "file")) media.push(m);
    }
    content = [{ type: "text", text }, ...media];
  }
  return {
    type: "tool-result",
    callId,
    ...(typeof fr.name === "string" && { name: fr.name }),
    content,
    ...(isError && { isError }),
    origin,
    ...withExtras(rest),
  };
}

function withExtras(rest: JsonObject | undefined): { extras?: ReturnType<typeof extrasFor> } {
  const extras = extrasFor("gemini", rest);
  return extras ? { extras } : {};
}
