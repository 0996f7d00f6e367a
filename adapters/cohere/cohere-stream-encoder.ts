import type { AssistantPart, Citation } from "../../src/canonical/content.ts";
import type { CanonicalError } from "../../src/canonical/error.ts";
import type { JsonObject } from "../../src/canonical/extras.ts";
import type { Finish, Usage } from "../../src/canonical/response.ts";
import type { StreamChunk, StreamEvent } from "../../src/canonical/stream.ts";
import type { EncodeContext, NativeEvent, StreamEncoder } from "../types.ts";
import { cohereOf, FORMAT, isObject } from "./cohere-extras.ts";
import { encodeCohereCitation } from "./convert-cohere-citations.ts";
import { encodeCohereUsage } from "./convert-cohere-usage.ts";
import { toCohereStopReason } from "./map-cohere-stop-reason.ts";

interface Slot {
  kind: "text" | "thinking" | "tool" | "plan" | "skip";
  /** Cohere's content or tool-call index. */
  index: number;
  open: boolean;
  /** What was streamed (text, thinking, plan or arguments), to fill in a part that never streamed. */
  streamed: string;
}

/**
 * Canonical chunks as Cohere SSE frames (`event` = the frame's `type`), closed by `data: [DONE]`.
 * A Cohere chunk encodes back to its own frame exactly (its unexpressed fields come from
 * `extras.cohere`). Chunks of another origin make a complete Cohere stream: `message-start` first,
 * content and tool-call blocks with Cohere's own counters, text streamed after a tool call's
 * start staying content (a stream cannot know a plan in advance), reasoning as thinking blocks,
 * signatures and other formats' native events dropped, open blocks closed before `message-end`.
 */
