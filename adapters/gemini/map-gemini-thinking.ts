import type { ThinkingConfig } from "@google/genai";
import { restOf, type JsonObject } from "../../src/canonical/extras.ts";
import type { ReasoningConfig, ReasoningEffort } from "../../src/canonical/request.ts";
import { isProModel, usesThinkingLevel } from "./gemini-model-capabilities.ts";

/**
 * thinkingConfig <-> canonical reasoning. Gemini 2.5 takes a token budget (`thinkingBudget`,
 * 0 = off, -1 = dynamic); Gemini 3 takes a level (`thinkingLevel`) and still accepts a budget
 * for compatibility, while 2.5 rejects a level. So an explicit budget is always sent as a budget,
 * and an effort becomes a level only for models known to be Gemini 3 or later.
 * `includeThoughts` (thought summaries in the answer) is what OpenAI calls a reasoning summary.
 */
const LEVELS: ReadonlySet<string> = new Set(["minimal", "low", "medium", "high"]);

export function decodeThinkingConfig(config: ThinkingConfig): { reasoning?: ReasoningConfig; rest?: JsonObject } {
  const reasoning: ReasoningConfig = {};
  const known = new Set<string>();
  if (typeof config.thinkingBudget === "number") {
    reasoning.budgetTokens = config.thinkingBudget;
    if (config.thinkingBudget === 0) reasoning.disabled = true;
    known.add("thinkingBudget");
  }
  const level = typeof config.thinkingLevel === "string" ? config.thinkingLevel.toLowerCase() : undefined;
  // The level's own spelling stays in `rest` too: it tells the encoder to write a level (not a
  // budget) and how the client spelled it ("low" in the REST docs, "LOW" from the SDK enum).
  if (level && LEVELS.has(level)) reasoning.effort = level as ReasoningEffort;
  if (config.includeThoughts === true) {
    reasoning.summary = "auto";
    known.add("includeThoughts");
  }
  const rest = restOf(config as JsonObject, known);
  return { ...(Object.keys(reasoning).length > 0 && { reasoning }), ...(rest && { rest }) };
}

export function encodeThinkingConfig(reasoning: ReasoningConfig | undefined, model: string, rest: JsonObject | undefined): ThinkingConfig | undefined {
  if (!reasoning) return rest;
  const config: ThinkingConfig = { ...rest };
  const pro = isProModel(model);
  const raw = typeof rest?.thinkingLevel === "string" ? rest.thinkingLevel : undefined;
  if (reasoning.budgetTokens !== undefined) {
    config.thinkingBudget = clampBudget(reasoning.budgetTokens, model, pro);
  } else if (reasoning.effort !== undefined || reasoning.disabled) {
    const effort: ReasoningEffort = reasoning.disabled ? "none" : reasoning.effort!;
    if (raw !== undefined || usesThinkingLevel(model)) {
      const level = levelFor(effort, model, pro);
      config.thinkingLevel = (raw?.toLowerCase() === level.toLowerCase() ? raw : level) as ThinkingConfig["thinkingLevel"];
    } else {
      config.thinkingBudget = budgetFor(effort, pro);
    }
  }
  if (reasoning.summary !== undefined) config.includeThoughts = true;
  return Object.keys(config).length > 0 ? config : undefined;
}

function levelFor(effort: ReasoningEffort, model: string, pro: boolean): string {
  // Gemini 3 Pro knows only LOW and HIGH; Pro models have no MINIMAL.
  if (/gemini-3-pro/.test(model)) return effort === "medium" || effort === "high" || effort === "xhigh" ? "HIGH" : "LOW";
  switch (effort) {
    case "none":
    case "minimal":
      return pro ? "LOW" : "MINIMAL";
    case "low":
      return "LOW";
    case "medium":
      return "MEDIUM";
    default:
      return "HIGH";
  }
}

/** Budgets per effort for 2.5 models (Flash tops out at 24576, Pro at 32768 and cannot switch thinking off). */
const BUDGETS: Record<ReasoningEffort, number> = { none: 0, minimal: 512, low: 1024, medium: 8192, high: 24576, xhigh: 32768 };

function budgetFor(effort: ReasoningEffort, pro: boolean): number {
  const budget = BUDGETS[effort];
  if (pro) return budget === 0 ? 128 : budget;
  return Math.min(budget, 24576);
}

function clampBudget(budget: number, model: string, pro: boolean): number {
  if (budget < 0) return budget;
  if (pro && model.includes("2.5")) return Math.min(Math.max(budget, 128), 32768);
  if (model.includes("2.5")) return Math.min(budget, 24576);
  return budget;
}
