import type { AssistantPart } from "../../src/canonical/content.ts";
import type { CanonicalError } from "../../src/canonical/error.ts";
import type { JsonObject } from "../../src/canonical/extras.ts";
import { wrapForeignReasoning } from "../../src/canonical/foreign-reasoning.ts";
import type { Usage } from "../../src/canonical/response.ts";
import type { StreamChunk, StreamEvent } from "../../src/canonical/stream.ts";
import type { EncodeContext, NativeEvent, StreamEncoder } from "../types.ts";
import { encodeAnthropicCitation } from "./anthropic-citations.ts";
import { encodeAnthropicError } from "./anthropic-error.ts";
import { ANTHROPIC, isObject, own, spreadNative } from "./anthropic-extras.ts";
import { encodeAnthropicUsage } from "./convert-anthropic-usage.ts";
import { encodeAssistantPart } from "./encode-anthropic-content.ts";
import { parseToolInput } from "./anthropic-tool-input.ts";
import { anthropicMessageId } from "./encode-anthropic-response.ts";
import { toAnthropicStopReason } from "./map-anthropic-stop-reason.ts";

/**
 * Canonical chunks to Messages API stream events. A chunk decoded from this format comes back as
 * the event it was (its `$message` / `$delta` extras fill in what the events do not say); chunks of
 * any other origin make a complete, valid stream: message_start (with id and model) before the
 * first block, blocks numbered in order, message_delta with stop reason and cumulative usage, then
 * message_stop. Another provider's reasoning signature travels in a `signature_delta` (our
 * envelope) just before its block stops.
 */
interface Open {
  index: number;
  kind: AssistantPart["type"];
  /** Text, thinking, or input JSON written so far. */
  sent: string;
  ours: boolean;
  signatureSent: boolean;
  /** A free-text (custom) tool call: its text goes out whole at the end, as `{"input": …}`. */
  custom: boolean;
  summaryIndex?: number;
}

const ev = (data: JsonObject): NativeEvent => ({ event: data.type as string, data });

function finalText(part: AssistantPart): string | undefined {
  switch (part.type) {
    case "text":
    case "refusal":
      return part.text;
    case "reasoning":
      return part.redacted ? undefined : (part.text ?? part.summary?.join("\n\n"));
    case "tool-call":
      return part.arguments;
  }
  return undefined;
}

