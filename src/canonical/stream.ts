import type { AssistantPart, Citation } from "./content.ts";
import type { CanonicalError } from "./error.ts";
import type { Extras, JsonObject, WireFormat } from "./extras.ts";
import type { Finish, Usage } from "./response.ts";

/**
 * Neutral stream events. `index` numbers the response's content parts in order of appearance
 * (the same numbering as CanonicalResponse.content), across all part kinds: a tool call's index
 * is not its position among tool calls, and encoders count those themselves.
 */
export type StreamEvent =
  /** Response metadata is known (first event of a stream). */
  | { type: "start"; id?: string; model?: string; created?: number }
  /** A part begins: text with "", a tool call with id and name and "" arguments, reasoning, … */
  | { type: "part-start"; index: number; part: AssistantPart }
  | { type: "text-delta"; index: number; delta: string }
  /** Reasoning text, or summary text (`summaryIndex` names the summary paragraph). */
  | { type: "reasoning-delta"; index: number; delta: string; channel: "text" | "summary"; summaryIndex?: number }
  | { type: "reasoning-signature"; index: number; signature: string }
  | { type: "tool-args-delta"; index: number; delta: string }
  | { type: "citation"; index: number; citation: Citation }
  /** A part is complete; `part` is the whole of it, deltas assembled. */
  | { type: "part-end"; index: number; part: AssistantPart }
  /** Usage so far (cumulative); the last one before `finish` is final. */
  | { type: "usage"; usage: Usage }
  | { type: "finish"; finish: Finish; usage?: Usage }
  /** The upstream failed after the stream began. */
  | { type: "error"; error: CanonicalError }
  /** An event with no neutral meaning (a ping, `response.in_progress`, a hosted-tool progress event). */
  | { type: "native"; format: WireFormat; value: JsonObject };

/** Raw bytes of the native frame a chunk was decoded from, forwarded as-is when nothing changed it. */
export interface RawFrame {
  format: WireFormat;
  bytes: Uint8Array | string;
}

/**
 * What one native stream event decodes to. A stage that changes a chunk returns a new chunk
 * without `raw`, so the writer knows to encode it instead of forwarding the original bytes.
 */
export interface StreamChunk {
  events: StreamEvent[];
  /** Native fields of the frame that the events do not express (ids, sequence numbers, …). */
  extras?: Extras;
  raw?: RawFrame;
}
