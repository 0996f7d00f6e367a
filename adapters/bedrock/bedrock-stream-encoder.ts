import type { AssistantPart } from "../../src/canonical/content.ts";
import type { CanonicalError } from "../../src/canonical/error.ts";
import { extrasOf, type JsonObject } from "../../src/canonical/extras.ts";
import type { Finish, Usage } from "../../src/canonical/response.ts";
import type { StreamChunk, StreamEvent } from "../../src/canonical/stream.ts";
import type { NativeEvent, StreamEncoder } from "../types.ts";
import { bedrockStreamException } from "./bedrock-error.ts";
import { JSON_RESPONSE_TOOL } from "./bedrock-prepare-tools.ts";
import { encodeBedrockUsage } from "./convert-bedrock-usage.ts";
import { bedrockStopReasonFor } from "./map-bedrock-stop-reason.ts";

interface WireBlock {
  wire: number;
  kind: "text" | "reasoning" | "tool" | "json";
  bedrockReasoning: boolean;
  sentText: boolean;
  sentArgs: boolean;
  sentSignature: boolean;
  sentRedacted: boolean;
  open: boolean;
}

/**
 * Canonical chunks as ConverseStream events. Chunks decoded from Bedrock come back as the events
 * they were (their extras hold what the events do not say); chunks from any other format make a
 * complete Bedrock stream: messageStart, blocks (contentBlockStart only for tool use, as Bedrock
 * does), messageStop with the mapped stop reason, then metadata with usage and latency.
 * Other providers' signatures, redacted reasoning and native parts are left out.
 */
export class BedrockStreamEncoder implements StreamEncoder {
  readonly #blocks = new Map<number, WireBlock>();
  readonly #skipped = new Set<number>();
  readonly #startedAt = Date.now();
  #nextWire = 0;
  #started = false;
  #stopSent = false;
  #metaSent = false;
  #usage: Usage | undefined;
  #finish: Finish | undefined;
  /** Tool calls this stream carried to the client (seen, whether written or forwarded). */
  #toolUses = 0;

