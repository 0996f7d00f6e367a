import type { CanonicalError } from "../../../src/canonical/error.ts";
import type { JsonObject } from "../../../src/canonical/extras.ts";
import type { Finish, Usage } from "../../../src/canonical/response.ts";
import type { StreamChunk, StreamEvent } from "../../../src/canonical/stream.ts";
import { encodeOpenAiError } from "../openai-error.ts";
import type { EncodeContext, NativeEvent, StreamEncoder } from "../../types.ts";
import { encodeResponsesUsage } from "./convert-responses-usage.ts";
import type { ItemOptions } from "./encode-responses-item.ts";
import { encodeOwnEvent } from "./encode-responses-own-event.ts";
import { summaryWanted, ZERO_USAGE } from "./encode-responses-response.ts";
import { encodeResponsesStatus } from "./map-responses-finish.ts";
import { echoRequest, responseEnvelope } from "./responses-envelope.ts";
import { isObject, RESPONSES } from "./responses-extras.ts";
import { responsesId } from "./responses-ids.ts";
import { OwnStreamState } from "./responses-own-stream.ts";
import { StreamedOutput } from "./responses-stream-items.ts";

const TERMINAL = new Set(["response.completed", "response.incomplete", "response.failed", "error"]);

/**
 * Canonical chunks as a Responses event stream. Chunks this codec decoded are rebuilt exactly
 * (encodeOwnEvent). Chunks of another origin get the whole lifecycle a strict client expects:
 * `response.created` and `response.in_progress`, the output items (StreamedOutput), then
 * `response.completed` (or `.incomplete`, `.failed`) carrying the whole response as the
 * non-stream encoder writes it. `sequence_number` counts every event from 0, without gaps.
 */
export class ResponsesStreamEncoder implements StreamEncoder {
  readonly #context: EncodeContext;
  readonly #output: StreamedOutput;
  #out: NativeEvent[] = [];
  #seq = 0;
  #started = false;
  #terminated = false;
  #id = "";
  #createdAt = 0;
  #model = "";
  #echo: JsonObject | undefined;
  #usage: Usage | undefined;
  /** A finish waiting for the usage that follows it. */
  #pending: Finish | undefined;
  /** The upstream speaks this format: its events are written as they were (see #own). */
  #ownStream = false;
  #edited = false;
  #outputMap = new Map<number, number>();
  #state = new OwnStreamState();

  constructor(context: EncodeContext, newId?: ItemOptions["newId"]) {
    this.#context = context;
    this.#output = new StreamedOutput((data) => this.#emit(data), newId ?? responsesId, summaryWanted(context));
  }

  encode(chunk: StreamChunk): NativeEvent[] {
    const kept = chunk.extras?.[RESPONSES];
    // A chunk without its raw frame was changed or made by a stage (see StreamChunk.raw).
    const changed = chunk.raw === undefined;
    if (kept && typeof kept.type === "string") this.#own(encodeOwnEvent(kept, chunk.events), changed);
    else {
      for (const e of chunk.events) {
        if (e.type !== "native") this.#event(e);
        else if (e.format === RESPONSES && typeof e.value.type === "string") this.#own({ ...e.value }, changed);
      }
    }
    return this.#flush();
  }

  /**
   * A chunk the pipeline forwarded as the upstream's own bytes: encoded all the same (and the
   * result dropped), so the counters, ids and finished items follow the stream and an event
   * encoded later (an error, a stage's replacement part) continues it consistently.
   */
  observe(chunk: StreamChunk): void {
    this.encode(chunk);
  }

  end(): NativeEvent[] {
    // Responses streams have no [DONE]; a finish still waiting for usage ends here. A stream that
    // never finished still gets its end, as incomplete: a strict client waits for a terminal event.
    if (this.#pending) this.#terminate(this.#pending);
    else if (this.#started && !this.#terminated) this.#terminate({ reason: "other" }, "incomplete");
    return this.#flush();
  }

  error(error: CanonicalError): NativeEvent[] {
    this.#fail(error);
    return this.#flush();
  }

  #flush(): NativeEvent[] {
    const out = this.#out;
    this.#out = [];
    return out;
  }

  #emit(data: JsonObject): void {
    data.sequence_number = this.#seq++;
    this.#out.push({ event: data.type as string, data });
  }

