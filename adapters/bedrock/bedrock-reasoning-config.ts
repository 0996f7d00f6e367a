import type { JsonObject } from "../../src/canonical/extras.ts";
import type { CanonicalRequest, ReasoningConfig, ReasoningEffort } from "../../src/canonical/request.ts";
import { bedrockModelFamily, supportsThinking } from "./bedrock-model-family.ts";

/** Thinking budgets for OpenAI-style efforts on Claude (budget_tokens must be at least 1024). */
const BUDGET: Record<Exclude<ReasoningEffort, "none">, number> = { minimal: 1024, low: 2048, medium: 8192, high: 16384, xhigh: 32768 };
/** Nova 2 and OpenAI models on Bedrock take low / medium / high. */
const LEVEL: Record<Exclude<ReasoningEffort, "none">, string> = { minimal: "low", low: "low", medium: "medium", high: "high", xhigh: "high" };
/** Room for the answer itself when we pick the budget and the client set no limit. */
const ANSWER_ROOM = 4096;

export interface BedrockReasoning {
  /** Fields for additionalModelRequestFields. */
  fields: JsonObject;
  /** maxTokens to send (changed only when thinking needs room the limit does not leave). */
  maxTokens: number | undefined;
  /** Claude extended thinking is on. */
  thinking: boolean;
  /** Drop temperature / top_p / top_k: Claude rejects them with thinking we turned on. */
  dropSampling: boolean;
}

function levelFor(budget: number): string {
  return budget <= BUDGET.low ? "low" : budget <= BUDGET.medium ? "medium" : "high";
}

/**
 * The canonical reasoning request in the model family's words:
 * - Claude: `thinking: {type: "enabled", budget_tokens}` (effort → budget from the table above;
 *   max_tokens must exceed the budget, so it is raised when it would not). Models before
 *   Claude 3.7 cannot think, and an effort for them is dropped rather than failing the request.
 * - Nova 2: `reasoningConfig: {type: "enabled", maxReasoningEffort}`; OpenAI: `reasoning_effort`.
 * - Other or unknown models: an explicit budget (a Bedrock or Anthropic client's own choice) goes
 *   as Claude's `thinking`; an effort is dropped, as they have no knob for it.
 */
export function encodeBedrockReasoning(request: CanonicalRequest): BedrockReasoning {
  const r: ReasoningConfig | undefined = request.reasoning;
  const out: BedrockReasoning = { fields: {}, maxTokens: request.maxOutputTokens, thinking: false, dropSampling: false };
  if (!r) return out;
  const family = bedrockModelFamily(request.model);
  const effort = r.effort && r.effort !== "none" ? r.effort : undefined;
  if (family === "nova" || family === "openai") {
    const level = r.budgetTokens !== undefined ? levelFor(r.budgetTokens) : effort ? LEVEL[effort] : undefined;
    if (family === "nova") {
      if (level) out.fields.reasoningConfig = { type: "enabled", maxReasoningEffort: level };
      else if (r.disabled) out.fields.reasoningConfig = { type: "disabled" };
    } else if (level) out.fields.reasoning_effort = level;
    return out;
  }
  if (r.budgetTokens !== undefined) {
    out.fields.thinking = { type: "enabled", budget_tokens: r.budgetTokens };
    out.thinking = true;
    if (out.maxTokens !== undefined && out.maxTokens <= r.budgetTokens) out.maxTokens = r.budgetTokens + out.maxTokens;
  } else if (r.disabled || r.effort === "none") {
    if (r.disabled) out.fields.thinking = { type: "disabled" };
  } else if (effort && supportsThinking(request.model)) {
    const budget = BUDGET[effort];
    out.fields.thinking = { type: "enabled", budget_tokens: budget };
    out.thinking = true;
    out.dropSampling = true;
    out.maxTokens = out.maxTokens === undefined ? budget + ANSWER_ROOM : out.maxTokens <= budget ? budget + out.maxTokens : out.maxTokens;
  }
  return out;
}

/**
 * Claude's `thinking` from a Bedrock client's additionalModelRequestFields, when it is one of the
 * shapes the canonical model says exactly (enabled with a budget, or disabled).
 */
export function decodeBedrockThinking(thinking: unknown): ReasoningConfig | undefined {
  if (!thinking || typeof thinking !== "object") return undefined;
  const t = thinking as Record<string, unknown>;
  const keys = Object.keys(t).length;
  if (t.type === "enabled" && typeof t.budget_tokens === "number" && keys === 2) return { budgetTokens: t.budget_tokens };
  if (t.type === "disabled" && keys === 1) return { disabled: true };
  return undefined;
}
