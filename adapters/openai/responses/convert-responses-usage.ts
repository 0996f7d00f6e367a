import type { JsonObject } from "../../../src/canonical/extras.ts";
import type { Usage } from "../../../src/canonical/response.ts";
import { isObject, RESPONSES } from "./responses-extras.ts";

/**
 * Responses usage already has canonical (OpenAI) semantics: input includes cached tokens, output
 * includes reasoning. The details objects' other fields are kept; their presence is remembered
 * (usage decoded here always has extras, possibly empty), so the same body comes back.
 */
export function decodeResponsesUsage(u: JsonObject): Usage {
  const usage: Usage = { inputTokens: num(u.input_tokens), outputTokens: num(u.output_tokens) };
  const extras: JsonObject = {};
  for (const key in u) {
    const v = u[key];
    switch (key) {
      case "input_tokens":
      case "output_tokens":
        if (typeof v !== "number") extras[key] = v;
        break;
      case "total_tokens":
        if (typeof v === "number") usage.totalTokens = v;
        else extras[key] = v;
        break;
      case "input_tokens_details":
        extras[key] = details(v, (k, n) => {
          if (k === "cached_tokens") usage.cacheReadTokens = n;
          else if (k === "cache_write_tokens") usage.cacheWriteTokens = n;
          else return false;
          return true;
        });
        break;
      case "output_tokens_details":
        extras[key] = details(v, (k, n) => {
          if (k !== "reasoning_tokens") return false;
          usage.reasoningTokens = n;
          return true;
        });
        break;
      default:
        extras[key] = v;
    }
  }
  usage.extras = { [RESPONSES]: extras };
  return usage;
}

/** The fields of a details object that `take` does not claim (a non-object is kept whole). */
function details(v: unknown, take: (key: string, n: number) => boolean): unknown {
  if (!isObject(v)) return v;
  const rest: JsonObject = {};
  for (const key in v) {
    const n = v[key];
    if (typeof n !== "number" || !take(key, n)) rest[key] = n;
  }
  return rest;
}

function num(v: unknown): number {
  return typeof v === "number" ? v : 0;
}

export function encodeResponsesUsage(usage: Usage): JsonObject {
  const x = usage.extras?.[RESPONSES];
  if (!x) {
    const input: JsonObject = { cached_tokens: usage.cacheReadTokens ?? 0 };
    if (usage.cacheWriteTokens !== undefined) input.cache_write_tokens = usage.cacheWriteTokens;
    return {
      input_tokens: usage.inputTokens,
      input_tokens_details: input,
      output_tokens: usage.outputTokens,
      output_tokens_details: { reasoning_tokens: usage.reasoningTokens ?? 0 },
      total_tokens: usage.totalTokens ?? usage.inputTokens + usage.outputTokens,
    };
  }
  const out: JsonObject = { input_tokens: usage.inputTokens, output_tokens: usage.outputTokens };
  for (const key in x) {
    const v = x[key];
    if (key === "input_tokens_details" && isObject(v)) {
      const d: JsonObject = { ...v };
      if (usage.cacheReadTokens !== undefined) d.cached_tokens = usage.cacheReadTokens;
      if (usage.cacheWriteTokens !== undefined) d.cache_write_tokens = usage.cacheWriteTokens;
      out[key] = d;
    } else if (key === "output_tokens_details" && isObject(v)) {
      out[key] = usage.reasoningTokens === undefined ? { ...v } : { ...v, reasoning_tokens: usage.reasoningTokens };
    } else out[key] = v;
  }
  if (usage.totalTokens !== undefined) out.total_tokens = usage.totalTokens;
  return out;
}