  encode(chunk: StreamChunk): NativeEvent[] {
    const out: NativeEvent[] = [];
    const x = extrasOf(chunk, "bedrock");
    const { contentBlockIndex, messageStop, metadata, ...blockRest } = x;
    let usageHere: Usage | undefined;
    let finishHere = false;
    for (const ev of chunk.events) {
      if (ev.type === "start") {
        if (!this.#started) out.push({ event: "messageStart", data: { role: "assistant", ...x } });
        this.#started = true;
        continue;
      }
      if (ev.type === "usage") {
        this.#usage = usageHere = ev.usage;
        continue;
      }
      if (ev.type === "finish") {
        this.#finish = ev.finish;
        if (ev.usage) this.#usage = usageHere = ev.usage;
        finishHere = true;
        continue;
      }
      if (ev.type === "error") {
        out.push(...this.error(ev.error));
        continue;
      }
      if (ev.type === "native") {
        if (ev.format === "bedrock" && typeof ev.value.event === "string") this.#push(out, ev.value.event, ev.value.data as JsonObject);
        continue;
      }
      this.#blockEvent(ev, out, typeof contentBlockIndex === "number" ? contentBlockIndex : undefined, blockRest);
    }
    if (messageStop) {
      // The events win over the upstream's word: a stage may have removed every tool call (the
      // decoder holds the finish until the usage arrives, so messageStop itself carries none).
      const upstreamStop = messageStop as JsonObject;
      let stopReason = finishHere && this.#finish ? bedrockStopReasonFor(this.#finish) : upstreamStop.stopReason;
      if (stopReason === "tool_use" && this.#toolUses === 0) stopReason = "end_turn";
      this.#push(out, "messageStop", stopReason === upstreamStop.stopReason ? upstreamStop : { ...upstreamStop, stopReason });
      this.#stopSent = true;
    }
    if (metadata) {
      out.push({ event: "metadata", data: { ...(usageHere && { usage: encodeBedrockUsage(usageHere) }), ...(metadata as JsonObject) } });
      this.#metaSent = true;
    } else if (finishHere) {
      this.#close(out);
    }
    return out;
  }

  end(): NativeEvent[] {
    return [];
  }

  error(error: CanonicalError): NativeEvent[] {
    return [bedrockStreamException(error)];
  }

  /** Appends an event, after a messageStart when the stream has none yet. */
  #push(out: NativeEvent[], event: string, data: JsonObject): void {
    if (!this.#started) {
      this.#started = true;
      out.push({ event: "messageStart", data: { role: "assistant" } });
    }
    out.push({ event, data });
  }

  /** The end of a stream from another format: open blocks stopped, then messageStop and metadata. */
  #close(out: NativeEvent[]): void {
    for (const b of this.#blocks.values()) if (b.open) out.push({ event: "contentBlockStop", data: { contentBlockIndex: b.wire } });
    this.#blocks.clear();
    if (!this.#stopSent) {
      this.#push(out, "messageStop", { stopReason: bedrockStopReasonFor(this.#finish ?? { reason: "stop" }) });
      this.#stopSent = true;
    }
    if (!this.#metaSent) {
      const usage = this.#usage ? encodeBedrockUsage(this.#usage) : { inputTokens: 0, outputTokens: 0, totalTokens: 0 };
      out.push({ event: "metadata", data: { usage, metrics: { latencyMs: Date.now() - this.#startedAt } } });
      this.#metaSent = true;
    }
  }

  #open(index: number, part: AssistantPart, wireOverride: number | undefined): WireBlock | undefined {
    let kind: WireBlock["kind"];
    if (part.type === "text") kind = typeof extrasOf(part, "bedrock").jsonTool === "string" ? "json" : "text";
    else if (part.type === "refusal") kind = "text";
    else if (part.type === "reasoning" && (part.producer === "bedrock" || !part.redacted)) kind = "reasoning";
    else if (part.type === "tool-call") kind = "tool";
    else {
      this.#skipped.add(index);
      return undefined;
    }
    const wire = wireOverride ?? this.#nextWire;
    this.#nextWire = Math.max(this.#nextWire, wire + 1);
    const block: WireBlock = {
      wire,
      kind,
      bedrockReasoning: part.type === "reasoning" && part.producer === "bedrock",
      sentText: false,
      sentArgs: false,
      sentSignature: false,
      sentRedacted: false,
      open: true,
    };
    this.#blocks.set(index, block);
    return block;
  }

  #blockEvent(ev: Exclude<StreamEvent, { type: "start" | "usage" | "finish" | "error" | "native" }>, out: NativeEvent[], wireOverride: number | undefined, rest: JsonObject): void {
    if (this.#skipped.has(ev.index)) return;
    if (ev.type === "part-start" && ev.part.type === "tool-call") this.#toolUses++;
    const emit = (event: string, data: JsonObject) => this.#push(out, event, { ...data, ...rest });
    const delta = (b: WireBlock, d: JsonObject) => emit("contentBlockDelta", { contentBlockIndex: b.wire, delta: d });
    let b = this.#blocks.get(ev.index);
    if (ev.type === "part-start" || !b) {
      if (b) return;
      const part: AssistantPart = ev.type === "part-start" || ev.type === "part-end" ? ev.part : ev.type === "tool-args-delta" ? ({ type: "tool-call" } as AssistantPart) : ev.type === "text-delta" || ev.type === "citation" ? { type: "text", text: "" } : { type: "reasoning" };
      b = this.#open(ev.index, part, wireOverride);
      if (!b) return;
      if (part.type === "tool-call" && part.id !== undefined) {
        emit("contentBlockStart", { contentBlockIndex: b.wire, start: { toolUse: { ...extrasOf(part, "bedrock"), toolUseId: part.id, name: part.name } } });
      } else if (b.kind === "json") {
        emit("contentBlockStart", { contentBlockIndex: b.wire, start: { toolUse: { toolUseId: extrasOf(part, "bedrock").jsonTool as string, name: JSON_RESPONSE_TOOL } } });
      }
      if (ev.type === "part-start") {
        this.#fill(b, part, delta);
        return;
      }
    }
    switch (ev.type) {
      case "text-delta":
        b.sentText = true;
        delta(b, b.kind === "json" ? { toolUse: { input: ev.delta } } : { text: ev.delta });
        return;
      case "reasoning-delta":
        b.sentText = true;
        delta(b, { reasoningContent: { text: ev.delta } });
        return;
      case "reasoning-signature":
        if (!b.bedrockReasoning) return;
        b.sentSignature = true;
        delta(b, { reasoningContent: { signature: ev.signature } });
        return;
      case "tool-args-delta":
        b.sentArgs = true;
        delta(b, { toolUse: { input: ev.delta } });
        return;
      case "citation":
        if (ev.citation.native?.format === "bedrock") delta(b, { citation: ev.citation.native.value });
        return;
      case "part-end":
        this.#fill(b, ev.part, delta);
        b.open = false;
        emit("contentBlockStop", { contentBlockIndex: b.wire });
    }
  }

  /** What a part holds that no delta has carried yet (a whole tool call in one event, say). */
  #fill(b: WireBlock, part: AssistantPart, delta: (b: WireBlock, d: JsonObject) => void): void {
    if (part.type === "text" || part.type === "refusal") {
      if (!b.sentText && part.text !== "") {
        b.sentText = true;
        delta(b, b.kind === "json" ? { toolUse: { input: part.text } } : { text: part.text });
      }
    } else if (part.type === "tool-call") {
      if (!b.sentArgs && part.arguments) {
        b.sentArgs = true;
        delta(b, { toolUse: { input: part.arguments } });
      }
    } else if (part.type === "reasoning") {
      if (b.bedrockReasoning && part.encrypted !== undefined && !b.sentRedacted) {
        b.sentRedacted = true;
        delta(b, { reasoningContent: { redactedContent: part.encrypted } });
      }
      if (!b.sentText && part.text) {
        b.sentText = true;
        delta(b, { reasoningContent: { text: part.text } });
      }
      if (b.bedrockReasoning && !b.sentSignature && part.signature) {
        b.sentSignature = true;
        delta(b, { reasoningContent: { signature: part.signature } });
      }
    }
  }
}
