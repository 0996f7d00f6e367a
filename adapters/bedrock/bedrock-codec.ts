import type { EncodeContext, WireCodec } from "../types.ts";
import { bedrockErrorHeaders, decodeBedrockError, encodeBedrockError } from "./bedrock-error.ts";
import { BedrockStreamDecoder } from "./bedrock-stream-decoder.ts";
import { BedrockStreamEncoder } from "./bedrock-stream-encoder.ts";
import { decodeBedrockRequest } from "./decode-bedrock-request.ts";
import { decodeBedrockResponse } from "./decode-bedrock-response.ts";
import { encodeBedrockRequest } from "./encode-bedrock-request.ts";
import { encodeBedrockResponse } from "./encode-bedrock-response.ts";

/**
 * The Amazon Bedrock Converse wire format. Stream events are the NativeEvents of
 * bedrock-event-stream-framing (`event` = the event or exception type, `data` = the payload).
 * `decodeError` also reads the `x-amzn-errortype` response header when given it.
 */
export const bedrockCodec: WireCodec = {
  format: "bedrock",
  decodeRequest: decodeBedrockRequest,
  encodeRequest: encodeBedrockRequest,
  decodeResponse: decodeBedrockResponse,
  encodeResponse: encodeBedrockResponse,
  streamDecoder: () => new BedrockStreamDecoder(),
  streamEncoder: (_context: EncodeContext) => new BedrockStreamEncoder(),
  decodeError: decodeBedrockError,
  encodeError: encodeBedrockError,
  errorHeaders: bedrockErrorHeaders,
};
