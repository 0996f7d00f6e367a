import type { WireCodec } from "../types.ts";
import { decodeCohereError, encodeCohereError } from "./cohere-error.ts";
import { cohereStreamDecoder } from "./cohere-stream-decoder.ts";
import { cohereStreamEncoder } from "./cohere-stream-encoder.ts";
import { decodeCohereRequest } from "./decode-cohere-request.ts";
import { decodeCohereResponse } from "./decode-cohere-response.ts";
import { encodeCohereRequest } from "./encode-cohere-request.ts";
import { encodeCohereResponse } from "./encode-cohere-response.ts";

/** The Cohere Chat API v2 (`POST /v2/chat`) wire format. */
export const cohereCodec: WireCodec = {
  format: "cohere",
  decodeRequest: decodeCohereRequest,
  encodeRequest: encodeCohereRequest,
  decodeResponse: decodeCohereResponse,
  encodeResponse: encodeCohereResponse,
  streamDecoder: cohereStreamDecoder,
  streamEncoder: cohereStreamEncoder,
  decodeError: decodeCohereError,
  encodeError: encodeCohereError,
};
