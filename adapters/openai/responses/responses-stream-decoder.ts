import type { CanonicalError } from "../../../src/canonical/error.ts";
import type { JsonObject } from "../../../src/canonical/extras.ts";
import type { StreamChunk, StreamEvent } from "../../../src/canonical/stream.ts";
import { decodeOpenAiError, openAiStreamErrorStatus } from "../openai-error.ts";
import type { NativeEvent, StreamDecoder } from "../../types.ts";
import { decodeResponsesUsage } from "./convert-responses-usage.ts";
import { decodeAnnotation, decodeContentPart } from "./decode-responses-content.ts";
import { decodeAssistantItem } from "./decode-responses-item.ts";
import { decodeResponsesFinish } from "./map-responses-finish.ts";
import { isObject, originAt, RESPONSES } from "./responses-extras.ts";

/** Canonical part indexes of one output item: the item itself, or its content parts. */
interface ItemState {
  message: boolean;
  index?: number;
  contents?: Map<number, number>;
}

/** Events that carry a `delta` into the part at (output_index[, content_index]). */
const DELTAS: Record<string, "text" | "summary" | "reasoning" | "args"> = {
  "response.output_text.delta": "text",
  "response.refusal.delta": "text",
  "response.reasoning_summary_text.delta": "summary",
  "response.reasoning_text.delta": "reasoning",
  "response.function_call_arguments.delta": "args",
  "response.custom_tool_call_input.delta": "args",
};

/**
 * Responses stream events as canonical chunks, one chunk per event. What an event says in
 * canonical terms becomes events (part-start/-end, deltas, citations, finish, error); the rest of
 * the payload (type, sequence_number, item ids, indexes, obfuscation, the echoed request in
 * lifecycle events, `*.done` events that only repeat what the deltas said) stays in the chunk's
 * extras, so the same format rebuilds every event exactly. Hosted-tool progress
 * (web_search_call.searching, …), `response.in_progress` and unknown events are native events.
 * `part-end` is emitted once per part: at `content_part.done` for text and refusals, at
 * `output_item.done` for reasoning, calls and hosted items.
 */
export class ResponsesStreamDecoder implements StreamDecoder {
  #items = new Map<number, ItemState>();
  #next = 0;
  #callsTools = false;
  #started = false;
  #ended = false;

  decode(event: NativeEvent): StreamChunk {
    const data = event.data;
    if (!isObject(data)) return { events: [] };
    const type = data.type;
    if (typeof type !== "string") return native(data);
    const delta = DELTAS[type];
    if (delta) return this.#delta(data, delta);
    switch (type) {
      case "response.created":
        return this.#created(data);
      case "response.output_item.added":
      case "response.output_item.done":
        return this.#item(data, type === "response.output_item.added");
      case "response.content_part.added":
      case "response.content_part.done":
        return this.#contentPart(data, type === "response.content_part.added");
      case "response.output_text.annotation.added":
        return this.#annotation(data);
      case "response.completed":
      case "response.incomplete":
        return this.#finished(data);
      case "response.failed":
        return this.#failed(data);
      case "error":
        return this.#error(data);
      case "response.output_text.done":
      case "response.refusal.done":
      case "response.reasoning_summary_part.added":
      case "response.reasoning_summary_part.done":
      case "response.reasoning_summary_text.done":
      case "response.reasoning_text.done":
      case "response.function_call_arguments.done":
      case "response.custom_tool_call_input.done":
        // They repeat what the deltas said; the part ends at content_part.done / output_item.done.
        return keepAll(data);
    }
    return native(data);
  }

  /** A stream that stops before its terminal event was cut short: the client must not see a success. */
  end(): StreamChunk | undefined {
    if (!this.#started || this.#ended) return undefined;
    this.#ended = true;
    const error: CanonicalError = {
      status: 502,
      kind: "upstream",
      message: "The upstream stream ended before the response was complete",
    };
    return { events: [{ type: "error", error }] };
  }

  #created(data: JsonObject): StreamChunk {
    this.#items.clear();
    this.#next = 0;
    this.#callsTools = false;
    this.#started = true;
    this.#ended = false;
    const response = data.response;
    if (!isObject(response)) return keepAll(data);
    const start: Extract<StreamEvent, { type: "start" }> = { type: "start" };
    const rest: JsonObject = {};
    for (const key in response) {
      const v = response[key];
      if (key === "id" && typeof v === "string") start.id = v;
      else if (key === "model" && typeof v === "string") start.model = v;
      else if (key === "created_at" && typeof v === "number") start.created = v;
      else rest[key] = v;
    }
    return { events: [start], extras: { [RESPONSES]: { ...data, response: rest } } };
  }

  #item(data: JsonObject, added: boolean): StreamChunk {
    const item = data.item;
    const outputIndex = data.output_index;
    if (!isObject(item) || typeof outputIndex !== "number") return keepAll(data);
    let state = this.#items.get(outputIndex);
    if (item.type === "message" || state?.message) {
      if (!state) this.#items.set(outputIndex, { message: true, contents: new Map() });
      return keepAll(data);
    }
    const part = decodeAssistantItem(item, originAt(outputIndex))[0];
    if (part.type === "tool-call") this.#callsTools = true;
    const events: StreamEvent[] = [];
    if (!state) {
      state = { message: false, index: this.#next++ };
      this.#items.set(outputIndex, state);
      // A done item never announced still starts before it ends.
      if (!added) events.push({ type: "part-start", index: state.index!, part });
    }
    events.push({ type: added ? "part-start" : "part-end", index: state.index!, part });
    return { events, extras: { [RESPONSES]: without(data, "item") } };
  }

