import type { WireCodec } from "../types.ts";
import { decodeAnthropicError, encodeAnthropicError } from "./anthropic-error.ts";
import { createAnthropicStreamDecoder } from "./anthropic-stream-decoder.ts";
import { createAnthropicStreamEncoder } from "./anthropic-stream-encoder.ts";
import { decodeAnthropicRequest } from "./decode-anthropic-request.ts";
import { decodeAnthropicResponse } from "./decode-anthropic-response.ts";
import { encodeAnthropicRequest } from "./encode-anthropic-request.ts";
import { encodeAnthropicResponse } from "./encode-anthropic-response.ts";

/** The Anthropic Messages API wire format. */
export const anthropicCodec: WireCodec = {
  format: "anthropic",
  decodeRequest: decodeAnthropicRequest,
  encodeRequest: encodeAnthropicRequest,
  decodeResponse: decodeAnthropicResponse,
  encodeResponse: encodeAnthropicResponse,
  streamDecoder: createAnthropicStreamDecoder,
  streamEncoder: createAnthropicStreamEncoder,
  decodeError: decodeAnthropicError,
  encodeError: encodeAnthropicError,
};
