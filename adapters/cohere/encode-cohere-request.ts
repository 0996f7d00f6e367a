import type { JsonObject } from "../../src/canonical/extras.ts";
import type { CanonicalRequest, ReasoningConfig, ReasoningEffort, ResponseFormat } from "../../src/canonical/request.ts";
import type { CohereChatRequest, CohereResponseFormat, CohereThinking } from "./cohere-api-types.ts";
import { cohereOf, isCohereRequest, spreadNative } from "./cohere-extras.ts";
import { prepareCohereTools } from "./cohere-prepare-tools.ts";
import { convertToCohereMessages } from "./convert-to-cohere-messages.ts";
import { answerTool, needsAnswerTool } from "./cohere-structured-output.ts";

/**
 * Thinking budgets for OpenAI reasoning efforts. Cohere takes a token budget only; these follow
 * the budgets other adapters use, within Command A Reasoning's 32k output tokens.
 */
const EFFORT_BUDGET: Record<Exclude<ReasoningEffort, "none">, number> = {
  minimal: 1024,
  low: 2048,
  medium: 8192,
  high: 16384,
  xhigh: 30000,
};

/**
 * A canonical request as a Cohere `/v2/chat` body. Cohere has no end-user id or metadata field:
 * `user` and `metadata` are dropped, as is `parallelToolCalls` (no switch).
 */
export function encodeCohereRequest(request: CanonicalRequest): JsonObject {
  const thinks = isReasoningModel(request.model);
  // Clients such as Codex always send a reasoning effort: only reasoning models get `thinking`.
  const thinking = thinks || isCohereRequest(request) ? encodeThinking(request.reasoning) : undefined;
  const { messages, documents } = convertToCohereMessages(request.messages, request.instructions, thinking ? thinking.type === "enabled" : thinks);
  const body = spreadNative<CohereChatRequest>({ model: request.model, messages }, cohereOf(request));
  if (documents.length > 0) body.documents = [...(body.documents ?? []), ...documents];
  if (request.stream) body.stream = true;
  if (request.tools !== undefined) Object.assign(body, prepareCohereTools(request.tools, request.toolChoice));
  else if (request.toolChoice?.type === "none" || request.toolChoice?.type === "required") {
    body.tool_choice = request.toolChoice.type === "none" ? "NONE" : "REQUIRED";
  }
  if (request.maxOutputTokens !== undefined) body.max_tokens = request.maxOutputTokens;
  if (request.stop !== undefined) body.stop_sequences = request.stop;
  if (request.temperature !== undefined) body.temperature = request.temperature;
  if (request.seed !== undefined) body.seed = request.seed;
  if (request.frequencyPenalty !== undefined) body.frequency_penalty = request.frequencyPenalty;
  if (request.presencePenalty !== undefined) body.presence_penalty = request.presencePenalty;
  if (request.topK !== undefined) body.k = request.topK;
  if (request.topP !== undefined) body.p = request.topP;
  const format = request.responseFormat;
  if (format?.type === "json_schema" && needsAnswerTool(request, body.tools?.length ?? 0)) body.tools!.push(answerTool(format));
  else if (format) body.response_format = encodeResponseFormat(format);
  if (thinking) body.thinking = thinking;
  return body as unknown as JsonObject;
}

/**
 * Structured output is `json_object` with a `json_schema` (Cohere names no schema and has no
 * strict switch). Beside tools it becomes a tool (see cohere-structured-output.ts).
 */
function encodeResponseFormat(f: ResponseFormat): CohereResponseFormat {
  if (f.type === "text") return { type: "text" };
  if (f.type === "json_object") return { type: "json_object" };
  return { type: "json_object", json_schema: f.schema };
}

/**
 * Cohere's reasoning models (`command-a-reasoning-08-2025`) think by default and take `thinking`
 * and earlier thinking blocks; other models may reject both. A reasoning model of another name
 * still thinks by default, it only loses the budget.
 */
export function isReasoningModel(model: string): boolean {
  return model.includes("reasoning");
}

/**
 * `thinking` for reasoning models: explicit budget first, then the effort's budget; `none` or
 * `disabled` turns thinking off; a request that only asks for summaries leaves it unset.
 */
export function encodeThinking(r: ReasoningConfig | undefined): CohereThinking | undefined {
  if (r === undefined) return undefined;
  if (r.disabled || r.effort === "none") return { type: "disabled" };
  if (r.budgetTokens !== undefined) return { type: "enabled", token_budget: r.budgetTokens };
  if (r.effort !== undefined) return { type: "enabled", token_budget: EFFORT_BUDGET[r.effort] };
  if (r.summary !== undefined) return undefined;
  return { type: "enabled" };
}
