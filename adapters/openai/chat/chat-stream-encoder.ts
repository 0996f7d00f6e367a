import type { ChatCompletionChunk } from "openai/resources/chat/completions";
import type { AssistantPart } from "../../../src/canonical/content.ts";
import type { CanonicalError } from "../../../src/canonical/error.ts";
import type { JsonObject } from "../../../src/canonical/extras.ts";
import type { Finish, Usage } from "../../../src/canonical/response.ts";
import type { StreamChunk, StreamEvent } from "../../../src/canonical/stream.ts";
import type { EncodeContext, NativeEvent, StreamEncoder } from "../../types.ts";
import { encodeOpenAiError } from "../openai-error.ts";
import { HINT } from "./chat-chunk-hints.ts";
import { CHAT } from "./chat-extras.ts";
import { chatCompletionId, unixNow } from "./chat-ids.ts";
import { foreignReasoningDetail } from "./convert-chat-reasoning.ts";
import { withThoughtSignature } from "./convert-chat-tool-calls.ts";
import { encodeChatUsage } from "./convert-chat-usage.ts";
import { encodeOwnChatChunk, upstreamToolIndexes, type ToolNumbering } from "./encode-own-chat-chunk.ts";
import { encodeChatFinishReason } from "./map-chat-finish-reason.ts";

type Delta = ChatCompletionChunk.Choice.Delta & JsonObject;

const DONE: NativeEvent = { data: "[DONE]" };

/**
 * Writes a canonical stream as Chat Completions chunks for a client. Chunks decoded from Chat
 * are rebuilt exactly from their extras. Chunks of another format become standard chunks: the
 * same id, created and model on each; a first `{role:"assistant", content:""}` delta; text,
 * `reasoning_content` and refusal deltas; tool calls numbered among tool calls only, opened with
 * id, type, name and empty arguments; signed reasoning as an OpenRouter `reasoning_details`
 * entry when its part ends; exactly one `finish_reason`; the usage chunk (`choices: []`) only
 * when the request asked with `stream_options.include_usage`; `[DONE]` last.
 */
export class ChatStreamEncoder implements StreamEncoder {
  readonly #context: EncodeContext;
  #id: string | undefined;
  #model: string | undefined;
  #created: number | undefined;
  /** Whose chunks this stream carries: a Chat upstream's (rebuilt from extras) or another format's. */
  #upstream: "unknown" | "chat" | "other" = "unknown";
  /** Numbering of tool calls across the stream (see ToolNumbering). */
  readonly #tools: ToolNumbering = {
    indexOf: (part) => this.#toolIndexOf(part),
    renumber: (upstream, base) => {
      let below = 0;
      for (const v of this.#upstreamToolIndexes) if (v < upstream) below++;
      return base + below;
    },
  };
  /** The upstream tool_calls indexes of the calls that reached the client (raw or encoded). */
  readonly #upstreamToolIndexes = new Set<number>();
  #observed = false;
  #started = false;
  #finished = false;
  #usage: Usage | undefined;
  #usageSent = false;
  #doneSent = false;
  #errorSent = false;
  readonly #types = new Map<number, AssistantPart["type"]>();
  readonly #toolIndex = new Map<number, number>();
  /** Canonical indexes of custom tool calls, and of calls whose signature went out with their start. */
  readonly #customs = new Set<number>();
  readonly #signed = new Set<number>();
  /** Canonical indexes of calls some argument text was written for. */
  readonly #withArgs = new Set<number>();
  readonly #textOffset = new Map<number, number>();
  #contentLength = 0;
  #details = 0;
  readonly #summaryIndex = new Map<number, number>();

  constructor(context: EncodeContext) {
    this.#context = context;
  }

