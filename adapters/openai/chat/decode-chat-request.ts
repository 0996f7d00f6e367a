import type { ChatCompletionCreateParams } from "openai/resources/chat/completions";
import type { JsonObject } from "../../../src/canonical/extras.ts";
import type { CanonicalRequest, ReasoningEffort } from "../../../src/canonical/request.ts";
import { validateBody } from "../../shared/validate.ts";
import { CHAT, isObject, restExcept } from "./chat-extras.ts";
import { chatRequestSchema } from "./chat-request-schema.ts";
import { decodeChatResponseFormat } from "./convert-chat-response-format.ts";
import { decodeChatTool, decodeChatToolChoice } from "./convert-chat-tools.ts";
import { decodeChatMessages } from "./decode-chat-messages.ts";

const EFFORTS: ReadonlySet<string> = new Set<ReasoningEffort>(["none", "minimal", "low", "medium", "high", "xhigh"]);
const NUMBERS = { temperature: "temperature", top_p: "topP", top_k: "topK", frequency_penalty: "frequencyPenalty", presence_penalty: "presencePenalty", seed: "seed" } as const;

/**
 * A Chat Completions request body as a canonical request. Fields the canonical model holds are
 * decoded; everything else (n, logprobs, logit_bias, audio, modalities, service_tier, store,
 * web_search_options, prompt_cache_key, safety_identifier, verbosity, provider fields, a null
 * where a value was expected) is kept verbatim in extras. Some kept fields also say which native
 * form a decoded value had: `max_tokens` vs `max_completion_tokens`, `stop` as a string.
 */
export function decodeChatRequest(raw: JsonObject): CanonicalRequest {
  const body = validateBody(chatRequestSchema, raw) as ChatCompletionCreateParams & JsonObject;
  const request: CanonicalRequest = { model: body.model, messages: decodeChatMessages(body.messages), stream: body.stream === true };
  const rest: JsonObject = {};
  for (const key in body) {
    const v = body[key];
    switch (key) {
      case "model":
      case "messages":
        break;
      case "stream":
        if (v !== true) rest.stream = v;
        break;
      case "tools":
        if (Array.isArray(v)) request.tools = v.map((t) => decodeChatTool(t as JsonObject));
        else rest.tools = v;
        break;
      case "tool_choice": {
        const choice = decodeChatToolChoice(v);
        if (choice) request.toolChoice = choice;
        else rest.tool_choice = v;
        break;
      }
      case "parallel_tool_calls":
        if (typeof v === "boolean") request.parallelToolCalls = v;
        else rest[key] = v;
        break;
      case "max_completion_tokens":
        if (typeof v === "number") {
          request.maxOutputTokens = v;
          // Beside max_tokens it must stay named, so that max_tokens is not taken for the limit on encode.
          if (typeof body.max_tokens === "number") rest[key] = v;
        } else rest[key] = v;
        break;
      case "max_tokens":
        // Kept even when decoded: it names the field the client used.
        rest[key] = v;
        if (typeof v === "number" && typeof body.max_completion_tokens !== "number") request.maxOutputTokens = v;
        break;
      case "temperature":
      case "top_p":
      case "top_k":
      case "frequency_penalty":
      case "presence_penalty":
      case "seed":
        if (typeof v === "number") request[NUMBERS[key]] = v;
        else rest[key] = v;
        break;
      case "stop":
        if (typeof v === "string") {
          request.stop = [v];
          rest.stop = v;
        } else if (Array.isArray(v)) request.stop = v as string[];
        else rest.stop = v;
        break;
      case "reasoning_effort":
        if (typeof v === "string" && EFFORTS.has(v)) request.reasoning = { effort: v as ReasoningEffort };
        else rest[key] = v;
        break;
      case "response_format": {
        const format = decodeChatResponseFormat(v);
        if (format) request.responseFormat = format;
        else rest[key] = v;
        break;
      }
      case "stream_options":
        if (isObject(v) && typeof v.include_usage === "boolean") {
          request.streamUsage = v.include_usage;
          const left = restExcept(v, ["include_usage"]);
          if (left) rest[key] = left;
        } else rest[key] = v;
        break;
      case "user":
        if (typeof v === "string") request.user = v;
        else rest[key] = v;
        break;
      case "metadata":
        if (isObject(v)) request.metadata = v as Record<string, string>;
        else rest[key] = v;
        break;
      default:
        rest[key] = v;
    }
  }
  // Always present: it marks the request as decoded from Chat, for the encoder.
  request.extras = { [CHAT]: rest };
  return request;
}
