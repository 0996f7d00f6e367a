import type { AssistantPart, FilePart, ImagePart, ToolCallPart, ToolResultPart, UserPart } from "../../src/canonical/content.ts";
import { extrasOf, type JsonObject } from "../../src/canonical/extras.ts";
import { toolNameForCall, type Message } from "../../src/canonical/request.ts";
import { isSyntheticCallId } from "./gemini-call-ids.ts";
import { parseDataUrl } from "../shared/data-url.ts";
import { guessMimeType } from "./gemini-media.ts";
import type { WirePart } from "./gemini-wire.ts";

/**
 * Gemini 3 rejects a replayed function call without its thought signature. Calls that another
 * provider made never had one: Google documents this value for exactly that case, and it is
 * accepted by the Gemini API and Vertex alike. Only the first call of a model turn needs it.
 */
export const DUMMY_THOUGHT_SIGNATURE = "skip_thought_signature_validator";

const own = (p: { origin?: { format: string } }) => p.origin?.format === "gemini";

/**
 * The parts of one model content. Reasoning is sent only when Gemini produced it: another
 * provider's signatures would be rejected, and Gemini reads nothing from unsigned thought text,
 * so foreign reasoning is dropped entirely. A signature-only reasoning part goes back onto the
 * call or text part it followed (or, when a client reordered them, the next text part); one with
 * no part to sit on is dropped, since an empty text part is an invalid request.
 */
export class ModelPartsWriter {
  readonly parts: WirePart[] = [];
  readonly #dummySignatures: boolean;
  #pending: string | undefined;
  #calls = 0;

  /** `forRequest`: the parts are history sent to Gemini, where foreign calls need the dummy signature. */
  constructor(forRequest: boolean) {
    this.#dummySignatures = forRequest;
  }

  add(p: AssistantPart): void {
    switch (p.type) {
      case "text":
      case "refusal": {
        const part: WirePart = { ...extrasOf(p, "gemini"), text: p.text };
        if (this.#pending !== undefined) {
          part.thoughtSignature = this.#pending;
          this.#pending = undefined;
        }
        this.parts.push(part);
        return;
      }
      case "reasoning":
        return this.#reasoning(p);
      case "tool-call":
        this.parts.push(this.#call(p));
        return;
      case "native":
        if (p.format === "gemini") this.parts.push(p.value as WirePart);
        return;
    }
  }

  #reasoning(p: Extract<AssistantPart, { type: "reasoning" }>): void {
    if (p.producer !== "gemini") return;
    const ex = extrasOf(p, "gemini");
    const signed = p.signature !== undefined ? { thoughtSignature: p.signature } : undefined;
    if (ex.thought === true) {
      this.parts.push({ ...ex, ...(p.text !== undefined && { text: p.text }), ...signed });
      return;
    }
    const text = p.text || p.summary?.join("\n\n");
    if (text) {
      this.parts.push({ text, thought: true, ...signed });
      return;
    }
    if (p.signature === undefined) return;
    const last = this.parts.at(-1);
    // A client of another format carries a call's signature as a reasoning item right after the
    // call (Responses: see callSignatureItem): it goes back on the call, in place of the dummy.
    if (last?.functionCall && !own(p) && (last.thoughtSignature === undefined || last.thoughtSignature === DUMMY_THOUGHT_SIGNATURE)) {
      last.thoughtSignature = p.signature;
      return;
    }
    if (last && typeof last.text === "string" && last.thought !== true && last.thoughtSignature === undefined) last.thoughtSignature = p.signature;
    else this.#pending = p.signature;
  }

  #call(p: ToolCallPart): WirePart {
    const { functionCall: callRest, ...partRest } = extrasOf(p, "gemini") as { functionCall?: JsonObject };
    const native = own(p);
    const call: JsonObject = { ...callRest };
    if (native && !isSyntheticCallId(p.id)) call.id = p.id;
    call.name = p.name;
    // A custom (free-text) tool is declared to Gemini as a function taking one string `input`.
    if (p.kind === "custom") call.args = { input: p.arguments };
    else if (p.arguments !== "") call.args = parseArgs(p.arguments);
    const part: WirePart = { ...partRest, functionCall: call };
    const signature = p.signature ?? (this.#dummySignatures && !native && this.#calls === 0 ? DUMMY_THOUGHT_SIGNATURE : undefined);
    if (signature !== undefined) part.thoughtSignature = signature;
    this.#calls++;
    return part;
  }
}

