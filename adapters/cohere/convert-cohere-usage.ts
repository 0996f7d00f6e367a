import type { JsonObject } from "../../src/canonical/extras.ts";
import type { Usage } from "../../src/canonical/response.ts";
import type { CohereUsage } from "./cohere-api-types.ts";
import { cohereExtras, cohereOf, nativeRest, spreadNative } from "./cohere-extras.ts";

const KNOWN = new Set(["tokens", "cached_tokens"]);

/**
 * Cohere usage in OpenAI semantics. `tokens` counts what the model processed and already includes
 * `cached_tokens` and thinking, which is exactly OpenAI's prompt/completion meaning; it is larger
 * than `billed_units` (Cohere does not bill its own system preamble). `billed_units` — what the
 * account is charged — travels verbatim in `extras.cohere` for cost accounting.
 */
export function decodeCohereUsage(usage: CohereUsage): Usage {
  const tokens = usage.tokens;
  const billed = usage.billed_units;
  const out: Usage = {
    inputTokens: num(tokens?.input_tokens) ?? num(billed?.input_tokens) ?? 0,
    outputTokens: num(tokens?.output_tokens) ?? num(billed?.output_tokens) ?? 0,
  };
  if (typeof usage.cached_tokens === "number") out.cacheReadTokens = usage.cached_tokens;
  const extras = cohereExtras(nativeRest(usage as JsonObject, KNOWN), tokens === undefined ? { $noTokens: true } : undefined);
  if (extras) out.extras = extras;
  return out;
}

/** Canonical usage as Cohere reports it (billed units only when Cohere reported them). */
export function encodeCohereUsage(usage: Usage): CohereUsage {
  const kept = cohereOf(usage);
  const out = spreadNative<CohereUsage>({}, kept);
  if (kept.$noTokens === undefined) out.tokens = { input_tokens: usage.inputTokens, output_tokens: usage.outputTokens };
  if (usage.cacheReadTokens !== undefined) out.cached_tokens = usage.cacheReadTokens;
  return out;
}

function num(v: unknown): number | undefined {
  return typeof v === "number" ? v : undefined;
}
