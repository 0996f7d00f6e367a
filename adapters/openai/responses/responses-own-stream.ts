import type { JsonObject } from "../../../src/canonical/extras.ts";
import { isObject } from "./responses-extras.ts";

/**
 * What an upstream Responses stream has said so far, so the events that only repeat it —
 * `output_text.done`, `function_call_arguments.done`, `reasoning_summary_text.done`, a message's
 * `output_item.done`, … — are rebuilt from the deltas the client was actually sent. A stage that
 * redacted a delta or withheld a call therefore cannot be undone by one of these echoes. For an
 * untouched stream the rebuilt events equal the upstream's.
 */
export class OwnStreamState {
  #texts = new Map<string, string>();
  #contents = new Map<number, JsonObject[]>();

  clear(): void {
    this.#texts.clear();
    this.#contents.clear();
  }

  /** Notes or rebuilds one event (`data` is the encoder's own copy; `at` its upstream output index). */
  apply(data: JsonObject, at: number): void {
    switch (data.type) {
      case "response.output_item.added": {
        const item = isObject(data.item) ? data.item : {};
        if (item.type === "function_call") this.#texts.set(`a${at}`, str(item.arguments));
        else if (item.type === "custom_tool_call") this.#texts.set(`a${at}`, str(item.input));
        else if (item.type === "message") this.#contents.set(at, []);
        return;
      }
      case "response.content_part.added":
        this.#texts.set(contentKey(data, at), isObject(data.part) ? str(data.part.text ?? data.part.refusal) : "");
        return;
      case "response.output_text.delta":
      case "response.refusal.delta":
      case "response.reasoning_text.delta":
        return this.#append(contentKey(data, at), data.delta);
      case "response.function_call_arguments.delta":
      case "response.custom_tool_call_input.delta":
        return this.#append(`a${at}`, data.delta);
      case "response.reasoning_summary_part.added":
        this.#texts.set(summaryKey(data, at), isObject(data.part) ? str(data.part.text) : "");
        return;
      case "response.reasoning_summary_text.delta":
        return this.#append(summaryKey(data, at), data.delta);
      case "response.output_text.done":
      case "response.reasoning_text.done":
      case "response.reasoning_summary_text.done":
        return this.#rebuild(data, "text", data.type === "response.reasoning_summary_text.done" ? summaryKey(data, at) : contentKey(data, at));
      case "response.refusal.done":
        return this.#rebuild(data, "refusal", contentKey(data, at));
      case "response.function_call_arguments.done":
        return this.#rebuild(data, "arguments", `a${at}`);
      case "response.custom_tool_call_input.done":
        return this.#rebuild(data, "input", `a${at}`);
      case "response.reasoning_summary_part.done":
        return this.#rebuildPart(data, summaryKey(data, at));
      case "response.content_part.done": {
        const part = isObject(data.part) ? data.part : undefined;
        if (part?.type === "reasoning_text") return this.#rebuildPart(data, contentKey(data, at));
        const contents = this.#contents.get(at);
        if (contents && part && typeof data.content_index === "number") contents[data.content_index] = part;
        return;
      }
      case "response.output_item.done": {
        const contents = this.#contents.get(at);
        if (contents && isObject(data.item) && data.item.type === "message") data.item = { ...data.item, content: contents.filter((c) => c !== undefined) };
        return;
      }
    }
  }

  #append(key: string, delta: unknown): void {
    const text = this.#texts.get(key);
    if (text !== undefined && typeof delta === "string") this.#texts.set(key, text + delta);
  }

  #rebuild(data: JsonObject, field: string, key: string): void {
    const text = this.#texts.get(key);
    if (text !== undefined) data[field] = text;
  }

  #rebuildPart(data: JsonObject, key: string): void {
    const text = this.#texts.get(key);
    if (text !== undefined && isObject(data.part)) data.part = { ...data.part, text };
  }
}

function str(v: unknown): string {
  return typeof v === "string" ? v : "";
}

function contentKey(data: JsonObject, at: number): string {
  return `c${at}:${String(data.content_index)}`;
}

function summaryKey(data: JsonObject, at: number): string {
  return `s${at}:${String(data.summary_index)}`;
}
