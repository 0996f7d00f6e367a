import type { AssistantPart, ReasoningPart, TextPart, ToolCallPart } from "../../src/canonical/content.ts";
import type { JsonObject } from "../../src/canonical/extras.ts";
import type { Usage } from "../../src/canonical/response.ts";
import type { StreamChunk, StreamEvent } from "../../src/canonical/stream.ts";
import type { NativeEvent, StreamDecoder } from "../types.ts";
import { decodeAnthropicCitation } from "./anthropic-citations.ts";
import { decodeAnthropicError, statusForAnthropicErrorType } from "./anthropic-error.ts";
import { ANTHROPIC, anthropicExtras, isObject, restOfKnown } from "./anthropic-extras.ts";
import { isJsonFallbackTool, JSON_VALUE_TOOL, jsonFallbackText } from "./anthropic-json-fallback.ts";
import { decodeAnthropicDeltaUsage, decodeAnthropicUsage } from "./convert-anthropic-usage.ts";
import { decodeAssistantBlock, decodeToolUseBlock } from "./decode-anthropic-content.ts";
import { isAnthropicStopReason, mapAnthropicStopReason } from "./map-anthropic-stop-reason.ts";

/**
 * Messages API stream events to canonical chunks, one chunk per event. Canonical part indexes are
 * Anthropic's block indexes (both count every block in order). Deltas are passed on as they come;
 * each `content_block_stop` yields the whole assembled part. Tool input JSON is only concatenated,
 * never parsed, until its block ends. Pings and `message_stop` are `native` events.
 */
interface Block {
  kind: "text" | "reasoning" | "tool" | "json" | "native";
  start: AssistantPart;
  /** Text, thinking, or input JSON received so far. */
  acc: string;
  signature?: string;
  citations?: TextPart["citations"];
  jsonTool?: string;
}

const START_KEYS: ReadonlySet<string> = new Set(["type", "message"]);
const MESSAGE_KEYS: ReadonlySet<string> = new Set(["id", "model", "usage"]);
const BLOCK_START_KEYS: ReadonlySet<string> = new Set(["type", "index", "content_block"]);
const BLOCK_DELTA_KEYS: ReadonlySet<string> = new Set(["type", "index", "delta"]);
const BLOCK_STOP_KEYS: ReadonlySet<string> = new Set(["type", "index"]);
const MESSAGE_DELTA_KEYS: ReadonlySet<string> = new Set(["type", "delta", "usage"]);
const DELTA_KEYS: ReadonlySet<string> = new Set(["stop_reason", "stop_sequence"]);
const DELTA_FIELDS: Record<string, ReadonlySet<string>> = {
  text_delta: new Set(["type", "text"]),
  input_json_delta: new Set(["type", "partial_json"]),
  thinking_delta: new Set(["type", "thinking"]),
  signature_delta: new Set(["type", "signature"]),
  citations_delta: new Set(["type", "citation"]),
};

const chunk = (events: StreamEvent[], rest?: JsonObject, markers?: JsonObject): StreamChunk => {
  const extras = anthropicExtras(rest, markers);
  return extras ? { events, extras } : { events };
};
const nativeChunk = (data: JsonObject): StreamChunk => ({ events: [{ type: "native", format: ANTHROPIC, value: data }] });

