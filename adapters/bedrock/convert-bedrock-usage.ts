import { extrasFor, extrasOf, restOf } from "../../src/canonical/extras.ts";
import type { Usage } from "../../src/canonical/response.ts";
import type { BedrockTokenUsage } from "./bedrock-wire-types.ts";

const KNOWN = new Set(["inputTokens", "outputTokens", "totalTokens", "cacheReadInputTokens", "cacheWriteInputTokens"]);

/**
 * Bedrock counts like Anthropic: `inputTokens` excludes the tokens read from and written to the
 * prompt cache, which come apart in `cacheReadInputTokens` / `cacheWriteInputTokens`, and
 * `totalTokens` includes them all. Canonical input includes both, so they are added on decode and
 * taken off on encode. Other fields (`cacheReadInputTokenCount`, `serverToolUsage`, `cacheDetails`)
 * travel as extras.
 */
export function decodeBedrockUsage(u: BedrockTokenUsage): Usage {
  const read = num(u.cacheReadInputTokens);
  const write = num(u.cacheWriteInputTokens);
  const usage: Usage = {
    inputTokens: num(u.inputTokens) + read + write,
    outputTokens: num(u.outputTokens),
  };
  if (u.cacheReadInputTokens !== undefined) usage.cacheReadTokens = read;
  if (u.cacheWriteInputTokens !== undefined) usage.cacheWriteTokens = write;
  if (u.totalTokens !== undefined) usage.totalTokens = num(u.totalTokens);
  const extras = extrasFor("bedrock", restOf(u, KNOWN));
  if (extras) usage.extras = extras;
  return usage;
}

export function encodeBedrockUsage(usage: Usage): BedrockTokenUsage {
  const read = usage.cacheReadTokens ?? 0;
  const write = usage.cacheWriteTokens ?? 0;
  const out: BedrockTokenUsage = {
    ...extrasOf(usage, "bedrock"),
    inputTokens: Math.max(0, usage.inputTokens - read - write),
    outputTokens: usage.outputTokens,
    totalTokens: usage.totalTokens ?? usage.inputTokens + usage.outputTokens,
  };
  if (usage.cacheReadTokens !== undefined) out.cacheReadInputTokens = read;
  if (usage.cacheWriteTokens !== undefined) out.cacheWriteInputTokens = write;
  return out;
}

/** An absent or non-numeric count is 0 rather than NaN. */
function num(v: unknown): number {
  return typeof v === "number" && Number.isFinite(v) ? v : 0;
}
