import type { WireCodec } from "../types.ts";
import { decodeGeminiRequest } from "./decode-gemini-request.ts";
import { decodeGeminiResponse } from "./decode-gemini-response.ts";
import { encodeGeminiRequest } from "./encode-gemini-request.ts";
import { encodeGeminiResponse } from "./encode-gemini-response.ts";
import { decodeGeminiError, encodeGeminiError } from "./gemini-error.ts";
import { GeminiStreamDecoder } from "./gemini-stream-decoder.ts";
import { GeminiStreamEncoder } from "./gemini-stream-encoder.ts";

/**
 * The Gemini generateContent wire format, spoken by the Gemini API and Vertex AI alike. The model
 * and the choice to stream live in the URL (`models/{model}:streamGenerateContent`), so a
 * decoded request has an empty `model` and `stream: false` until the route sets them.
 */
export const geminiCodec: WireCodec = {
  format: "gemini",
  decodeRequest: decodeGeminiRequest,
  encodeRequest: encodeGeminiRequest,
  decodeResponse: decodeGeminiResponse,
  encodeResponse: encodeGeminiResponse,
  streamDecoder: () => new GeminiStreamDecoder(),
  streamEncoder: (context) => new GeminiStreamEncoder(context),
  decodeError: decodeGeminiError,
  encodeError: encodeGeminiError,
};
