import type { JsonObject } from "../../src/canonical/extras.ts";
import type { ReasoningConfig, ReasoningEffort } from "../../src/canonical/request.ts";
import type { AnthropicModelCapabilities } from "./anthropic-model-capabilities.ts";
import { DEFAULT_MAX_TOKENS_CAP } from "./anthropic-model-capabilities.ts";
import { toAnthropicEffort } from "./anthropic-thinking.ts";

/**
 * Thinking for a request from another format: `reasoning.effort` / `budgetTokens` become the form
 * the model accepts. Adaptive models get `thinking: {type: "adaptive", display: "summarized"}` plus
 * `output_config.effort` (summaries shown, as OpenAI's reasoning summaries are); budget models get
 * `budget_tokens` (given, or a share of the model's output limit per effort level) on top of the
 * visible output limit. Thinking is switched off where the API would refuse it: a forced tool
 * choice, or a history whose last assistant tool call came without a thinking block (another
 * provider's turn).
 */
export interface ThinkingPlan {
  thinking?: JsonObject;
  effort?: string;
  maxTokens: number;
  /** Thinking is on: sampling parameters must be left out. */
  thinkingOn: boolean;
}

export interface ThinkingConstraints {
  forcedToolUse: boolean;
  lastToolTurnWithoutThinking: boolean;
}

const MIN_BUDGET = 1024;
const BUDGET_SHARE: Record<Exclude<ReasoningEffort, "none">, number> = { minimal: 0.02, low: 0.1, medium: 0.3, high: 0.6, xhigh: 0.9 };

function budgetForEffort(effort: Exclude<ReasoningEffort, "none">, caps: AnthropicModelCapabilities): number {
  return Math.min(caps.maxOutputTokens, Math.max(MIN_BUDGET, Math.round(caps.maxOutputTokens * BUDGET_SHARE[effort])));
}

function effortForBudget(budget: number, caps: AnthropicModelCapabilities): ReasoningEffort {
  const share = budget / caps.maxOutputTokens;
  return share < 0.2 ? "low" : share < 0.45 ? "medium" : share < 0.75 ? "high" : "xhigh";
}

export function planAnthropicThinking(
  reasoning: ReasoningConfig | undefined,
  maxOutputTokens: number | undefined,
  caps: AnthropicModelCapabilities,
  constraints: ThinkingConstraints,
): ThinkingPlan {
  const base = maxOutputTokens ?? Math.min(caps.maxOutputTokens, DEFAULT_MAX_TOKENS_CAP);
  const clamp = (n: number) => (caps.known ? Math.min(n, caps.maxOutputTokens) : n);
  const plain: ThinkingPlan = { maxTokens: clamp(base), thinkingOn: false };
  if (!reasoning || caps.thinking === "none") return plain;
  const adaptiveOnly = caps.thinking === "adaptive";
  const off = reasoning.disabled === true || reasoning.effort === "none";
  if (off || constraints.forcedToolUse || constraints.lastToolTurnWithoutThinking) {
    if (caps.rejectsThinkingDisabled) return off ? { ...plain, effort: "low", thinkingOn: true } : { ...plain, thinkingOn: true };
    return { ...plain, thinking: { type: "disabled" } };
  }
  const { effort, budgetTokens } = reasoning;
  if (effort === undefined && budgetTokens === undefined) return plain;

  if (adaptiveOnly || (caps.thinking === "both" && budgetTokens === undefined)) {
    const level = effort ?? effortForBudget(budgetTokens as number, caps);
    const plan: ThinkingPlan = { ...plain, thinking: { type: "adaptive", display: "summarized" }, thinkingOn: true };
    const mapped = toAnthropicEffort(level, caps.xhighEffort);
    if (mapped !== undefined) plan.effort = mapped;
    return plan;
  }

  let budget = Math.max(MIN_BUDGET, budgetTokens ?? budgetForEffort(effort as Exclude<ReasoningEffort, "none">, caps));
  const maxTokens = clamp(base + budget);
  if (budget >= maxTokens) budget = maxTokens - 1;
  if (budget < MIN_BUDGET) return plain;
  return { maxTokens, thinking: { type: "enabled", budget_tokens: budget }, thinkingOn: true };
}
