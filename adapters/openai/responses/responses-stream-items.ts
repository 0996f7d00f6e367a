import type { AssistantPart, Citation, ReasoningPart, ToolCallPart } from "../../../src/canonical/content.ts";
import type { JsonObject } from "../../../src/canonical/extras.ts";
import { wrapForeignReasoning } from "../../../src/canonical/foreign-reasoning.ts";
import type { StreamEvent } from "../../../src/canonical/stream.ts";
import { encodeAnnotations } from "./encode-responses-content.ts";
import { encodeToolCallItem, foreignItemId, type ItemOptions } from "./encode-responses-item.ts";
import { callSignatureItem, reasoningText, summaryText, textGoesToSummary } from "./encode-responses-reasoning.ts";
import { RESPONSES } from "./responses-extras.ts";

/** A message item being streamed: its content parts in content_index order. */
interface MessageState {
  outputIndex: number;
  id: string;
  content: JsonObject[];
  open: number;
  superseded: boolean;
  closed: boolean;
}

type TextState = { kind: "text" | "refusal"; message: MessageState; contentIndex: number; text: string; citations: Citation[] };
type ReasoningState = { kind: "reasoning"; outputIndex: number; id: string; toSummary: boolean; summaries: string[]; summaryOpen: boolean; lastSummary?: number; text?: string };
type CallState = { kind: "call"; outputIndex: number; id: string; part: ToolCallPart; args: string };
type PartState = TextState | ReasoningState | CallState | { kind: "native"; outputIndex: number; value: JsonObject };

export type PartEvent = Extract<StreamEvent, { type: "part-start" | "text-delta" | "reasoning-delta" | "tool-args-delta" | "citation" | "part-end" }>;

/**
 * The output items of a stream of another origin, written as Responses events through `emit`:
 * canonical parts become items (consecutive text and refusals share a message item; reasoning,
 * calls and hosted items are items of their own) with their content parts, deltas and `done`
 * events, numbered by `output_index`, `content_index` and `summary_index`. The items as finished
 * are what `response.completed` carries.
 */
export class StreamedOutput {
  readonly #emit: (data: JsonObject) => void;
  readonly #newId: NonNullable<ItemOptions["newId"]>;
  readonly #summaryWanted: boolean;
  /** The next output_index; an own stream's events move it on (see ResponsesStreamEncoder.observe). */
  nextOutput = 0;
  #done: JsonObject[] = [];
  #message: MessageState | undefined;
  #messages: MessageState[] = [];
  #parts = new Map<number, PartState>();

  constructor(emit: (data: JsonObject) => void, newId: NonNullable<ItemOptions["newId"]>, summaryWanted: boolean) {
    this.#emit = emit;
    this.#newId = newId;
    this.#summaryWanted = summaryWanted;
  }

  /** The finished items, in output order. */
  items(): JsonObject[] {
    return this.#done.filter((i) => i !== undefined);
  }

  /** An item finished by an event of the upstream's own stream (written by the caller). */
  record(outputIndex: number, item: JsonObject): void {
    this.#done[outputIndex] = item;
  }

  /** A new stream begins (a second `response.created` on the same encoder). */
  reset(): void {
    this.nextOutput = 0;
    this.#done = [];
    this.#message = undefined;
    this.#messages = [];
    this.#parts.clear();
  }

  event(e: PartEvent): void {
    if (e.type === "part-start") return this.#partStart(e.index, e.part);
    if (e.type === "part-end") return this.#partEnd(e.index, e.part);
    const p = this.#parts.get(e.index);
    if (!p) return;
    if (e.type === "text-delta" && (p.kind === "text" || p.kind === "refusal")) this.#sayText(p, e.delta);
    else if (e.type === "reasoning-delta" && p.kind === "reasoning") this.#sayReasoning(p, e.delta, e.channel, e.summaryIndex);
    else if (e.type === "tool-args-delta" && p.kind === "call") this.#sayArgs(p, e.delta);
    else if (e.type === "citation" && p.kind === "text") p.citations.push(e.citation);
  }

