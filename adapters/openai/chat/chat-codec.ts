import type { WireCodec } from "../../types.ts";
import { decodeOpenAiError, encodeOpenAiError } from "../openai-error.ts";
import { ChatStreamDecoder } from "./chat-stream-decoder.ts";
import { ChatStreamEncoder } from "./chat-stream-encoder.ts";
import { decodeChatRequest } from "./decode-chat-request.ts";
import { decodeChatResponse } from "./decode-chat-response.ts";
import { encodeChatRequest, type ChatRequestOptions } from "./encode-chat-request.ts";
import { encodeChatResponse } from "./encode-chat-response.ts";

/**
 * OpenAI Chat Completions: the client side of the model router and the upstream side of the
 * whole OpenAI-wire family (OpenAI, Azure, Groq, Mistral, xAI, DeepSeek, OpenRouter, vLLM, …).
 * `encodeRequest` uses OpenAI's conventions; `encodeChatRequest(request, options)` serves a
 * provider that differs (see ChatRequestOptions).
 */
export const chatCodec: WireCodec = {
  format: "openai-chat",
  decodeRequest: decodeChatRequest,
  encodeRequest: (request, options) => encodeChatRequest(request, options as ChatRequestOptions | undefined),
  decodeResponse: decodeChatResponse,
  encodeResponse: encodeChatResponse,
  streamDecoder: () => new ChatStreamDecoder(),
  streamEncoder: (context) => new ChatStreamEncoder(context),
  decodeError: (status, body) => decodeOpenAiError(status, body, "openai-chat"),
  encodeError: encodeOpenAiError,
};