export function cohereStreamEncoder(_context: EncodeContext): StreamEncoder {
  const slots = new Map<number, Slot>();
  let started = false;
  let closed = false;
  let nextContent = 0;
  let nextTool = 0;
  let nextCitation = 0;
  let lastUsage: Usage | undefined;

  const frame = (data: JsonObject): NativeEvent => ({ event: data.type as string, data });

  function ensureStarted(out: NativeEvent[]): void {
    if (started) return;
    started = true;
    out.push(frame({ type: "message-start", id: crypto.randomUUID(), delta: skeleton() }));
  }

  function openSlot(out: NativeEvent[], index: number, part: AssistantPart, initial: string): Slot {
    ensureStarted(out);
    let slot: Slot;
    if (part.type === "tool-call") {
      slot = { kind: "tool", index: nextTool++, open: true, streamed: initial };
      out.push(frame({ type: "tool-call-start", index: slot.index, delta: { message: { tool_calls: { id: part.id, type: "function", function: { name: part.name, arguments: initial } } } } }));
    } else if (part.type === "reasoning" && cohereOf(part).$plan === true) {
      slot = { kind: "plan", index: -1, open: true, streamed: initial };
      if (initial !== "") out.push(planDelta(initial));
    } else if (part.type === "reasoning") {
      slot = { kind: "thinking", index: nextContent++, open: true, streamed: initial };
      out.push(frame({ type: "content-start", index: slot.index, delta: { message: { content: { type: "thinking", thinking: initial } } } }));
    } else if (part.type === "text" || part.type === "refusal") {
      slot = { kind: "text", index: nextContent++, open: true, streamed: initial };
      out.push(frame({ type: "content-start", index: slot.index, delta: { message: { content: { type: "text", text: initial } } } }));
    } else {
      slot = { kind: "skip", index: -1, open: false, streamed: "" };
    }
    slots.set(index, slot);
    return slot;
  }

  const planDelta = (text: string) => frame({ type: "tool-plan-delta", delta: { message: { tool_plan: text } } });

  function delta(out: NativeEvent[], slot: Slot, text: string): void {
    slot.streamed += text;
    if (slot.kind === "plan") out.push(planDelta(text));
    else if (slot.kind === "text") out.push(frame({ type: "content-delta", index: slot.index, delta: { message: { content: { text } } } }));
    else if (slot.kind === "thinking") out.push(frame({ type: "content-delta", index: slot.index, delta: { message: { content: { thinking: text } } } }));
    else if (slot.kind === "tool") {
      out.push(frame({ type: "tool-call-delta", index: slot.index, delta: { message: { tool_calls: { function: { arguments: text } } } } }));
    }
  }

  function close(out: NativeEvent[], slot: Slot): void {
    if (!slot.open) return;
    slot.open = false;
    if (slot.kind === "text" || slot.kind === "thinking") out.push(frame({ type: "content-end", index: slot.index }));
    else if (slot.kind === "tool") out.push(frame({ type: "tool-call-end", index: slot.index }));
  }

  function closeAll(out: NativeEvent[]): void {
    for (const slot of slots.values()) close(out, slot);
  }

  /** A part that ends with content it never streamed (a decoder that only reports whole parts). */
  function backfill(out: NativeEvent[], slot: Slot, part: AssistantPart): void {
    if (slot.streamed !== "") return;
    let whole: string | undefined;
    if (part.type === "text" || part.type === "refusal") whole = part.text;
    else if (part.type === "reasoning") whole = part.text ?? part.summary?.join("\n\n");
    else if (part.type === "tool-call") whole = part.arguments === "{}" ? "" : part.arguments;
    if (whole) delta(out, slot, whole);
  }

  function slotFor(out: NativeEvent[], index: number, kind: "text" | "reasoning"): Slot {
    const slot = slots.get(index);
    if (slot) return slot;
    const part: AssistantPart = kind === "text" ? { type: "text", text: "" } : { type: "reasoning", text: "" };
    return openSlot(out, index, part, "");
  }

  function messageEnd(finishReason: string, usage: Usage | undefined, error?: string): NativeEvent {
    const d: JsonObject = { finish_reason: finishReason };
    if (error !== undefined) d.error = error;
    if (usage) d.usage = encodeCohereUsage(usage);
    return frame({ type: "message-end", delta: d });
  }

  function citation(out: NativeEvent[], index: number, c: Citation): void {
    ensureStarted(out);
    const slot = slots.get(index);
    const contentIndex = slot && (slot.kind === "text" || slot.kind === "thinking") ? slot.index : undefined;
    const value = encodeCohereCitation(c, slot?.kind === "text" ? slot.streamed : undefined, contentIndex);
    const i = nextCitation++;
    out.push(frame({ type: "citation-start", index: i, delta: { message: { citations: value } } }));
    // Cohere's own citation-end arrives as its own (native) chunk.
    if (c.native?.format !== FORMAT) out.push(frame({ type: "citation-end", index: i }));
  }

  function finish(out: NativeEvent[], f: Finish, usage: Usage | undefined): void {
    ensureStarted(out);
    closeAll(out);
    out.push(messageEnd(toCohereStopReason(f), usage ?? lastUsage));
  }

  function fail(out: NativeEvent[], error: CanonicalError): void {
    ensureStarted(out);
    closeAll(out);
    out.push(messageEnd("ERROR", lastUsage, error.message));
  }

  function encodeEvent(out: NativeEvent[], events: readonly StreamEvent[], i: number): number {
    const ev = events[i];
    switch (ev.type) {
      case "start":
        if (!started) {
          started = true;
          out.push(frame({ type: "message-start", id: ev.id ?? crypto.randomUUID(), delta: skeleton() }));
        }
        break;
      case "part-start": {
        // A first delta in the same chunk is the block's initial text (Cohere puts it in the start).
        const next = events[i + 1];
        let initial = "";
        if (next && (next.type === "text-delta" || next.type === "reasoning-delta" || next.type === "tool-args-delta") && next.index === ev.index) {
          initial = next.delta;
          i++;
        }
        openSlot(out, ev.index, ev.part, initial);
        break;
      }
      case "text-delta":
        delta(out, slotFor(out, ev.index, "text"), ev.delta);
        break;
      case "reasoning-delta":
        delta(out, slotFor(out, ev.index, "reasoning"), ev.delta);
        break;
      case "tool-args-delta": {
        const slot = slots.get(ev.index);
        if (slot) delta(out, slot, ev.delta);
        break;
      }
      case "citation":
        citation(out, ev.index, ev.citation);
        break;
      case "part-end": {
        const slot = slots.get(ev.index) ?? openSlot(out, ev.index, ev.part, "");
        if (!slot.open) break;
        backfill(out, slot, ev.part);
        close(out, slot);
        break;
      }
      case "usage":
        lastUsage = ev.usage;
        break;
      case "finish":
        finish(out, ev.finish, ev.usage);
        break;
      case "error":
        fail(out, ev.error);
        break;
      case "native":
        if (ev.format === FORMAT) out.push(frame(ev.value));
        break;
      case "reasoning-signature":
        break;
    }
    return i;
  }

  return {
    encode(chunk: StreamChunk): NativeEvent[] {
      const out: NativeEvent[] = [];
      const events = chunk.events;
      for (let i = 0; i < events.length; i++) i = encodeEvent(out, events, i);
      const kept = chunk.extras?.cohere;
      if (kept && out.length > 0) applyKept(out[out.length - 1].data as JsonObject, kept);
      return out;
    },
    end(): NativeEvent[] {
      if (closed) return [];
      closed = true;
      return [{ data: "[DONE]" }];
    },
    error(error: CanonicalError): NativeEvent[] {
      if (closed) return [];
      const out: NativeEvent[] = [];
      fail(out, error);
      closed = true;
      out.push({ data: "[DONE]" });
      return out;
    },
  };
}

/** The frame's fields a Cohere decoder kept: `delta` of message-start replaces, of message-end merges. */
function applyKept(data: JsonObject, kept: JsonObject): void {
  for (const key in kept) {
    if (key.charCodeAt(0) === 36 /* $ */) continue;
    const value = kept[key];
    if (key !== "delta" || data.type === "message-start") {
      if (value === undefined) delete data[key];
      else data[key] = value;
      continue;
    }
    const produced = isObject(data.delta) ? data.delta : {};
    if (!isObject(value)) continue;
    // An error end keeps Cohere's words (its finish reason, its error text or none) and our usage.
    const merged: JsonObject = produced.finish_reason === "ERROR" ? { ...value } : { ...value, ...produced };
    if (produced.usage !== undefined) merged.usage = produced.usage;
    data.delta = merged;
  }
}

function skeleton(): JsonObject {
  return { message: { role: "assistant", content: [], tool_plan: "", tool_calls: [], citations: [] } };
}
