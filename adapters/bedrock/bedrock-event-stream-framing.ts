import { proxyError } from "../../src/canonical/error.ts";
import type { JsonObject } from "../../src/canonical/extras.ts";
import { statelessWriter, type Frame, type FramingCodec } from "../shared/stream-framing.ts";
import type { NativeEvent } from "../types.ts";
import { EventStreamDecoder, encodeMessage, type EventStreamMessage } from "./aws-event-stream.ts";

/**
 * ConverseStream events as NativeEvents: `event` is the `:event-type` header (messageStart,
 * contentBlockDelta, …) or, for exceptions, the `:exception-type` header (throttlingException, …);
 * `data` is the JSON payload. Protocol-level `:message-type error` messages become an `error`
 * event carrying their `:error-code` and `:error-message`.
 */
export const BEDROCK_STREAM_CONTENT_TYPE = "application/vnd.amazon.eventstream";

/** Exception events are the ones whose name says so (`modelStreamErrorException`, …). */
export function isExceptionEvent(name: string | undefined): boolean {
  return name !== undefined && name.endsWith("Exception");
}

/** One decoded message as the NativeEvent the stream decoder takes. */
export function messageToNativeEvent(message: EventStreamMessage): NativeEvent {
  const h = message.headers;
  const type = h[":message-type"];
  if (type === "error") {
    return { event: "error", data: { code: String(h[":error-code"] ?? "InternalFailure"), message: String(h[":error-message"] ?? "") } };
  }
  const name = type === "exception" ? h[":exception-type"] : h[":event-type"];
  if (typeof name !== "string") throw proxyError(502, "The upstream sent an AWS event stream message without an event type", { code: "bad_upstream_stream", kind: "upstream" });
  return { event: name, data: parsePayload(message.payload) };
}

function parsePayload(payload: Uint8Array): JsonObject {
  const text = Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).toString("utf8");
  if (text === "") return {};
  try {
    return JSON.parse(text) as JsonObject;
  } catch {
    throw proxyError(502, `The upstream sent a stream event that is not JSON: ${text.slice(0, 200)}`, { code: "bad_upstream_stream", kind: "upstream" });
  }
}

/** Frames a NativeEvent as Bedrock does: event or exception headers, JSON payload. */
export function nativeEventToMessage(event: NativeEvent): Uint8Array {
  const name = event.event ?? "";
  const payload = typeof event.data === "string" ? event.data : JSON.stringify(event.data);
  if (isExceptionEvent(name)) {
    return encodeMessage({ ":exception-type": name, ":content-type": "application/json", ":message-type": "exception" }, payload);
  }
  return encodeMessage({ ":event-type": name, ":content-type": "application/json", ":message-type": "event" }, payload);
}

/** The AWS event stream framing, for the proxy's stream reader and writer. */
export const awsEventStreamFraming: FramingCodec = {
  contentType: BEDROCK_STREAM_CONTENT_TYPE,
  reader() {
    const decoder = new EventStreamDecoder();
    return {
      push: (bytes: Uint8Array): Frame[] => decoder.push(bytes).map((m) => ({ event: messageToNativeEvent(m), raw: m.raw })),
      end: (): Frame[] => {
        decoder.end();
        return [];
      },
    };
  },
  writer: statelessWriter(nativeEventToMessage),
  rawFrames: true,
};
