import type { WireCodec } from "../../types.ts";
import { decodeOpenAiError, encodeOpenAiError } from "../openai-error.ts";
import { decodeResponsesRequest } from "./decode-responses-request.ts";
import { decodeResponsesResponse } from "./decode-responses-response.ts";
import { encodeResponsesRequest } from "./encode-responses-request.ts";
import { encodeResponsesResponse } from "./encode-responses-response.ts";
import { RESPONSES } from "./responses-extras.ts";
import { ResponsesStreamDecoder } from "./responses-stream-decoder.ts";
import { ResponsesStreamEncoder } from "./responses-stream-encoder.ts";

/** The OpenAI Responses API (`POST /v1/responses`): requests, responses, streams and errors. */
export const responsesCodec: WireCodec = {
  format: RESPONSES,
  decodeRequest: decodeResponsesRequest,
  encodeRequest: encodeResponsesRequest,
  decodeResponse: decodeResponsesResponse,
  encodeResponse: (response, context) => encodeResponsesResponse(response, context),
  streamDecoder: () => new ResponsesStreamDecoder(),
  streamEncoder: (context) => new ResponsesStreamEncoder(context),
  decodeError: (status, body) => decodeOpenAiError(status, body, RESPONSES),
  encodeError: encodeOpenAiError,
};
