import type { FunctionCall } from "@google/genai";
import type { ReasoningPart, TextPart, ToolCallPart } from "../../src/canonical/content.ts";
import { restOf, type JsonObject } from "../../src/canonical/extras.ts";
import type { Usage } from "../../src/canonical/response.ts";
import type { StreamChunk, StreamEvent } from "../../src/canonical/stream.ts";
import type { NativeEvent, StreamDecoder } from "../types.ts";
import { PartialArgsAssembler } from "./assemble-gemini-partial-args.ts";
import { decodeGeminiUsage, hasTokenCounts } from "./convert-gemini-usage.ts";
import { candidateRest, geminiFinish, splitCandidates } from "./decode-gemini-response.ts";
import { randomCallSeed, syntheticCallId } from "./gemini-call-ids.ts";
import { decodeGeminiError } from "./gemini-error.ts";
import type { GeminiResponseBody, WirePart } from "./gemini-wire.ts";

/**
 * Where a wire part that no event expresses sits in its chunk: Vertex's streamed function-call
 * fragments (`partialArgs`, `willContinue` markers, `functionCall: {}` terminators) and empty text
 * parts. `index` names the streamed call a fragment belongs to: the encoder writes the fragments
 * back as they were, in place of that call's events — and only while the call's own events are
 * there, so a call a policy removed from the stream does not come back through its fragments.
 */
export interface NativePartRecord {
  at: number;
  part: WirePart;
  index?: number;
}

const ENVELOPE = new Set(["candidates", "usageMetadata", "modelVersion", "responseId"]);

/**
 * streamGenerateContent (SSE, each event a whole GenerateContentResponse with cumulative usage)
 * -> canonical stream events. Text and thought text arrive as pieces of one part each; Gemini
 * API function calls arrive whole; Vertex may stream their arguments (see the assembler).
 */
export class GeminiStreamDecoder implements StreamDecoder {
  #started = false;
  #finished = false;
  #index = -1;
  #open: (TextPart | ReasoningPart) | undefined;
  #openIndex = -1;
  #call: { index: number; part: ToolCallPart; args: PartialArgsAssembler } | undefined;
  #seed = "";
  #calls = 0;