  encode(chunk: StreamChunk): NativeEvent[] {
    const failed = chunk.events.find((e) => e.type === "error");
    if (failed !== undefined) return this.error(failed.error);
    const skeleton = chunk.extras?.[CHAT];
    if (skeleton !== undefined) return this.#own(chunk, skeleton);
    if (this.#upstream === "unknown" && chunk.events.length > 0) this.#upstream = "other";
    const out: NativeEvent[] = [];
    for (const e of chunk.events) this.#event(e, out);
    return out;
  }

  /**
   * Takes note of a chunk that went to the client without this encoder (a same-format stream
   * forwards unchanged chunks as the upstream's bytes), so that `end()` adds nothing it already has.
   */
  observe(chunk: StreamChunk): void {
    this.#observed = true;
    // The upstream's own error frame went out: `error()` must not write a second one.
    if (chunk.events.some((e) => e.type === "error")) this.#errorSent = true;
    this.#note(chunk);
  }

  /**
   * After a Chat upstream's stream its own finish, usage and `[DONE]` have gone out, forwarded or
   * rebuilt; only a `[DONE]` it left out is added, and only when `observe` saw the whole stream.
   * After another format's stream: the finish if none came, the usage chunk if asked, `[DONE]`.
   */
  end(): NativeEvent[] {
    if (this.#doneSent || this.#errorSent) return [];
    if (this.#upstream !== "other") return this.#upstream === "chat" && this.#observed ? [DONE] : [];
    const out: NativeEvent[] = [];
    if (!this.#finished) this.#finish({ reason: "stop" }, out);
    if (this.#context.request.streamUsage && this.#usage && !this.#usageSent) {
      this.#usageSent = true;
      out.push({ data: { ...this.#frame(), choices: [], usage: encodeChatUsage(this.#usage, false) } });
    }
    this.#doneSent = true;
    out.push(DONE);
    return out;
  }

  /** The error frame OpenAI sends mid-stream, `{error:{message,type,param,code}}`; the stream ends after it. */
  error(error: CanonicalError): NativeEvent[] {
    if (this.#errorSent || this.#doneSent) return [];
    this.#errorSent = true;
    return [{ data: encodeOpenAiError(error) }];
  }

  #own(chunk: StreamChunk, skeleton: JsonObject): NativeEvent[] {
    if (skeleton[HINT.done]) {
      this.#upstream = "chat";
      const out: NativeEvent[] = [];
      const finish = chunk.events.find((e) => e.type === "finish");
      if (finish !== undefined && !this.#finished) this.#finish(finish.finish, out);
      this.#doneSent = true;
      out.push(DONE);
      return out;
    }
    this.#note(chunk);
    const frame = encodeOwnChatChunk(chunk, skeleton, this.#tools);
    this.#remember(frame);
    return [{ data: frame }];
  }

  /** What a chunk of a Chat upstream tells about the stream so far. */
  #note(chunk: StreamChunk): void {
    const skeleton = chunk.extras?.[CHAT];
    if (skeleton === undefined) return;
    this.#upstream = "chat";
    if (skeleton[HINT.done]) this.#doneSent = true;
    this.#remember(skeleton);
    for (const index of upstreamToolIndexes(chunk, skeleton)) this.#upstreamToolIndexes.add(index);
    for (const e of chunk.events) {
      if (e.type === "start") this.#remember(e);
      // Calls that went out as the upstream's bytes take their places in the dense numbering.
      if (e.type === "part-start" && e.part.type === "tool-call") this.#toolIndexOf(e.index);
      if (e.type === "finish") this.#finished = true;
      if (e.type === "usage" || (e.type === "finish" && e.usage)) this.#usageSent = true;
    }
    if (chunk.events.length > 0) this.#started = true;
  }

  #remember(frame: { id?: unknown; model?: unknown; created?: unknown }): void {
    if (typeof frame.id === "string" && frame.id !== "") this.#id = frame.id;
    if (typeof frame.model === "string" && frame.model !== "") this.#model = frame.model;
    if (typeof frame.created === "number" && frame.created !== 0) this.#created = frame.created;
  }

  #event(e: StreamEvent, out: NativeEvent[]): void {
    switch (e.type) {
      case "start":
        if (e.id !== undefined) this.#id = chatCompletionId(e.id);
        if (e.model) this.#model = e.model;
        if (e.created !== undefined) this.#created = e.created;
        this.#start(out);
        return;
      case "part-start":
        this.#partStart(e.index, e.part, out);
        return;
      case "text-delta":
        if (e.delta === "") return;
        if (this.#types.get(e.index) === "refusal") this.#delta({ refusal: e.delta }, out);
        else {
          this.#contentLength += e.delta.length;
          this.#delta({ content: e.delta }, out);
        }
        return;
      case "reasoning-delta":
        this.#reasoningDelta(e.index, e.delta, e.channel === "summary" ? (e.summaryIndex ?? 0) : undefined, out);
        return;
      case "tool-args-delta": {
        const index = this.#toolIndex.get(e.index);
        if (e.delta === "" || index === undefined) return;
        const custom = this.#customs.has(e.index);
        this.#withArgs.add(e.index);
        this.#delta({ tool_calls: [custom ? { index, custom: { input: e.delta } } : { index, function: { arguments: e.delta } }] }, out);
        return;
      }
      case "citation": {
        const c = e.citation;
        if (c.type !== "url" || c.url === undefined) return;
        const offset = this.#textOffset.get(e.index) ?? 0;
        const end = c.endIndex ?? this.#contentLength - offset;
        const annotation = { type: "url_citation", url_citation: { url: c.url, title: c.title ?? "", start_index: offset + (c.startIndex ?? 0), end_index: offset + end } };
        this.#delta({ annotations: [annotation] }, out);
        return;
      }
      case "part-end":
        this.#partEnd(e.index, e.part, out);
        return;
      case "usage":
        this.#usage = e.usage;
        return;
      case "finish":
        if (e.usage) this.#usage = e.usage;
        if (!this.#finished) this.#finish(e.finish, out);
        return;
      case "reasoning-signature":
      case "error":
      case "native":
        return;
    }
  }

  #partStart(index: number, part: AssistantPart, out: NativeEvent[]): void {
    this.#types.set(index, part.type);
    switch (part.type) {
      case "text":
        this.#textOffset.set(index, this.#contentLength);
        if (part.text) {
          this.#contentLength += part.text.length;
          this.#delta({ content: part.text }, out);
        }
        return;
      case "refusal":
        if (part.text) this.#delta({ refusal: part.text }, out);
        return;
      case "reasoning":
        if (part.text) this.#delta({ reasoning_content: part.text }, out);
        return;
      case "tool-call": {
        const chatIndex = this.#toolIndexOf(index);
        const custom = part.kind === "custom";
        if (custom) this.#customs.add(index);
        const entry: JsonObject = custom
          ? { index: chatIndex, id: part.id, type: "custom", custom: { name: part.name, input: part.arguments } }
          : { index: chatIndex, id: part.id, type: "function", function: { name: part.name, arguments: part.arguments } };
        if (part.signature !== undefined) {
          entry.extra_content = withThoughtSignature(undefined, part.signature);
          this.#signed.add(index);
        }
        if (part.arguments !== "") this.#withArgs.add(index);
        this.#delta({ tool_calls: [entry as unknown as ChatCompletionChunk.Choice.Delta.ToolCall] }, out);
        return;
      }
      case "native":
        return;
    }
  }

  #partEnd(index: number, part: AssistantPart, out: NativeEvent[]): void {
    if (part.type === "reasoning" && (part.signature !== undefined || part.encrypted !== undefined)) {
      this.#delta({ reasoning_details: [foreignReasoningDetail(part, this.#details++)] }, out);
    } else if (part.type === "tool-call") {
      const entry: JsonObject = { index: this.#toolIndexOf(index) };
      // A call without arguments ("" from the provider means {}): Chat clients parse them as JSON.
      if (!this.#withArgs.has(index) && part.kind === "function") entry.function = { arguments: "{}" };
      if (part.signature !== undefined && !this.#signed.has(index)) entry.extra_content = withThoughtSignature(undefined, part.signature);
      if (entry.function !== undefined || entry.extra_content !== undefined) this.#delta({ tool_calls: [entry as unknown as ChatCompletionChunk.Choice.Delta.ToolCall] }, out);
    }
  }

  /** Summary paragraphs of a reasoning part arrive apart; a blank line keeps them apart in the text. */
  #reasoningDelta(index: number, delta: string, summary: number | undefined, out: NativeEvent[]): void {
    if (summary !== undefined) {
      const last = this.#summaryIndex.get(index);
      if (last !== undefined && summary !== last) delta = `\n\n${delta}`;
      this.#summaryIndex.set(index, summary);
    }
    if (delta !== "") this.#delta({ reasoning_content: delta }, out);
  }

  /** The chat tool-call index of a canonical part: tool calls are counted among tool calls only. */
  #toolIndexOf(part: number): number {
    let index = this.#toolIndex.get(part);
    if (index === undefined) {
      index = this.#toolIndex.size;
      this.#toolIndex.set(part, index);
    }
    return index;
  }

  #start(out: NativeEvent[]): void {
    if (this.#started) return;
    this.#started = true;
    out.push(this.#chunk({ role: "assistant", content: "" }, null));
  }

  #delta(delta: Delta, out: NativeEvent[]): void {
    this.#start(out);
    out.push(this.#chunk(delta, null));
  }

  #finish(finish: Finish, out: NativeEvent[]): void {
    this.#start(out);
    this.#finished = true;
    out.push(this.#chunk({}, encodeChatFinishReason(finish, false)));
  }

  #chunk(delta: Delta, finishReason: string | null): NativeEvent {
    const data: JsonObject = { ...this.#frame(), choices: [{ index: 0, delta, finish_reason: finishReason }] };
    if (this.#context.request.streamUsage) data.usage = null;
    return { data };
  }

  #frame(): JsonObject {
    this.#id ??= chatCompletionId("");
    this.#created ??= unixNow();
    return { id: this.#id, object: "chat.completion.chunk", created: this.#created, model: this.#model ?? this.#context.model };
  }
}
