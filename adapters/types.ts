import type { CanonicalError } from "../src/canonical/error.ts";
import type { JsonObject, WireFormat } from "../src/canonical/extras.ts";
import type { CanonicalRequest } from "../src/canonical/request.ts";
import type { CanonicalResponse } from "../src/canonical/response.ts";
import type { StreamChunk } from "../src/canonical/stream.ts";

/**
 * One event of a native stream. SSE formats: `event` is the SSE event name (when the format uses
 * one) and `data` the parsed JSON payload, or the string "[DONE]". Bedrock: `event` is the
 * `:event-type` header (or `:exception-type`) and `data` the JSON payload.
 */
export interface NativeEvent {
  event?: string;
  data: JsonObject | string;
}

export interface StreamDecoder {
  /** Decode one native event. Returns the chunk it stands for (possibly with no events). */
  decode(event: NativeEvent): StreamChunk;
  /** The upstream ended; returns what a well-formed end implies but the stream left unsaid (may be empty). */
  end(): StreamChunk | undefined;
}

export interface StreamEncoder {
  encode(chunk: StreamChunk): NativeEvent[];
  /**
   * A chunk of this encoder's own format that the proxy forwarded as its original bytes: update
   * the encoder's state (ids, counters, "finished", "[DONE] sent") as if it had encoded it, so a
   * later encoded chunk or `end()` continues the stream consistently. Encoders without it are
   * fed through `encode` and the output discarded.
   */
  observe?(chunk: StreamChunk): void;
  /** Closing frames after the last chunk (`data: [DONE]` for Chat). */
  end(): NativeEvent[];
  /** Frames that report `error` after the stream began, closing it properly for the format. */
  error(error: CanonicalError): NativeEvent[];
  /** The format's own keep-alive frames (Anthropic's `ping`), sent during long silences; else the framing's. */
  keepAlive?(): NativeEvent[];
}

/** What an encoder of a response may need from the request that asked for it. */
export interface EncodeContext {
  request: CanonicalRequest;
  /** The model name to report, when the encoder must make one up. */
  model: string;
}

/**
 * One native wire format: pure conversions between its JSON bodies and the canonical model.
 * decode* throw ProxyError (status 400, with `param`) on a body the format does not allow.
 * For every body b of the format: encodeX(decodeX(b)) deep-equals b.
 */
export interface WireCodec {
  format: WireFormat;
  decodeRequest(body: JsonObject): CanonicalRequest;
  /** `options`: the provider's encoding options (ProviderDefinition.requestOptions), for formats shared by several providers. */
  encodeRequest(request: CanonicalRequest, options?: JsonObject): JsonObject;
  decodeResponse(body: JsonObject): CanonicalResponse;
  encodeResponse(response: CanonicalResponse, context: EncodeContext): JsonObject;
  streamDecoder(): StreamDecoder;
  streamEncoder(context: EncodeContext): StreamEncoder;
  /** An upstream error body (any JSON, or the text when not JSON) with its status and headers. */
  decodeError(status: number, body: unknown, headers?: Record<string, string | string[] | undefined>): CanonicalError;
  encodeError(error: CanonicalError): JsonObject;
  /** Headers this format's clients need on an error answer (Bedrock's `x-amzn-errortype`). */
  errorHeaders?(error: CanonicalError): Record<string, string>;
}