/** Gemini wants `args` as an object; arguments that are not a JSON object (a truncated call) are sent as none. */
export function parseArgs(text: string): JsonObject {
  try {
    const v: unknown = JSON.parse(text);
    return typeof v === "object" && v !== null && !Array.isArray(v) ? (v as JsonObject) : {};
  } catch {
    return {};
  }
}

export function encodeUserPart(p: UserPart): WirePart | undefined {
  switch (p.type) {
    case "text":
      return { ...extrasOf(p, "gemini"), text: p.text };
    case "image":
    case "file":
      return encodeMedia(p);
    case "audio": {
      const { inlineData, ...rest } = extrasOf(p, "gemini") as { inlineData?: JsonObject };
      return { ...rest, inlineData: { ...inlineData, mimeType: `audio/${p.format}`, data: p.data } };
    }
    case "native":
      return p.format === "gemini" ? (p.value as WirePart) : undefined;
  }
}

function encodeMedia(p: ImagePart | FilePart): WirePart {
  const { inlineData, fileData, ...rest } = extrasOf(p, "gemini") as { inlineData?: JsonObject; fileData?: JsonObject };
  const src = p.source;
  const fileType = p.type === "file" ? p.mediaType : undefined;
  if (src.kind === "base64") return { ...rest, inlineData: { ...inlineData, mimeType: src.mediaType || fileType || "application/octet-stream", data: src.data } };
  const uri = src.kind === "url" ? src.url : src.fileId;
  const data = src.kind === "url" ? parseDataUrl(uri) : undefined;
  if (data) return { ...rest, inlineData: { ...inlineData, mimeType: data.mediaType, data: data.data } };
  const file: JsonObject = { ...fileData, fileUri: uri };
  if (file.mimeType === undefined) {
    const mimeType = fileType ?? guessMimeType(uri) ?? (p.type === "image" ? "image/jpeg" : undefined);
    if (mimeType) file.mimeType = mimeType;
  }
  // Gemini reads displayName only in some setups and rejects it elsewhere: written back only when it came from Gemini.
  if (p.type === "file" && p.filename !== undefined && own(p)) file.displayName = p.filename;
  return { ...rest, fileData: file };
}

/**
 * A tool result -> a functionResponse part (name required: from the result, else from the call
 * it answers). Text goes in `response.output` (`error` for failures), as Gemini documents;
 * images travel in `functionResponse.parts` when they came from Gemini, else as parts of the
 * same user turn, which every Gemini model accepts.
 */
export function encodeFunctionResponse(p: ToolResultPart, messages: readonly Message[]): WirePart[] {
  const { responseJson, noResponse, functionResponse: frRest, ...partRest } = extrasOf(p, "gemini") as {
    responseJson?: boolean;
    noResponse?: boolean;
    functionResponse?: JsonObject;
  };
  const native = own(p);
  let text = "";
  const media: WirePart[] = [];
  if (typeof p.content === "string") text = p.content;
  else {
    const texts: string[] = [];
    for (const c of p.content) {
      if (c.type === "text") texts.push(c.text);
      else media.push(encodeMedia(c));
    }
    text = texts.join("\n");
  }
  const fr: JsonObject = { ...frRest };
  if (native && !isSyntheticCallId(p.callId)) fr.id = p.callId;
  fr.name = p.name ?? toolNameForCall(messages, p.callId) ?? p.callId;
  if (!noResponse) fr.response = responseJson ? responseObject(text) : { [p.isError ? "error" : "output"]: text };
  if (native && media.length > 0) fr.parts = media;
  const part: WirePart = { ...partRest, functionResponse: fr };
  return native || media.length === 0 ? [part] : [part, ...media];
}

function responseObject(text: string): JsonObject {
  try {
    const v: unknown = JSON.parse(text);
    if (typeof v === "object" && v !== null && !Array.isArray(v)) return v as JsonObject;
  } catch {
    // A stage replaced the result with plain text.
  }
  return { output: text };
}