  /** Ends every part and message still open, in the order they began. */
  closeAll(): void {
    for (const index of [...this.#parts.keys()]) this.#partEnd(index, undefined);
    for (const m of this.#messages) this.#closeMessage(m);
    this.#message = undefined;
  }

  /** A new item takes the next output index; a message superseded by it closes once its parts have. */
  #addItem(item: JsonObject): number {
    const outputIndex = this.nextOutput++;
    const m = this.#message;
    if (m) {
      m.superseded = true;
      this.#message = undefined;
      if (m.open === 0) this.#closeMessage(m);
    }
    this.#emit({ type: "response.output_item.added", output_index: outputIndex, item });
    return outputIndex;
  }

  #itemDone(outputIndex: number, item: JsonObject): void {
    this.#done[outputIndex] = item;
    this.#emit({ type: "response.output_item.done", output_index: outputIndex, item });
  }

  #partStart(index: number, part: AssistantPart): void {
    switch (part.type) {
      case "text":
      case "refusal": {
        let m = this.#message;
        if (!m) {
          const id = this.#newId("msg");
          const outputIndex = this.#addItem({ id, type: "message", status: "in_progress", content: [], role: "assistant" });
          m = { outputIndex, id, content: [], open: 0, superseded: false, closed: false };
          this.#message = m;
          this.#messages.push(m);
        }
        const contentIndex = m.content.length;
        m.content.push({});
        m.open++;
        const empty = part.type === "text" ? { type: "output_text", annotations: [], logprobs: [], text: "" } : { type: "refusal", refusal: "" };
        this.#emit({ type: "response.content_part.added", item_id: m.id, output_index: m.outputIndex, content_index: contentIndex, part: empty });
        const state: PartState = { kind: part.type, message: m, contentIndex, text: "", citations: [] };
        this.#parts.set(index, state);
        this.#sayText(state, part.text);
        return;
      }
      case "reasoning": {
        const id = part.id?.startsWith("rs_") ? part.id : this.#newId("rs");
        const outputIndex = this.#addItem({ id, type: "reasoning", summary: [] });
        this.#parts.set(index, { kind: "reasoning", outputIndex, id, toSummary: textGoesToSummary(part, this.#summaryWanted), summaries: [], summaryOpen: false });
        return;
      }
      case "tool-call": {
        const custom = part.kind === "custom";
        const id = foreignItemId(part, custom, this.#newId);
        const item: JsonObject = custom
          ? { id, type: "custom_tool_call", status: "in_progress", call_id: part.id, name: part.name, input: "" }
          : { id, type: "function_call", status: "in_progress", arguments: "", call_id: part.id, name: part.name };
        if (part.namespace !== undefined) item.namespace = part.namespace;
        const state: PartState = { kind: "call", outputIndex: this.#addItem(item), id, part, args: "" };
        this.#parts.set(index, state);
        this.#sayArgs(state, part.arguments);
        return;
      }
      case "native":
        // Hosted items of this format pass through; another format's have no Responses shape.
        if (part.format === RESPONSES && typeof part.value.type === "string") {
          this.#parts.set(index, { kind: "native", outputIndex: this.#addItem(part.value), value: part.value });
        }
        return;
    }
  }

  #sayText(p: TextState, delta: string): void {
    if (delta === "") return;
    p.text += delta;
    const at = { item_id: p.message.id, output_index: p.message.outputIndex, content_index: p.contentIndex };
    if (p.kind === "text") this.#emit({ type: "response.output_text.delta", ...at, delta, logprobs: [] });
    else this.#emit({ type: "response.refusal.delta", ...at, delta });
  }

  #sayReasoning(p: ReasoningState, delta: string, channel: "text" | "summary", summaryIndex: number | undefined): void {
    if (delta === "") return;
    const at = { item_id: p.id, output_index: p.outputIndex };
    if (channel === "summary" || p.toSummary) {
      // Canonical summary indexes may skip; Responses numbers summary parts 0, 1, 2, ….
      const wanted = channel === "summary" ? (summaryIndex ?? 0) : 0;
      if (!p.summaryOpen || wanted !== p.lastSummary) {
        if (p.summaryOpen) this.#closeSummary(p);
        p.summaries.push("");
        p.summaryOpen = true;
        p.lastSummary = wanted;
        this.#emit({ type: "response.reasoning_summary_part.added", ...at, summary_index: p.summaries.length - 1, part: summaryText("") });
      }
      p.summaries[p.summaries.length - 1] += delta;
      this.#emit({ type: "response.reasoning_summary_text.delta", ...at, summary_index: p.summaries.length - 1, delta });
      return;
    }
    if (p.text === undefined) {
      p.text = "";
      this.#emit({ type: "response.content_part.added", ...at, content_index: 0, part: reasoningText("") });
    }
    p.text += delta;
    this.#emit({ type: "response.reasoning_text.delta", ...at, content_index: 0, delta });
  }

