import { proxyError } from "../../src/canonical/error.ts";
import type { JsonObject } from "../../src/canonical/extras.ts";
import type { NativeEvent } from "../types.ts";
import { SseParser, sseFrame } from "./sse-parser.ts";

/** A native stream event with the bytes it arrived as. */
export interface Frame {
  event: NativeEvent;
  raw: string | Uint8Array;
}

export interface FrameReader {
  push(bytes: Uint8Array): Frame[];
  end(): Frame[];
}

export interface FrameWriter {
  write(event: NativeEvent): string | Uint8Array;
  /** A frame that carries nothing but keeps the connection visibly alive (an SSE comment), if the framing has one. */
  keepAlive?(): string | Uint8Array;
  /** What closes the stream, if the framing has anything (a JSON array's `]`). */
  end(): string | Uint8Array | undefined;
}

/** How a native stream is framed on the wire: frames parsed from bytes, frames written as bytes. */
export interface FramingCodec {
  contentType: string;
  reader(): FrameReader;
  writer(): FrameWriter;
  /**
   * Whether one frame's raw bytes stand on their own, so an unchanged frame can be forwarded as
   * it came (SSE, AWS event stream); not so for a JSON array, whose separators belong to the whole.
   */
  rawFrames: boolean;
}

/** A writer for framings whose frames need no state. */
export function statelessWriter(write: (event: NativeEvent) => string | Uint8Array, keepAlive?: () => string | Uint8Array): () => FrameWriter {
  const writer: FrameWriter = { write, end: () => undefined, ...(keepAlive && { keepAlive }) };
  return () => writer;
}

const SSE_KEEP_ALIVE = ": keep-alive\n\n";

/** SSE whose data lines are JSON, or the literal `[DONE]`. */
export const sseFraming: FramingCodec = {
  contentType: "text/event-stream; charset=utf-8",
  reader() {
    const parser = new SseParser();
    const toFrames = (events: ReturnType<SseParser["push"]>): Frame[] =>
      events.map((e) => ({ event: { ...(e.event !== undefined && { event: e.event }), data: parseData(e.data) }, raw: e.raw }));
    return {
      push: (bytes) => toFrames(parser.push(bytes)),
      end: () => toFrames(parser.end()),
    };
  },
  writer: statelessWriter(
    (event) => sseFrame(typeof event.data === "string" ? event.data : JSON.stringify(event.data), event.event),
    () => SSE_KEEP_ALIVE,
  ),
  rawFrames: true,
};

function parseData(data: string): JsonObject | string {
  if (data === "[DONE]") return data;
  try {
    return JSON.parse(data) as JsonObject;
  } catch {
    throw proxyError(502, `The upstream sent a stream event that is not JSON: ${data.slice(0, 200)}`, { code: "bad_upstream_stream", kind: "upstream" });
  }
}
