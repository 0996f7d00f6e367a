import type { AssistantPart, ToolCallPart } from "../../src/canonical/content.ts";
import type { CanonicalError } from "../../src/canonical/error.ts";
import type { JsonObject } from "../../src/canonical/extras.ts";
import type { Finish, Usage } from "../../src/canonical/response.ts";
import type { StreamChunk } from "../../src/canonical/stream.ts";
import type { EncodeContext, NativeEvent, StreamEncoder } from "../types.ts";
import { encodeGeminiUsage } from "./convert-gemini-usage.ts";
import { parseArgs } from "./encode-gemini-parts.ts";
import { buildCandidate } from "./encode-gemini-response.ts";
import { isSyntheticCallId } from "./gemini-call-ids.ts";
import { encodeGeminiError } from "./gemini-error.ts";
import type { NativePartRecord } from "./gemini-stream-decoder.ts";
import type { WirePart } from "./gemini-wire.ts";
import { toGeminiFinishReason } from "./map-gemini-stop-reason.ts";

/**
 * Canonical stream chunks -> streamGenerateContent events, one GenerateContentResponse per
 * chunk. Chunks decoded from Gemini come back exactly (their extras hold what events do not say);
 * chunks of another provider become the Gemini API's usual stream: text and thought pieces as
 * they come, each function call whole when its arguments are complete (Gemini sends `args` as an
 * object, so they are parsed once, at the end), usage and finish reason on the chunks that carry
 * them. Another provider's reasoning text is shown as thought text; its signatures are dropped.
 */
export class GeminiStreamEncoder implements StreamEncoder {
  readonly #context: EncodeContext;
  #id: string | undefined;
  #model: string | undefined;
  readonly #parts = new Map<number, AssistantPart>();
  readonly #nativeCalls = new Set<number>();

  constructor(context: EncodeContext) {
    this.#context = context;
  }

  encode(chunk: StreamChunk): NativeEvent[] {
    const ex = chunk.extras?.gemini as (JsonObject & { nativeParts?: NativePartRecord[] }) | undefined;
    const own = ex !== undefined;
    const natives = ex?.nativeParts;
    if (natives) {
      for (const e of chunk.events) {
        if (e.type === "part-start" && e.part.type === "tool-call" && natives.some((n) => n.index === e.index)) this.#nativeCalls.add(e.index);
      }
    }
    const parts: WirePart[] = [];
    const owners: number[] = [];
    // A signature Gemini put on a text part travels as signature-only reasoning next to that
    // text: back onto the text just written, else onto the next one (else on an empty text part).
    let pending: string | undefined;
    const flush = () => {
      if (pending === undefined) return;
      parts.push({ text: "", thoughtSignature: pending });
      owners.push(-1);
      pending = undefined;
    };
    const push = (part: WirePart, index: number) => {
      if (pending !== undefined && isPlainText(part)) {
        part.thoughtSignature = pending;
        pending = undefined;
      }
      flush();
      parts.push(part);
      owners.push(index);
    };
    let usage: Usage | undefined;
    let finish: Finish | undefined;
    for (const e of chunk.events) {
      switch (e.type) {
        case "start":
          this.#id = e.id;
          this.#model = e.model;
          break;
        case "error":
          return this.error(e.error);
        case "usage":
          usage = e.usage;
          break;
        case "finish":
          finish = e.finish;
          usage ??= e.usage;
          break;
        case "text-delta":
          push({ text: e.delta }, e.index);
          break;
        case "reasoning-delta":
          push({ text: e.delta, thought: true }, e.index);
          break;
        case "reasoning-signature": {
          if (this.#parts.get(e.index)?.type !== "reasoning" || (this.#parts.get(e.index) as { producer?: string }).producer !== "gemini") break;
          const last = parts.at(-1);
          if (last?.thought === true && owners.at(-1) === e.index) last.thoughtSignature = e.signature;
          else push({ thought: true, thoughtSignature: e.signature }, e.index);
          break;
        }
        case "part-start":
          this.#parts.set(e.index, e.part);
          if (e.part.type === "native" && e.part.format === "gemini") push(e.part.value as WirePart, e.index);
          else if (e.part.type === "reasoning" && e.part.text === undefined && e.part.signature !== undefined && e.part.producer === "gemini") {
            const last = parts.at(-1);
            if (last && isPlainText(last)) last.thoughtSignature = e.part.signature;
            else pending = e.part.signature;
          }
          break;
        case "part-end":
          if (e.part.type === "tool-call" && !this.#nativeCalls.has(e.index)) push(this.#call(e.part, own), e.index);
          this.#parts.delete(e.index);
          break;
        default:
          break;
      }
    }
    flush();
    for (const n of natives ?? []) if (n.index === undefined || this.#nativeCalls.has(n.index)) parts.splice(n.at, 0, n.part);
    if (!own && parts.length === 0 && !finish && !usage) return [];
    return [{ data: this.#body(ex, own, parts, usage, finish) }];
  }

  end(): NativeEvent[] {
    return [];
  }

  error(error: CanonicalError): NativeEvent[] {
    return [{ data: encodeGeminiError(error) }];
  }

  #body(ex: JsonObject | undefined, own: boolean, parts: WirePart[], usage: Usage | undefined, finish: Finish | undefined): JsonObject {
    const { candidate: candidateRest, otherCandidates, usageMetadata, nativeParts: _n, ...rest } = (ex ?? {}) as {
      candidate?: JsonObject;
      otherCandidates?: JsonObject[];
      usageMetadata?: JsonObject;
      nativeParts?: unknown;
    };
    const body: JsonObject = { ...rest };
    if (!own || candidateRest) {
      const candidate = buildCandidate(parts, candidateRest, own);
      if (finish) candidate.finishReason = toGeminiFinishReason(finish);
      body.candidates = otherCandidates ? [candidate, ...otherCandidates] : [candidate];
    } else if (otherCandidates) {
      body.candidates = otherCandidates;
    }
    if (usage) body.usageMetadata = encodeGeminiUsage(usage);
    else if (usageMetadata) body.usageMetadata = usageMetadata;
    const model = this.#model ?? (own ? undefined : this.#context.model);
    if (model) body.modelVersion = model;
    if (this.#id !== undefined) body.responseId = this.#id;
    return body;
  }

  #call(p: ToolCallPart, own: boolean): WirePart {
    const call: JsonObject = {};
    if (own && !isSyntheticCallId(p.id)) call.id = p.id;
    call.name = p.name;
    if (p.arguments !== "") call.args = parseArgs(p.arguments);
    return { functionCall: call, ...(p.signature !== undefined && { thoughtSignature: p.signature }) };
  }
}

/** A text part (not a thought) without a signature of its own. */
function isPlainText(part: WirePart): boolean {
  return typeof part.text === "string" && part.thought !== true && part.thoughtSignature === undefined;
}