export function createAnthropicStreamEncoder(context: EncodeContext): StreamEncoder {
  const open = new Map<number, Open>();
  const skipped = new Set<number>();
  let next = 0;
  let started = false;
  let finished = false;
  let deltaSent = false;
  let lastUsage: Usage | undefined;
  /** A finish that came without usage waits for it (OpenAI sends usage in a chunk after the finish). */
  let pendingFinish: Extract<StreamEvent, { type: "finish" }> | undefined;

  function messageStart(out: NativeEvent[], id: string | undefined, model: string | undefined, usage: Usage | undefined, x: JsonObject): void {
    const rest = isObject(x.$message) ? x.$message : undefined;
    const message: JsonObject = rest
      ? { ...rest, id: id ?? "", model: model ?? context.model }
      : { id: anthropicMessageId(id), type: "message", role: "assistant", model: model ?? context.model, content: [], stop_reason: null, stop_sequence: null };
    message.usage = usage ? encodeAnthropicUsage(usage) : { input_tokens: 0, output_tokens: 0 };
    out.push(ev(spreadNative({ type: "message_start", message }, x)));
    started = true;
  }

  /** Another origin's `start` waits for the first content, so usage known by then goes in message_start. */
  let pendingStart: { id?: string; model?: string } | undefined;
  const ensureStarted = (out: NativeEvent[]) => started || messageStart(out, pendingStart?.id, pendingStart?.model, lastUsage, {});

  /** Set while observing a chunk the proxy forwards as its own bytes: state is kept, deltas not built. */
  let quiet = false;

  const delta = (out: NativeEvent[], o: Open, d: JsonObject, x: JsonObject) => {
    if (quiet) return;
    const deltaRest = isObject(x.$deltaRest) ? x.$deltaRest : undefined;
    out.push(ev(spreadNative({ type: "content_block_delta", index: o.index, delta: deltaRest ? { ...d, ...deltaRest } : d }, x)));
  };

  function partStart(out: NativeEvent[], index: number, part: AssistantPart, x: JsonObject): void {
    if (part.type === "native" && part.format !== ANTHROPIC) {
      skipped.add(index);
      return;
    }
    let block: JsonObject | undefined;
    if (part.type === "tool-call") {
      const input = part.kind === "custom" || !part.arguments ? {} : parseToolInput(part.arguments);
      block = spreadNative({ type: "tool_use", id: part.id, name: part.name, input }, own(part));
    } else if (part.type === "reasoning" && part.producer !== ANTHROPIC && !part.redacted) {
      block = { type: "thinking", thinking: part.text ?? "", signature: "" };
    } else block = encodeAssistantPart(part, "response") ?? { type: "text", text: "" };
    ensureStarted(out);
    const custom = part.type === "tool-call" && part.kind === "custom";
    const o: Open = {
      index: next++,
      kind: part.type,
      sent: custom ? "" : (finalText(part) ?? ""),
      ours: part.type !== "reasoning" || part.producer === ANTHROPIC,
      signatureSent: false,
      custom,
    };
    open.set(index, o);
    out.push(ev(spreadNative({ type: "content_block_start", index: o.index, content_block: block }, x)));
  }

  function partEnd(out: NativeEvent[], index: number, part: AssistantPart, x: JsonObject): void {
    const o = open.get(index);
    if (!o) return;
    open.delete(index);
    // Content the deltas did not carry (a held-back or rewritten part) is sent before the block closes.
    const text = finalText(part);
    if (o.custom && part.type === "tool-call") delta(out, o, { type: "input_json_delta", partial_json: JSON.stringify({ input: part.arguments }) }, {});
    else if (text !== undefined && text.length > o.sent.length && text.startsWith(o.sent)) {
      const rest = text.slice(o.sent.length);
      if (part.type === "tool-call") delta(out, o, { type: "input_json_delta", partial_json: rest }, {});
      else if (part.type === "reasoning") delta(out, o, { type: "thinking_delta", thinking: rest }, {});
      else delta(out, o, { type: "text_delta", text: rest }, {});
    }
    if (part.type === "reasoning" && !part.redacted && !o.signatureSent) {
      const signature = o.ours ? part.signature : wrapForeignReasoning(part);
      if (signature) delta(out, o, { type: "signature_delta", signature }, {});
    }
    out.push(ev(spreadNative({ type: "content_block_stop", index: o.index }, x)));
  }

  function closeAll(out: NativeEvent[]): void {
    for (const [index, o] of open) {
      open.delete(index);
      out.push(ev({ type: "content_block_stop", index: o.index }));
    }
  }

  function messageDelta(out: NativeEvent[], e: Extract<StreamEvent, { type: "finish" }>, x: JsonObject): void {
    ensureStarted(out);
    closeAll(out);
    const d: JsonObject = { stop_reason: toAnthropicStopReason(e.finish), stop_sequence: e.finish.stopSequence ?? null };
    if (Array.isArray(x.$absent)) for (const key of x.$absent as string[]) delete d[key];
    if (isObject(x.$delta)) Object.assign(d, x.$delta);
    const data: JsonObject = { type: "message_delta", delta: d };
    const usage = e.usage ?? lastUsage;
    if (!x.$noUsage) data.usage = usage ? encodeAnthropicUsage(usage) : { output_tokens: 0 };
    out.push(ev(spreadNative(data, x)));
    deltaSent = true;
  }

  function nativeEvent(out: NativeEvent[], value: JsonObject): void {
    const t = value.type;
    if (t === "message_stop") {
      closeAll(out);
      finished = true;
    } else if (t !== "ping" && t !== "error") ensureStarted(out);
    const o = typeof value.index === "number" ? open.get(value.index) : undefined;
    out.push(ev(o && o.index !== value.index ? { ...value, index: o.index } : value));
  }

  const encoder: StreamEncoder = {
    encode(chunk: StreamChunk): NativeEvent[] {
      const out: NativeEvent[] = [];
      if (finished) return out;
      const x = own(chunk);
      const events = chunk.events;
      for (let i = 0; i < events.length; i++) {
        const e = events[i];
        switch (e.type) {
          case "start": {
            const next = events[i + 1];
            let usage: Usage | undefined;
            if (next?.type === "usage") {
              usage = lastUsage = next.usage;
              i++;
            }
            if (started) break;
            if (isObject(x.$message)) messageStart(out, e.id, e.model, usage, x);
            else pendingStart = { id: e.id, model: e.model };
            break;
          }
          case "usage":
            lastUsage = e.usage;
            if (pendingFinish) {
              messageDelta(out, { ...pendingFinish, usage: e.usage }, {});
              pendingFinish = undefined;
            }
            break;
          case "part-start":
            partStart(out, e.index, e.part, x);
            break;
          case "text-delta": {
            const o = open.get(e.index);
            if (!o) break;
            o.sent += e.delta;
            delta(out, o, { type: o.kind === "reasoning" ? "thinking_delta" : "text_delta", [o.kind === "reasoning" ? "thinking" : "text"]: e.delta }, x);
            break;
          }
          case "reasoning-delta": {
            const o = open.get(e.index);
            if (!o || o.kind !== "reasoning") break;
            let text = e.delta;
            if (e.channel === "summary" && e.summaryIndex !== undefined && o.summaryIndex !== undefined && e.summaryIndex !== o.summaryIndex) text = `\n\n${text}`;
            if (e.summaryIndex !== undefined) o.summaryIndex = e.summaryIndex;
            o.sent += text;
            delta(out, o, { type: "thinking_delta", thinking: text }, x);
            break;
          }
          case "reasoning-signature": {
            const o = open.get(e.index);
            if (!o || !o.ours) break;
            o.signatureSent = true;
            delta(out, o, { type: "signature_delta", signature: e.signature }, x);
            break;
          }
          case "tool-args-delta": {
            const o = open.get(e.index);
            if (!o || o.custom) break;
            o.sent += e.delta;
            delta(out, o, { type: "input_json_delta", partial_json: e.delta }, x);
            break;
          }
          case "citation": {
            const o = open.get(e.index);
            const citation = encodeAnthropicCitation(e.citation);
            if (o && citation) delta(out, o, { type: "citations_delta", citation }, x);
            break;
          }
          case "part-end":
            if (!skipped.delete(e.index)) partEnd(out, e.index, e.part, x);
            break;
          case "finish":
            if (deltaSent) break;
            if (e.usage || lastUsage || x.$delta !== undefined) messageDelta(out, e, x);
            else pendingFinish = e;
            break;
          case "error":
            out.push(ev(encodeAnthropicError(e.error)));
            finished = true;
            return out;
          case "native":
            if (e.format === ANTHROPIC) nativeEvent(out, e.value);
            break;
        }
      }
      return out;
    },

    end(): NativeEvent[] {
      if (finished) return [];
      const out: NativeEvent[] = [];
      ensureStarted(out);
      closeAll(out);
      if (!deltaSent) messageDelta(out, pendingFinish ?? { type: "finish", finish: { reason: "stop" } }, {});
      out.push(ev({ type: "message_stop" }));
      finished = true;
      return out;
    },

    error(error: CanonicalError): NativeEvent[] {
      if (finished) return [];
      finished = true;
      return [ev(encodeAnthropicError(error))];
    },

    /** What Anthropic itself sends while a model thinks: clients that watch for silence count it. */
    keepAlive(): NativeEvent[] {
      return [ev({ type: "ping" })];
    },

    observe(chunk: StreamChunk): void {
      quiet = true;
      try {
        encoder.encode(chunk);
      } finally {
        quiet = false;
      }
    },
  };
  return encoder;
}
