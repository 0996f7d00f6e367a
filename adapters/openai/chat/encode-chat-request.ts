import type { JsonObject } from "../../../src/canonical/extras.ts";
import type { CanonicalRequest } from "../../../src/canonical/request.ts";
import { chatExtrasOf, copyNative, objectAt } from "./chat-extras.ts";
import { encodeChatResponseFormat } from "./convert-chat-response-format.ts";
import { encodeChatTool, encodeChatToolChoice } from "./convert-chat-tools.ts";
import type { ReasoningReplay } from "./convert-chat-reasoning.ts";
import { encodeChatMessages } from "./encode-chat-messages.ts";

/**
 * What OpenAI-wire providers disagree on, for requests from other formats (a Chat client's own
 * request always goes as it came). The codec's defaults are OpenAI's; a provider row that differs
 * can encode with its own.
 */
export interface ChatRequestOptions {
  /** The output limit's field: OpenAI's reasoning models take only `max_completion_tokens`; Mistral and older servers only `max_tokens`. */
  maxTokensField?: "max_completion_tokens" | "max_tokens";
  /** Where earlier turns' reasoning text goes (DeepSeek: `reasoning_content`); left out by default. */
  reasoningReplay?: ReasoningReplay;
}

/**
 * A canonical request as a Chat Completions body for an upstream. A request decoded from Chat
 * comes back as it was (kept fields included). One from another format gets the standard OpenAI
 * fields only: `max_completion_tokens`, `stream_options.include_usage` when the proxy asks for
 * stream usage, no `metadata` (OpenAI ties it to stored completions; other Chat providers reject
 * it), and whatever Chat cannot express (hosted tools of another format, budgets) left out.
 */
export function encodeChatRequest(request: CanonicalRequest, options: ChatRequestOptions = {}): JsonObject {
  const ex = chatExtrasOf(request);
  const own = ex !== undefined;
  const out: JsonObject = { model: request.model, messages: encodeChatMessages(request, own ? undefined : options.reasoningReplay) };
  if (request.tools !== undefined) {
    const tools: JsonObject[] = [];
    for (const t of request.tools) {
      const encoded = encodeChatTool(t);
      if (encoded) tools.push(encoded);
    }
    if (own || tools.length > 0) out.tools = tools;
  }
  const hasTools = out.tools !== undefined;
  if (request.toolChoice !== undefined && (own || hasTools)) out.tool_choice = encodeChatToolChoice(request.toolChoice, request.tools);
  // OpenAI rejects parallel_tool_calls without tools.
  if (request.parallelToolCalls !== undefined && (own || hasTools)) out.parallel_tool_calls = request.parallelToolCalls;
  if (request.maxOutputTokens !== undefined) {
    const legacy = own ? "max_tokens" in ex && !("max_completion_tokens" in ex) : options.maxTokensField === "max_tokens";
    out[legacy ? "max_tokens" : "max_completion_tokens"] = request.maxOutputTokens;
  }
  if (request.temperature !== undefined) out.temperature = request.temperature;
  if (request.topP !== undefined) out.top_p = request.topP;
  if (request.topK !== undefined && own) out.top_k = request.topK;
  if (request.frequencyPenalty !== undefined) out.frequency_penalty = request.frequencyPenalty;
  if (request.presencePenalty !== undefined) out.presence_penalty = request.presencePenalty;
  if (request.seed !== undefined) out.seed = request.seed;
  if (request.stop !== undefined) out.stop = typeof ex?.stop === "string" && request.stop.length === 1 ? request.stop[0] : request.stop;
  if (request.reasoning?.effort !== undefined) out.reasoning_effort = request.reasoning.effort;
  if (request.responseFormat !== undefined) out.response_format = encodeChatResponseFormat(request.responseFormat);
  if (request.stream) out.stream = true;
  const keptOptions = objectAt(ex, "stream_options");
  if (request.streamUsage !== undefined && (request.stream || own)) {
    out.stream_options = copyNative(keptOptions, { include_usage: request.streamUsage });
  }
  if (request.user !== undefined) out.user = request.user;
  if (request.metadata !== undefined && own) out.metadata = request.metadata;
  return copyNative(ex, out);
}