export function createAnthropicStreamDecoder(): StreamDecoder {
  const blocks = new Map<number, Block>();
  let startUsage: Usage | undefined;
  let realToolUse = false;
  let jsonAnswer = false;
  let started = false;
  let finished = false;

  function messageStart(data: JsonObject): StreamChunk {
    started = true;
    const msg = isObject(data.message) ? data.message : {};
    const events: StreamEvent[] = [];
    const start: StreamEvent & { type: "start" } = { type: "start" };
    if (typeof msg.id === "string") start.id = msg.id;
    if (typeof msg.model === "string") start.model = msg.model;
    events.push(start);
    if (isObject(msg.usage)) {
      startUsage = decodeAnthropicUsage(msg.usage);
      events.push({ type: "usage", usage: startUsage });
    }
    return chunk(events, restOfKnown(data, START_KEYS), { $message: restOfKnown(msg, MESSAGE_KEYS) ?? {} });
  }

  function blockStart(data: JsonObject, index: number): StreamChunk {
    const cb = isObject(data.content_block) ? data.content_block : {};
    const rest = restOfKnown(data, BLOCK_START_KEYS);
    let block: Block;
    if (cb.type === "tool_use" && isJsonFallbackTool(cb.name)) {
      jsonAnswer = true;
      // A server that sends the whole input in the start block (not `{}` then deltas) sends it once.
      const whole = isObject(cb.input) && Object.keys(cb.input).length > 0 ? JSON.stringify(cb.input) : "";
      blocks.set(index, { kind: "json", start: { type: "text", text: "" }, acc: whole, jsonTool: cb.name });
      const events: StreamEvent[] = [{ type: "part-start", index, part: { type: "text", text: "" } }];
      if (whole !== "" && cb.name !== JSON_VALUE_TOOL) events.push({ type: "text-delta", index, delta: whole });
      return chunk(events, rest);
    } else if (cb.type === "tool_use") {
      realToolUse = true;
      const part = decodeToolUseBlock(cb);
      // `input: {}` opens every streamed call; a server that sends the whole input here sends it once.
      if (part.arguments === "{}") part.arguments = "";
      block = { kind: "tool", start: part, acc: part.arguments };
    } else {
      const part = decodeAssistantBlock(cb);
      if (part.type === "text") block = { kind: "text", start: part, acc: part.text, citations: part.citations && [...part.citations] };
      else if (part.type === "reasoning") block = { kind: "reasoning", start: part, acc: part.text ?? "", signature: part.signature };
      else block = { kind: "native", start: part, acc: "" };
    }
    blocks.set(index, block);
    return chunk([{ type: "part-start", index, part: block.start }], rest);
  }

  function blockDelta(data: JsonObject, index: number): StreamChunk {
    const block = blocks.get(index);
    const d = isObject(data.delta) ? data.delta : undefined;
    if (!block || !d) return nativeChunk(data);
    const fields = typeof d.type === "string" ? DELTA_FIELDS[d.type] : undefined;
    const deltaRest = fields ? restOfKnown(d, fields) : undefined;
    const rest = restOfKnown(data, BLOCK_DELTA_KEYS);
    const markers = deltaRest ? { $deltaRest: deltaRest } : undefined;
    let event: StreamEvent | undefined;
    switch (d.type) {
      case "text_delta":
        if (typeof d.text === "string" && block.kind === "text") {
          block.acc += d.text;
          event = { type: "text-delta", index, delta: d.text };
        }
        break;
      case "input_json_delta":
        if (typeof d.partial_json !== "string") break;
        block.acc += d.partial_json;
        if (block.kind === "tool") event = { type: "tool-args-delta", index, delta: d.partial_json };
        else if (block.kind === "json") {
          if (block.jsonTool === JSON_VALUE_TOOL) return { events: [] }; // unwrapped when the block ends
          event = { type: "text-delta", index, delta: d.partial_json };
        }
        break;
      case "thinking_delta":
        if (typeof d.thinking === "string" && block.kind === "reasoning") {
          block.acc += d.thinking;
          event = { type: "reasoning-delta", index, delta: d.thinking, channel: "text" };
        }
        break;
      case "signature_delta":
        if (typeof d.signature === "string" && block.kind === "reasoning") {
          block.signature = d.signature;
          event = { type: "reasoning-signature", index, signature: d.signature };
        }
        break;
      case "citations_delta":
        if (isObject(d.citation) && block.kind === "text") {
          const citation = decodeAnthropicCitation(d.citation);
          (block.citations ??= []).push(citation);
          event = { type: "citation", index, citation };
        }
        break;
    }
    return event ? chunk([event], rest, markers) : nativeChunk(data);
  }

  function blockStop(data: JsonObject, index: number): StreamChunk {
    const block = blocks.get(index);
    if (!block) return nativeChunk(data);
    blocks.delete(index);
    const events: StreamEvent[] = [];
    let part: AssistantPart;
    switch (block.kind) {
      case "text": {
        const p: TextPart = { ...(block.start as TextPart), text: block.acc };
        if (block.citations) p.citations = block.citations;
        part = p;
        break;
      }
      case "reasoning": {
        const p: ReasoningPart = { ...(block.start as ReasoningPart) };
        if (!p.redacted) p.text = block.acc;
        if (block.signature !== undefined) p.signature = block.signature;
        part = p;
        break;
      }
      case "tool":
        part = { ...(block.start as ToolCallPart), arguments: block.acc };
        break;
      case "json": {
        // A call with no input streams only `""`: the answer is `{}`, as in a whole response.
        const input = block.acc === "" ? "{}" : block.acc;
        const text = jsonFallbackText(block.jsonTool as string, input);
        if (block.jsonTool === JSON_VALUE_TOOL || block.acc === "") events.push({ type: "text-delta", index, delta: text });
        part = { type: "text", text };
        break;
      }
      case "native": {
        part = block.start;
        if (block.acc !== "" && part.type === "native") {
          try {
            part = { ...part, value: { ...part.value, input: JSON.parse(block.acc) } };
          } catch {
            // Incomplete input JSON: the part keeps the block as it started.
          }
        }
        break;
      }
    }
    events.push({ type: "part-end", index, part });
    return chunk(events, restOfKnown(data, BLOCK_STOP_KEYS));
  }

  function messageDelta(data: JsonObject): StreamChunk {
    finished = true;
    const d = isObject(data.delta) ? data.delta : {};
    const finish = mapAnthropicStopReason(d.stop_reason, d.stop_sequence);
    if (jsonAnswer && !realToolUse && finish.reason === "tool_calls") finish.reason = "stop";
    const event: StreamEvent & { type: "finish" } = { type: "finish", finish };
    if (isObject(data.usage)) event.usage = decodeAnthropicDeltaUsage(data.usage, startUsage);
    // What the finish cannot say is kept: an unknown or null reason, an odd stop_sequence, absent keys.
    let deltaRest = restOfKnown(d, DELTA_KEYS);
    const absent: string[] = [];
    for (const key of DELTA_KEYS) if (!(key in d)) absent.push(key);
    if ("stop_reason" in d && !isAnthropicStopReason(d.stop_reason)) (deltaRest ??= {}).stop_reason = d.stop_reason;
    if (d.stop_sequence !== undefined && d.stop_sequence !== null && typeof d.stop_sequence !== "string") (deltaRest ??= {}).stop_sequence = d.stop_sequence;
    let markers: JsonObject | undefined;
    if (deltaRest) (markers ??= {}).$delta = deltaRest;
    if (absent.length > 0) (markers ??= {}).$absent = absent;
    if (!isObject(data.usage)) (markers ??= {}).$noUsage = true;
    return chunk([event], restOfKnown(data, MESSAGE_DELTA_KEYS), markers);
  }

  return {
    decode(event: NativeEvent): StreamChunk {
      const data = event.data;
      if (typeof data === "string" || !isObject(data)) return { events: [] };
      const index = typeof data.index === "number" ? data.index : -1;
      switch (data.type) {
        case "message_start":
          return messageStart(data);
        case "content_block_start":
          return index < 0 ? nativeChunk(data) : blockStart(data, index);
        case "content_block_delta":
          return blockDelta(data, index);
        case "content_block_stop":
          return blockStop(data, index);
        case "message_delta":
          return messageDelta(data);
        case "error": {
          finished = true;
          const type = isObject(data.error) ? data.error.type : undefined;
          return { events: [{ type: "error", error: decodeAnthropicError(statusForAnthropicErrorType(type), data) }] };
        }
      }
      return nativeChunk(data);
    },
    /** A stream that began but ended before its stop reason was cut short: that is an error, not a quiet success. */
    end(): StreamChunk | undefined {
      if (!started || finished) return undefined;
      finished = true;
      return {
        events: [{ type: "error", error: { status: 502, kind: "upstream", code: "upstream_stream_truncated", message: "The upstream stream ended before the message was complete" } }],
      };
    },
  };
}