  #contentPart(data: JsonObject, added: boolean): StreamChunk {
    const part = data.part;
    const state = typeof data.output_index === "number" ? this.#items.get(data.output_index) : undefined;
    if (!isObject(part) || !state?.message || typeof data.content_index !== "number") return keepAll(data);
    const decoded = decodeContentPart(part, "assistant", originAt(data.output_index as number));
    if (decoded.type !== "text" && decoded.type !== "refusal" && decoded.type !== "native") return keepAll(data);
    let index = state.contents!.get(data.content_index);
    const events: StreamEvent[] = [];
    if (index === undefined) {
      index = this.#next++;
      state.contents!.set(data.content_index, index);
      if (!added) events.push({ type: "part-start", index, part: decoded });
    }
    events.push({ type: added ? "part-start" : "part-end", index, part: decoded });
    return { events, extras: { [RESPONSES]: without(data, "part") } };
  }

  #indexOf(data: JsonObject, byContent: boolean): number | undefined {
    const state = typeof data.output_index === "number" ? this.#items.get(data.output_index) : undefined;
    if (!state) return undefined;
    if (!byContent) return state.index;
    return typeof data.content_index === "number" ? state.contents?.get(data.content_index) : undefined;
  }

  #delta(data: JsonObject, kind: "text" | "summary" | "reasoning" | "args"): StreamChunk {
    const index = this.#indexOf(data, kind === "text");
    const delta = data.delta;
    if (index === undefined || typeof delta !== "string") return keepAll(data);
    let event: StreamEvent;
    const extras = without(data, "delta");
    if (kind === "text") event = { type: "text-delta", index, delta };
    else if (kind === "args") event = { type: "tool-args-delta", index, delta };
    else if (kind === "reasoning") event = { type: "reasoning-delta", index, delta, channel: "text" };
    else {
      event = { type: "reasoning-delta", index, delta, channel: "summary" };
      if (typeof data.summary_index === "number") {
        event.summaryIndex = data.summary_index;
        delete extras.summary_index;
      }
    }
    return { events: [event], extras: { [RESPONSES]: extras } };
  }

  #annotation(data: JsonObject): StreamChunk {
    const index = this.#indexOf(data, true);
    if (index === undefined || !isObject(data.annotation)) return keepAll(data);
    return { events: [{ type: "citation", index, citation: decodeAnnotation(data.annotation) }], extras: { [RESPONSES]: without(data, "annotation") } };
  }

  #finished(data: JsonObject): StreamChunk {
    this.#ended = true;
    const response = data.response;
    if (!isObject(response)) return keepAll(data);
    const details = response.incomplete_details;
    const output = response.output;
    const callsTools = Array.isArray(output) ? output.some((i) => isObject(i) && (i.type === "function_call" || i.type === "custom_tool_call")) : this.#callsTools;
    const finish = decodeResponsesFinish(response.status, isObject(details) ? details.reason : undefined, callsTools);
    if (!isObject(response.usage)) return { events: [{ type: "finish", finish }], extras: { [RESPONSES]: data } };
    const usage = decodeResponsesUsage(response.usage);
    return { events: [{ type: "finish", finish, usage }], extras: { [RESPONSES]: { ...data, response: without(response, "usage") } } };
  }

  /** `response.failed`: an error, unless an `error` event already reported it. */
  #failed(data: JsonObject): StreamChunk {
    const already = this.#ended;
    this.#ended = true;
    const response = isObject(data.response) ? data.response : undefined;
    if (already || !response) return keepAll(data);
    const inner = isObject(response.error) ? response.error : { message: "The response failed" };
    return { events: [{ type: "error", error: streamError(inner) }], extras: { [RESPONSES]: data } };
  }

  /** `error`: OpenAI nests the error object; the published event type is flat. Both are read. */
  #error(data: JsonObject): StreamChunk {
    this.#ended = true;
    const nested = isObject(data.error);
    const inner = nested ? (data.error as JsonObject) : pick(data, ["type", "code", "message", "param"]);
    return { events: [{ type: "error", error: streamError(inner) }], extras: { [RESPONSES]: nested ? without(data, "error") : data } };
  }
}

function streamError(inner: JsonObject): CanonicalError {
  const body = { error: inner };
  return decodeOpenAiError(openAiStreamErrorStatus(body), body, RESPONSES);
}

function keepAll(data: JsonObject): StreamChunk {
  return { events: [], extras: { [RESPONSES]: data } };
}

function native(data: JsonObject): StreamChunk {
  return { events: [{ type: "native", format: RESPONSES, value: data }] };
}

function pick(obj: JsonObject, keys: readonly string[]): JsonObject {
  const out: JsonObject = {};
  for (const k of keys) if (k in obj && !(k === "type" && obj[k] === "error")) out[k] = obj[k];
  return out;
}

function without(obj: JsonObject, key: string): JsonObject {
  const out: JsonObject = {};
  for (const k in obj) if (k !== key) out[k] = obj[k];
  return out;
}