  #closeSummary(p: ReasoningState): void {
    const i = p.summaries.length - 1;
    const text = p.summaries[i];
    const at = { item_id: p.id, output_index: p.outputIndex, summary_index: i };
    this.#emit({ type: "response.reasoning_summary_text.done", ...at, text });
    this.#emit({ type: "response.reasoning_summary_part.done", ...at, part: summaryText(text) });
    p.summaryOpen = false;
  }

  #sayArgs(p: CallState, delta: string): void {
    if (delta === "") return;
    p.args += delta;
    const type = p.part.kind === "custom" ? "response.custom_tool_call_input.delta" : "response.function_call_arguments.delta";
    this.#emit({ type, item_id: p.id, output_index: p.outputIndex, delta });
  }

  #partEnd(index: number, part: AssistantPart | undefined): void {
    const p = this.#parts.get(index);
    if (!p) return;
    this.#parts.delete(index);
    switch (p.kind) {
      case "text":
      case "refusal":
        return this.#endContent(p, part);
      case "reasoning":
        return this.#endReasoning(p, part?.type === "reasoning" ? part : undefined);
      case "call":
        return this.#endCall(p, part?.type === "tool-call" ? part : p.part);
      case "native":
        return this.#itemDone(p.outputIndex, p.value);
    }
  }

  #endContent(p: TextState, part: AssistantPart | undefined): void {
    // The assembled part is authoritative; what the deltas did not say yet is said now.
    const text = part && (part.type === "text" || part.type === "refusal") ? part.text : p.text;
    if (text.startsWith(p.text)) this.#sayText(p, text.slice(p.text.length));
    const m = p.message;
    const at = { item_id: m.id, output_index: m.outputIndex, content_index: p.contentIndex };
    let content: JsonObject;
    if (p.kind === "text") {
      const citations = part?.type === "text" && part.citations ? part.citations : p.citations;
      const annotations = encodeAnnotations(citations, text.length);
      annotations.forEach((annotation, i) => this.#emit({ type: "response.output_text.annotation.added", ...at, annotation_index: i, annotation }));
      this.#emit({ type: "response.output_text.done", ...at, text, logprobs: [] });
      content = { type: "output_text", annotations, logprobs: [], text };
    } else {
      this.#emit({ type: "response.refusal.done", ...at, refusal: text });
      content = { type: "refusal", refusal: text };
    }
    this.#emit({ type: "response.content_part.done", ...at, part: content });
    m.content[p.contentIndex] = content;
    m.open--;
    if (m.superseded && m.open === 0) this.#closeMessage(m);
  }

  #closeMessage(m: MessageState): void {
    if (m.closed) return;
    m.closed = true;
    this.#itemDone(m.outputIndex, { id: m.id, type: "message", status: "completed", content: m.content, role: "assistant" });
  }

  #endReasoning(p: ReasoningState, part: ReasoningPart | undefined): void {
    const at = { item_id: p.id, output_index: p.outputIndex };
    // Summary paragraphs and text only the assembled part has (a provider that streams none).
    if (part) {
      const summaries = part.summary ?? [];
      for (let i = p.summaries.length; i < summaries.length; i++) this.#sayReasoning(p, summaries[i], "summary", i);
      if (part.text && p.text === undefined && !(p.toSummary && p.summaries.length)) this.#sayReasoning(p, part.text, "text", undefined);
    }
    if (p.summaryOpen) this.#closeSummary(p);
    const item: JsonObject = { id: p.id, type: "reasoning", summary: p.summaries.map(summaryText) };
    if (p.text !== undefined) {
      this.#emit({ type: "response.reasoning_text.done", ...at, content_index: 0, text: p.text });
      this.#emit({ type: "response.content_part.done", ...at, content_index: 0, part: reasoningText(p.text) });
      item.content = [reasoningText(p.text)];
    }
    const encrypted = part && (part.producer === RESPONSES ? part.encrypted : wrapForeignReasoning(part));
    if (encrypted !== undefined) item.encrypted_content = encrypted;
    this.#itemDone(p.outputIndex, item);
  }

  #endCall(p: CallState, part: ToolCallPart): void {
    const custom = part.kind === "custom";
    // No-argument calls: OpenAI sends "{}", and clients JSON.parse what they get.
    const item = encodeToolCallItem(part, "output", () => p.id);
    const args = (custom ? item.input : item.arguments) as string;
    if (args.startsWith(p.args)) this.#sayArgs(p, args.slice(p.args.length));
    const at = { item_id: p.id, output_index: p.outputIndex };
    if (custom) this.#emit({ type: "response.custom_tool_call_input.done", ...at, input: args });
    else this.#emit({ type: "response.function_call_arguments.done", ...at, arguments: args });
    this.#itemDone(p.outputIndex, item);
    const signed = part.signature !== undefined ? callSignatureItem(part, this.#newId("rs")) : undefined;
    if (signed) this.#itemDone(this.#addItem({ id: signed.id, type: "reasoning", summary: [] }), signed);
  }
}
