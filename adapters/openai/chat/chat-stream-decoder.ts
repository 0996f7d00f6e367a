import type { AssistantPart, ReasoningPart, ToolCallPart } from "../../../src/canonical/content.ts";
import { ProxyError, proxyError } from "../../../src/canonical/error.ts";
import type { JsonObject, WireFormat } from "../../../src/canonical/extras.ts";
import type { StreamChunk, StreamEvent } from "../../../src/canonical/stream.ts";
import type { NativeEvent, StreamDecoder } from "../../types.ts";
import { decodeOpenAiError, openAiStreamErrorStatus } from "../openai-error.ts";
import { HINT, type ChunkHints } from "./chat-chunk-hints.ts";
import { CHAT, isObject, mainChoice, nonEmpty, restExcept } from "./chat-extras.ts";
import { LEGACY_CALL } from "./convert-chat-assistant-message.ts";
import { readReasoningDelta, REASONING_KEY } from "./convert-chat-reasoning.ts";
import { takeThoughtSignature } from "./convert-chat-tool-calls.ts";
import { decodeChatUsage } from "./convert-chat-usage.ts";
import { decodeChatFinishReason } from "./map-chat-finish-reason.ts";

type FinishEvent = Extract<StreamEvent, { type: "finish" }>;

interface OpenText {
  index: number;
  type: "text" | "refusal" | "reasoning";
  text: string;
  signature?: string;
  producer?: WireFormat;
  key?: string;
}

interface OpenTool {
  index: number;
  part: ToolCallPart;
  args: string;
  closed: boolean;
}

/** The legacy `function_call` delta has no index: it is kept under this one. */
const LEGACY_INDEX = -1;

/**
 * Decodes a Chat Completions stream, one `chat.completion.chunk` at a time. What no event of a
 * chunk expresses stays in its extras as the chunk's skeleton (see chat-chunk-hints.ts), so the
 * encoder can rebuild the very chunk. Handles what OpenAI-wire providers send: a first chunk
 * with `role` and `content:""`, Azure's `prompt_filter_results` chunk, usage alone after the
 * finish (`choices:[]`) or on the finish chunk (DeepSeek, Groq), `reasoning_content`,
 * `reasoning` and OpenRouter `reasoning_details`, tool calls by `index` (starting at any index,
 * continued without id or with `name:""`, whole in one delta, arguments in fragments), an
 * in-stream `{error}`, `[DONE]`. Argument JSON is never parsed.
 */
export class ChatStreamDecoder implements StreamDecoder {
  #started = false;
  #finished = false;
  #done = false;
  #next = 0;
  /** The first upstream tool_calls index seen (see HINT.toolBase). */
  #toolBase: number | undefined;
  #text: OpenText | undefined;
  #tool: OpenTool | undefined;
  readonly #tools = new Map<number, OpenTool>();

  decode(event: NativeEvent): StreamChunk {
    const data = event.data;
    if (typeof data === "string") {
      if (data.trim() === "[DONE]") return this.#doneChunk();
      return { events: [{ type: "native", format: CHAT, value: { data } }] };
    }
    if (data.error !== undefined && data.error !== null) {
      this.#finished = true;
      return { events: [{ type: "error", error: decodeOpenAiError(openAiStreamErrorStatus(data.error), data) }] };
    }
    try {
      return this.#chunk(data);
    } catch (err) {
      if (!(err instanceof ProxyError)) throw err;
      this.#finished = true;
      return { events: [{ type: "error", error: err.error }] };
    }
  }

  end(): StreamChunk | undefined {
    if (this.#finished || this.#done) return undefined;
    this.#finished = true;
    const error = proxyError(502, "The upstream stream ended before the completion finished", { code: "upstream_stream_truncated", kind: "upstream" }).error;
    return { events: [{ type: "error", error }] };
  }

  #chunk(data: JsonObject): StreamChunk {
    const events: StreamEvent[] = [];
    const hints: ChunkHints = {};
    const skeleton = this.#frame(data, events);
    let finish: FinishEvent | undefined;
    const choices = data.choices;
    if (Array.isArray(choices)) {
      const main = mainChoice(choices);
      skeleton.choices = choices.map((c, i) => {
        if (i !== main) return c;
        const { rest, finished } = this.#choice(c as JsonObject, events, hints);
        finish = finished;
        return rest;
      });
    }
    if (isObject(data.usage)) {
      const usage = decodeChatUsage(data.usage);
      if (finish) finish.usage = usage;
      else events.push({ type: "usage", usage });
    }
    if (finish) events.push(finish);
    return { events, extras: { [CHAT]: Object.assign(skeleton, hints) } };
  }

