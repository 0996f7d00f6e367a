import type { Usage } from "../../canonical/response.ts";
import type { TokenCounts } from "./token-cost.ts";

/** Billable units beyond tokens, in the price package's usage keys. */
export interface ExtraUnits {
  web_searches?: number;
  cache_write_1h_tokens?: number;
}

/**
 * What the provider bills, from the canonical usage. Usually the tokens themselves; where a
 * format reports billing apart from counting, its decoder keeps that in the usage extras:
 * Cohere's `billed_units` (cached tokens are not billed, so they differ from `tokens`),
 * Anthropic's server-side web searches (per thousand) and one-hour cache writes (dearer than
 * five-minute ones).
 */
export function billableUsage(u: Usage): { tokens: TokenCounts; extra?: ExtraUnits } {
  const billed = u.extras?.cohere?.billed_units as { input_tokens?: unknown; output_tokens?: unknown } | undefined;
  if (billed) {
    const input = nonNegative(billed.input_tokens);
    const output = nonNegative(billed.output_tokens);
    return { tokens: { input, output, cacheRead: 0, cacheWrite: 0, reasoning: 0 } };
  }
  const tokens = tokenCounts(u);
  const a = u.extras?.anthropic;
  if (!a) return { tokens };
  const searches = nonNegative((a.server_tool_use as { web_search_requests?: unknown } | undefined)?.web_search_requests);
  const hour = Math.min(nonNegative((a.cache_creation as { ephemeral_1h_input_tokens?: unknown } | undefined)?.ephemeral_1h_input_tokens), tokens.cacheWrite);
  if (!searches && !hour) return { tokens };
  const extra: ExtraUnits = {};
  if (searches) extra.web_searches = searches;
  if (hour) extra.cache_write_1h_tokens = hour;
  return { tokens, extra };
}

/** Canonical usage as the price package counts it: cache partitions within the input, never above it. */
export function tokenCounts(u: Usage): TokenCounts {
  const input = nonNegative(u.inputTokens);
  const cacheRead = Math.min(nonNegative(u.cacheReadTokens), input);
  const output = nonNegative(u.outputTokens);
  return {
    input,
    output,
    cacheRead,
    cacheWrite: Math.min(nonNegative(u.cacheWriteTokens), input - cacheRead),
    reasoning: Math.min(nonNegative(u.reasoningTokens), output),
  };
}

function nonNegative(n: unknown): number {
  return typeof n === "number" && Number.isFinite(n) && n > 0 ? n : 0;
}
