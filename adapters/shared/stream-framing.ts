import { proxyError } from "../../src/canonical/error.ts";
import type { JsonObject } from "../../src/canonical/extras.ts";
import type { NativeEvent } from "../types.ts";
import { SseParser, sseFrame } from "./sse-parser.ts";

/** How a native stream is framed on the wire: parse frames from bytes, write frames to bytes. */

/** A native stream event with the bytes it arrived as. */
export interface Frame {
  event: NativeEvent;
  raw: string | Uint8Array;
}

export interface FrameReader {
  push(bytes: Uint8Array): Frame[];
  end(): Frame[];
}

export interface FramingCodec {
  reader(): FrameReader;
  /** Frames written to the client. */
  write(event: NativeEvent): string | Uint8Array;
  contentType: string;
}

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
  write: (event) => sseFrame(typeof event.data === "string" ? event.data : JSON.stringify(event.data), event.event),
};

function parseData(data: string): JsonObject | string {
  if (data === "[DONE]") return data;
  try {
    return JSON.parse(data) as JsonObject;
  } catch {
    throw proxyError(502, `The upstream sent a stream event that is not JSON: ${data.slice(0, 200)}`, { code: "bad_upstream_stream", kind: "upstream" });
  }
}