  decode(event: NativeEvent): StreamChunk {
    if (typeof event.data === "string") return { events: [] };
    const b = event.data as GeminiResponseBody;
    if (typeof b.error === "object" && b.error !== null) {
      this.#finished = true;
      return { events: [{ type: "error", error: decodeGeminiError(0, b) }] };
    }
    const events: StreamEvent[] = [];
    if (!this.#started) {
      this.#started = true;
      this.#seed = b.responseId ?? randomCallSeed();
      events.push({ type: "start", ...(b.responseId !== undefined && { id: b.responseId }), ...(b.modelVersion !== undefined && { model: b.modelVersion }) });
    }
    const [candidate, others] = splitCandidates(b.candidates);
    const natives: NativePartRecord[] = [];
    const parts = (candidate?.content?.parts ?? []) as WirePart[];
    for (let at = 0; at < parts.length; at++) this.#part(parts[at], at, events, natives);

    const meta = b.usageMetadata;
    let usage: Usage | undefined;
    if (meta && hasTokenCounts(meta)) {
      usage = decodeGeminiUsage(meta);
      events.push({ type: "usage", usage });
    }
    if (candidate?.finishReason || (!b.candidates && b.promptFeedback?.blockReason)) {
      this.#close(events);
      this.#finished = true;
      events.push({ type: "finish", finish: geminiFinish(candidate, b, this.#calls > 0), ...(usage && { usage }) });
    }

    const extras: JsonObject = { ...restOf(b, ENVELOPE) };
    if (candidate) extras.candidate = candidateRest(candidate);
    if (others) extras.otherCandidates = others;
    if (meta && !usage) extras.usageMetadata = meta;
    if (natives.length > 0) extras.nativeParts = natives;
    return Object.keys(extras).length > 0 ? { events, extras: { gemini: extras } } : { events };
  }

  end(): StreamChunk | undefined {
    if (this.#finished) return undefined;
    const events: StreamEvent[] = [];
    this.#close(events);
    events.push({
      type: "error",
      error: { status: 502, kind: "upstream", code: "incomplete_stream", message: "The Gemini stream ended before the response was complete" },
    });
    return { events };
  }

  #part(part: WirePart, at: number, events: StreamEvent[], natives: NativePartRecord[]): void {
    if (part.thought === true) {
      if (this.#open?.type !== "reasoning" || this.#open.signature !== undefined) this.#start(events, { type: "reasoning", text: "", producer: "gemini" });
      const open = this.#open as ReasoningPart;
      if (typeof part.text === "string") {
        open.text += part.text;
        events.push({ type: "reasoning-delta", index: this.#openIndex, delta: part.text, channel: "text" });
      }
      if (part.thoughtSignature !== undefined) {
        open.signature = part.thoughtSignature;
        events.push({ type: "reasoning-signature", index: this.#openIndex, signature: part.thoughtSignature });
      }
      return;
    }
    if (typeof part.text === "string") {
      const signature = part.thoughtSignature;
      const continues = this.#open?.type === "text";
      if (!continues && part.text === "" && signature === undefined) {
        // Gemini ends streams with an empty text part: nothing to say, kept for the same format only.
        natives.push({ at, part });
        return;
      }
      // A signature on the part that opens a text (Gemini 2.5 signs the first part after its
      // thoughts) goes before that text, as reasoning goes before an answer; one on a later piece
      // (Gemini 3 signs the last, often empty, piece) follows the text. The encoder puts it back
      // on the text part either way.
      if (!continues) {
        this.#close(events);
        if (signature !== undefined) this.#signature(events, signature);
        if (part.text === "") return;
        this.#start(events, { type: "text", text: "" });
      }
      (this.#open as TextPart).text += part.text;
      events.push({ type: "text-delta", index: this.#openIndex, delta: part.text });
      if (continues && signature !== undefined) {
        this.#close(events);
        this.#signature(events, signature);
      }
      return;
    }
    const fc = part.functionCall as (FunctionCall & JsonObject) | undefined;
    if (fc && typeof fc === "object") return this.#functionCall(part, fc, at, events, natives);
    this.#close(events);
    const index = ++this.#index;
    const native = { type: "native" as const, format: "gemini" as const, value: part };
    events.push({ type: "part-start", index, part: native }, { type: "part-end", index, part: native });
  }

  #functionCall(part: WirePart, fc: FunctionCall, at: number, events: StreamEvent[], natives: NativePartRecord[]): void {
    const whole = typeof fc.name === "string" && fc.willContinue !== true && fc.partialArgs === undefined;
    if (whole || typeof fc.name === "string") {
      this.#close(events);
      const call: ToolCallPart = {
        type: "tool-call",
        id: typeof fc.id === "string" ? fc.id : syntheticCallId(this.#seed, this.#calls),
        name: fc.name!,
        arguments: "",
        kind: "function",
        ...(part.thoughtSignature !== undefined && { signature: part.thoughtSignature }),
      };
      this.#calls++;
      const index = ++this.#index;
      events.push({ type: "part-start", index, part: call });
      if (whole) {
        const args = fc.args === undefined ? "" : JSON.stringify(fc.args);
        if (args) events.push({ type: "tool-args-delta", index, delta: args });
        events.push({ type: "part-end", index, part: { ...call, arguments: args } });
        return;
      }
      this.#call = { index, part: call, args: new PartialArgsAssembler() };
      natives.push({ at, part, index });
    } else {
      natives.push(this.#call ? { at, part, index: this.#call.index } : { at, part });
    }
    const open = this.#call;
    if (!open) return;
    for (const arg of fc.partialArgs ?? []) {
      const delta = open.args.push(arg);
      if (delta) events.push({ type: "tool-args-delta", index: open.index, delta });
    }
    if (fc.willContinue !== true) this.#endCall(events);
  }

  /** A signature-only reasoning part (the signature Gemini put on a text part). */
  #signature(events: StreamEvent[], signature: string): void {
    const part: ReasoningPart = { type: "reasoning", signature, producer: "gemini" };
    const index = ++this.#index;
    events.push({ type: "part-start", index, part }, { type: "part-end", index, part });
  }

  #start(events: StreamEvent[], part: TextPart | ReasoningPart): void {
    this.#close(events);
    this.#open = part;
    this.#openIndex = ++this.#index;
    events.push({ type: "part-start", index: this.#openIndex, part: { ...part } });
  }

  #close(events: StreamEvent[]): void {
    if (this.#open) {
      events.push({ type: "part-end", index: this.#openIndex, part: this.#open });
      this.#open = undefined;
    }
    if (this.#call) this.#endCall(events);
  }

  #endCall(events: StreamEvent[]): void {
    const open = this.#call!;
    this.#call = undefined;
    const delta = open.args.finish();
    if (delta) events.push({ type: "tool-args-delta", index: open.index, delta });
    events.push({ type: "part-end", index: open.index, part: { ...open.part, arguments: open.args.arguments() } });
  }
}