  /**
   * An event of the upstream's own stream (`data` is this encoder's copy). It is written as it
   * was, except where the stream was edited — a stage changed a chunk, dropped an item or put
   * one of its own in (a refusal in place of a blocked call): sequence numbers and output
   * indexes are renumbered so they stay gap-free, the events that repeat content are rebuilt
   * from what was sent (OwnStreamState), and the terminal response lists the items the client
   * was actually sent, not the upstream's. An unedited stream from OpenAI (gap-free from 0)
   * comes out identical.
   */
  #own(data: JsonObject, changed: boolean): void {
    const type = data.type as string;
    if (type === "response.created") this.#begin(data);
    if (changed && this.#ownStream) this.#edited = true;
    const upstream = data.output_index;
    if (typeof upstream === "number") {
      let index = this.#outputMap.get(upstream);
      if (index === undefined) {
        // The echoes of an item a stage withheld (its arguments.done, …) go with it.
        if (this.#ownStream && type !== "response.output_item.added") {
          this.#edited = true;
          return;
        }
        index = this.#output.nextOutput++;
        this.#outputMap.set(upstream, index);
        if (index !== upstream) this.#edited = true;
      }
      if (this.#ownStream) this.#state.apply(data, upstream);
      data.output_index = index;
      if (type === "response.output_item.done" && isObject(data.item)) this.#output.record(index, data.item);
    }
    const terminal = TERMINAL.has(type);
    // Parts a stage added end before the upstream's stream does.
    if (terminal && this.#edited) this.#output.closeAll();
    if (typeof data.sequence_number === "number") data.sequence_number = this.#seq++;
    if (terminal) {
      this.#terminated = true;
      if (this.#edited && isObject(data.response)) data.response = { ...data.response, output: this.#output.items() };
    }
    this.#out.push({ event: type, data });
  }

  #begin(data: JsonObject): void {
    this.#seq = 0;
    this.#started = true;
    this.#terminated = false;
    this.#ownStream = true;
    this.#edited = false;
    this.#outputMap.clear();
    this.#state.clear();
    this.#output.reset();
    const r = isObject(data.response) ? data.response : {};
    if (typeof r.id === "string") this.#id = r.id;
    if (typeof r.model === "string") this.#model = r.model;
    if (typeof r.created_at === "number") this.#createdAt = r.created_at;
  }

  #event(e: Exclude<StreamEvent, { type: "native" }>): void {
    if (this.#terminated) return;
    if (e.type === "error") return this.#fail(e.error);
    if (e.type === "usage") {
      this.#usage = e.usage;
      if (this.#pending) this.#terminate(this.#pending);
      return;
    }
    // After the finish only usage may still come.
    if (this.#pending) return;
    if (e.type === "part-start" && this.#ownStream) this.#edited = true;
    this.#start(e.type === "start" ? e : undefined);
    switch (e.type) {
      case "start":
      case "reasoning-signature":
        // The signature also comes with the part at part-end.
        return;
      case "finish":
        if (e.usage) this.#usage = e.usage;
        this.#output.closeAll();
        // Chat Completions and Bedrock send usage after the finish: the terminal event, which
        // carries it, waits for it (or for the end of the stream).
        if (this.#usage) this.#terminate(e.finish);
        else this.#pending = e.finish;
        return;
      default:
        this.#output.event(e);
    }
  }

  #start(e: Extract<StreamEvent, { type: "start" }> | undefined): void {
    if (this.#started) return;
    this.#started = true;
    this.#id = e?.id?.startsWith("resp_") ? e.id : responsesId("resp");
    this.#createdAt = e?.created ?? Math.floor(Date.now() / 1000);
    this.#model = e?.model || this.#context.model;
    this.#emit({ type: "response.created", response: this.#response("in_progress") });
    this.#emit({ type: "response.in_progress", response: this.#response("in_progress") });
  }

  #response(status: string, reason?: string, error?: JsonObject): JsonObject {
    this.#echo ??= echoRequest(this.#context.request);
    const done = status !== "in_progress";
    return responseEnvelope(this.#echo, {
      id: this.#id,
      createdAt: this.#createdAt,
      model: this.#model,
      status,
      output: done ? this.#output.items() : [],
      usage: done ? (this.#usage ? encodeResponsesUsage(this.#usage) : { ...ZERO_USAGE }) : null,
      incompleteReason: reason,
      error,
    });
  }

  #terminate(finish: Finish, forced?: "incomplete"): void {
    this.#output.closeAll();
    this.#terminated = true;
    this.#pending = undefined;
    const { status, reason } = forced ? { status: forced, reason: undefined } : encodeResponsesStatus(finish, false);
    if (status === "failed") {
      const error = { code: "server_error", message: "The upstream provider failed to complete the response." };
      this.#emit({ type: "response.failed", response: this.#response("failed", undefined, error) });
      return;
    }
    this.#emit({ type: status === "incomplete" ? "response.incomplete" : "response.completed", response: this.#response(status, reason) });
  }

  /** As OpenAI does: `error`, then `response.failed` with the items finished so far. */
  #fail(error: CanonicalError): void {
    if (this.#terminated) return;
    this.#start(undefined);
    const e = encodeOpenAiError(error).error as JsonObject;
    // The AI SDK requires a string code; OpenAI's `type` says the same.
    const inner: JsonObject = { ...e, code: e.code ?? e.type };
    this.#emit({ type: "error", error: inner });
    this.#terminated = true;
    this.#pending = undefined;
    this.#emit({ type: "response.failed", response: this.#response("failed", undefined, { code: inner.code, message: inner.message }) });
  }
}