  /** The frame's own fields; id, model and created of the first chunk that has them become `start`. */
  #frame(data: JsonObject, events: StreamEvent[]): JsonObject {
    const startNow = !this.#started && (nonEmpty(data.id) || nonEmpty(data.model));
    const skeleton: JsonObject = {};
    const start: Extract<StreamEvent, { type: "start" }> = { type: "start" };
    for (const key in data) {
      const v = data[key];
      if (key === "choices" || (key === "usage" && isObject(v))) continue;
      if (startNow && (key === "id" || key === "model") && typeof v === "string") start[key] = v;
      else if (startNow && key === "created" && typeof v === "number") start.created = v;
      else skeleton[key] = v;
    }
    if (startNow) {
      this.#started = true;
      events.push(start);
    }
    return skeleton;
  }

  #choice(choice: JsonObject, events: StreamEvent[], hints: ChunkHints): { rest: JsonObject; finished?: FinishEvent } {
    const rest: JsonObject = {};
    const finishing = typeof choice.finish_reason === "string" && !this.#finished;
    for (const key in choice) {
      const v = choice[key];
      // After the finish, deltas carry nothing more (OpenRouter sends an empty one with the usage).
      if (key === "delta" && isObject(v) && !this.#finished) rest.delta = this.#delta(v, events, hints);
      else if (key !== "finish_reason" || !finishing) rest[key] = v;
    }
    if (!finishing) return { rest };
    this.#closeAll(events);
    this.#finished = true;
    return { rest, finished: { type: "finish", finish: decodeChatFinishReason(choice.finish_reason as string) } };
  }

  #delta(delta: JsonObject, events: StreamEvent[], hints: ChunkHints): JsonObject {
    const taken: string[] = [];
    const rest: JsonObject = {};
    this.#reasoning(delta, events, hints, taken, rest);
    if (nonEmpty(delta.content)) {
      this.#appendText("text", delta.content, events);
      taken.push("content");
    }
    if (nonEmpty(delta.refusal)) {
      hints[HINT.refusal] = this.#appendText("refusal", delta.refusal, events);
      taken.push("refusal");
    }
    if (Array.isArray(delta.tool_calls)) {
      taken.push("tool_calls");
      const parts: number[] = [];
      rest.tool_calls = delta.tool_calls.map((e, k) => this.#toolCall(e, k, events, parts));
      hints[HINT.toolParts] = parts;
      if (this.#toolBase !== undefined && this.#toolBase !== 0) hints[HINT.toolBase] = this.#toolBase;
    }
    if (isObject(delta.function_call)) {
      taken.push("function_call");
      rest.function_call = this.#legacyCall(delta.function_call, events);
      hints[HINT.legacyPart] = this.#tools.get(LEGACY_INDEX)!.index;
    }
    for (const key in delta) if (!taken.includes(key) && !(key in rest)) rest[key] = delta[key];
    return rest;
  }

  #reasoning(delta: JsonObject, events: StreamEvent[], hints: ChunkHints, taken: string[], rest: JsonObject): void {
    const r = readReasoningDelta(delta, taken);
    if (r.details !== undefined) rest.reasoning_details = r.details;
    if (r.key !== undefined) hints[HINT.reasoningKey] = r.key;
    if (r.text === undefined && r.signature === undefined) return;
    const open = this.#open("reasoning", events, r.key);
    if (r.producer !== undefined) open.producer = r.producer;
    if (r.text !== undefined) {
      open.text += r.text;
      events.push({ type: "reasoning-delta", index: open.index, delta: r.text, channel: "text" });
    }
    if (r.signature !== undefined) {
      open.signature = (open.signature ?? "") + r.signature;
      events.push({ type: "reasoning-signature", index: open.index, signature: r.signature });
    }
  }

  #appendText(type: "text" | "refusal", delta: string, events: StreamEvent[]): number {
    const open = this.#open(type, events);
    open.text += delta;
    events.push({ type: "text-delta", index: open.index, delta });
    return open.index;
  }

  /** The open part of `type`, or a new one (ending the open part: a part ends when the next starts). */
  #open(type: OpenText["type"], events: StreamEvent[], key?: string): OpenText {
    if (this.#text?.type === type && this.#tool === undefined) return this.#text;
    this.#closeAll(events);
    const open: OpenText = { index: this.#next++, type, text: "" };
    if (key === "reasoning") open.key = key;
    this.#text = open;
    const part: AssistantPart = type === "reasoning" ? { type: "reasoning" } : { type, text: "" };
    events.push({ type: "part-start", index: open.index, part });
    return open;
  }

  #toolCall(entry: unknown, position: number, events: StreamEvent[], parts: number[]): unknown {
    if (!isObject(entry)) {
      parts.push(-1);
      return entry;
    }
    const native = typeof entry.index === "number" ? entry.index : position;
    this.#toolBase ??= native;
    const custom = entry.type === "custom" || isObject(entry.custom);
    const fnKey = custom ? "custom" : "function";
    const argKey = custom ? "input" : "arguments";
    const fn = isObject(entry[fnKey]) ? (entry[fnKey] as JsonObject) : undefined;
    const id = nonEmpty(entry.id) ? entry.id : undefined;
    const taken: string[] = [];
    const fnTaken: string[] = [];
    let extraLeft: unknown;
    let tool = this.#tools.get(native);
    const starts = tool === undefined || (id !== undefined && id !== tool.part.id);
    if (starts) {
      this.#closeAll(events);
      const part: ToolCallPart = { type: "tool-call", id: id ?? `call_${native}`, name: typeof fn?.name === "string" ? fn.name : "", arguments: "", kind: custom ? "custom" : "function" };
      if (id !== undefined) taken.push("id");
      if (typeof fn?.name === "string") fnTaken.push("name");
      const { signature, left } = takeThoughtSignature(entry.extra_content);
      if (signature !== undefined) {
        part.signature = signature;
        taken.push("extra_content");
        extraLeft = left;
      }
      tool = { index: this.#next++, part, args: "", closed: false };
      this.#tools.set(native, tool);
      this.#tool = tool;
      events.push({ type: "part-start", index: tool.index, part: { ...part } });
    } else if (tool!.closed) {
      // Arguments for a call that already ended (and may have been judged): refuse, never merge.
      throw proxyError(502, `The upstream sent more of tool call ${native} after it ended`, { code: "bad_upstream_stream", kind: "upstream" });
    }
    const open = tool!;
    const args = fn?.[argKey];
    if (nonEmpty(args)) {
      fnTaken.push(argKey);
      open.args += args;
      events.push({ type: "tool-args-delta", index: open.index, delta: args });
    } else if (!starts) {
      // An entry with nothing new still gets an event: it ties the entry to its call.
      events.push({ type: "tool-args-delta", index: open.index, delta: "" });
    }
    parts.push(open.index);
    const rest = restExcept(entry, taken) ?? {};
    if (fn !== undefined && fnTaken.length > 0) rest[fnKey] = restExcept(fn, fnTaken) ?? {};
    if (extraLeft !== undefined) rest.extra_content = extraLeft;
    return rest;
  }

  #legacyCall(fc: JsonObject, events: StreamEvent[]): JsonObject {
    let tool = this.#tools.get(LEGACY_INDEX);
    const taken: string[] = [];
    const starts = tool === undefined || tool.closed;
    if (starts) {
      this.#closeAll(events);
      const name = typeof fc.name === "string" ? fc.name : "";
      const part: ToolCallPart = { type: "tool-call", id: "", name, arguments: "", kind: "function", extras: { [CHAT]: { [LEGACY_CALL]: true } } };
      if (typeof fc.name === "string") taken.push("name");
      tool = { index: this.#next++, part, args: "", closed: false };
      this.#tools.set(LEGACY_INDEX, tool);
      this.#tool = tool;
      events.push({ type: "part-start", index: tool.index, part: { ...part } });
    }
    const open = tool!;
    if (nonEmpty(fc.arguments)) {
      taken.push("arguments");
      open.args += fc.arguments;
      events.push({ type: "tool-args-delta", index: open.index, delta: fc.arguments });
    } else if (!starts) events.push({ type: "tool-args-delta", index: open.index, delta: "" });
    return restExcept(fc, taken) ?? {};
  }

  /** Ends the open part, if any, with the whole of it. */
  #closeAll(events: StreamEvent[]): void {
    const text = this.#text;
    if (text !== undefined) {
      this.#text = undefined;
      events.push({ type: "part-end", index: text.index, part: assembled(text) });
    }
    const tool = this.#tool;
    if (tool !== undefined) {
      this.#tool = undefined;
      tool.closed = true;
      events.push({ type: "part-end", index: tool.index, part: { ...tool.part, arguments: tool.args } });
    }
  }

  #doneChunk(): StreamChunk {
    this.#done = true;
    const events: StreamEvent[] = [];
    if (!this.#finished) {
      // [DONE] without a finish reason (some gateways): the answer is complete all the same.
      this.#closeAll(events);
      this.#finished = true;
      events.push({ type: "finish", finish: { reason: this.#tools.size > 0 ? "tool_calls" : "stop" } });
    }
    return { events, extras: { [CHAT]: { [HINT.done]: true } } };
  }
}

function assembled(open: OpenText): AssistantPart {
  if (open.type !== "reasoning") return { type: open.type, text: open.text };
  const part: ReasoningPart = { type: "reasoning", text: open.text };
  if (open.signature !== undefined) part.signature = open.signature;
  if (open.producer !== undefined) part.producer = open.producer;
  if (open.key !== undefined) part.extras = { [CHAT]: { [REASONING_KEY]: open.key } };
  return part;
}
