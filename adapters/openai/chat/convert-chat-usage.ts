import type { CompletionUsage } from "openai/resources/completions";
import type { JsonObject } from "../../../src/canonical/extras.ts";
import type { Usage } from "../../../src/canonical/response.ts";
import { chatExtrasOf, copyNative, isObject, restExcept, withChatExtras } from "./chat-extras.ts";

/** Hint: `cacheReadTokens` came from DeepSeek's `prompt_cache_hit_tokens`, not `cached_tokens`. */
const FROM_HIT = "$cacheFromHit";
const PROMPT_TAKEN = ["cached_tokens", "cache_write_tokens"];
const COMPLETION_TAKEN = ["reasoning_tokens"];
const TOP_TAKEN = ["prompt_tokens", "completion_tokens", "total_tokens", "prompt_tokens_details", "completion_tokens_details"];

/**
 * Chat usage in canonical (OpenAI) semantics. Provider variants: DeepSeek reports cache hits as
 * `prompt_cache_hit_tokens`; xAI leaves reasoning out of `completion_tokens` but counts it in
 * `total_tokens`, so its reasoning is added to the output (and `completion_tokens` kept to write
 * the xAI form back); Groq's timing fields and everything else stay in extras.
 */
export function decodeChatUsage(u: JsonObject): Usage {
  const input = num(u.prompt_tokens) ?? 0;
  const completion = num(u.completion_tokens) ?? 0;
  const total = num(u.total_tokens);
  const pd = isObject(u.prompt_tokens_details) ? u.prompt_tokens_details : undefined;
  const cd = isObject(u.completion_tokens_details) ? u.completion_tokens_details : undefined;
  const cached = num(pd?.cached_tokens);
  const written = num(pd?.cache_write_tokens);
  const reasoning = num(cd?.reasoning_tokens);
  const hit = cached === undefined ? num(u.prompt_cache_hit_tokens) : undefined;

  let rest = restExcept(u, TOP_TAKEN);
  for (const key of ["prompt_tokens", "completion_tokens", "total_tokens"]) {
    if (key in u && num(u[key]) === undefined) (rest ??= {})[key] = u[key];
  }
  rest = keepDetails(rest, u, "prompt_tokens_details", pd, PROMPT_TAKEN);
  rest = keepDetails(rest, u, "completion_tokens_details", cd, COMPLETION_TAKEN);

  const xaiStyle = reasoning !== undefined && reasoning > 0 && total === input + completion + reasoning;
  if (xaiStyle) (rest ??= {}).completion_tokens = completion;
  if (hit !== undefined) (rest ??= {})[FROM_HIT] = true;

  const usage: Usage = { inputTokens: input, outputTokens: xaiStyle ? completion + reasoning : completion };
  if (total !== undefined) usage.totalTokens = total;
  if (cached !== undefined || hit !== undefined) usage.cacheReadTokens = cached ?? hit;
  if (written !== undefined) usage.cacheWriteTokens = written;
  if (reasoning !== undefined) usage.reasoningTokens = reasoning;
  return withChatExtras(usage, rest);
}

/**
 * Usage in OpenAI form. `own`: the usage was decoded from Chat, so the details objects appear
 * exactly where they were; otherwise the standard form with both details objects.
 */
export function encodeChatUsage(usage: Usage, own: boolean): CompletionUsage & JsonObject {
  const ex = own ? chatExtrasOf(usage) : undefined;
  const out = copyNative(ex, {}) as CompletionUsage & JsonObject;
  const reasoning = usage.reasoningTokens;
  out.prompt_tokens = usage.inputTokens;
  out.completion_tokens = ex !== undefined && "completion_tokens" in ex ? usage.outputTokens - (reasoning ?? 0) : usage.outputTokens;
  out.total_tokens = usage.totalTokens ?? usage.inputTokens + usage.outputTokens;
  if (!own) {
    out.prompt_tokens_details = { cached_tokens: usage.cacheReadTokens ?? 0 };
    if (usage.cacheWriteTokens !== undefined) (out.prompt_tokens_details as JsonObject).cache_write_tokens = usage.cacheWriteTokens;
    out.completion_tokens_details = { reasoning_tokens: reasoning ?? 0 };
    return out;
  }
  const cacheRead = ex?.[FROM_HIT] ? undefined : usage.cacheReadTokens;
  if (cacheRead !== undefined || usage.cacheWriteTokens !== undefined) {
    const pd: JsonObject = { ...(isObject(ex?.prompt_tokens_details) ? ex.prompt_tokens_details : undefined) };
    if (cacheRead !== undefined) pd.cached_tokens = cacheRead;
    if (usage.cacheWriteTokens !== undefined) pd.cache_write_tokens = usage.cacheWriteTokens;
    out.prompt_tokens_details = pd;
  }
  if (reasoning !== undefined) {
    out.completion_tokens_details = { ...(isObject(ex?.completion_tokens_details) ? ex.completion_tokens_details : undefined), reasoning_tokens: reasoning };
  }
  return out;
}

/** Puts a details object's unexpressed fields in `rest`: verbatim when none was expressed, else what is left. */
function keepDetails(rest: JsonObject | undefined, u: JsonObject, key: string, details: JsonObject | undefined, taken: readonly string[]): JsonObject | undefined {
  if (!(key in u)) return rest;
  if (details === undefined) return { ...rest, [key]: u[key] };
  const left = restExcept(details, taken.filter((k) => num(details[k]) !== undefined));
  if (left === undefined && taken.some((k) => num(details[k]) !== undefined)) return rest;
  return { ...rest, [key]: left ?? details };
}

function num(v: unknown): number | undefined {
  return typeof v === "number" ? v : undefined;
}
