import type { GenerateContentResponseUsageMetadata } from "@google/genai";
import { extrasFor, extrasOf, restOf, type JsonObject } from "../../src/canonical/extras.ts";
import type { Usage } from "../../src/canonical/response.ts";

/**
 * Gemini usageMetadata <-> canonical usage (OpenAI semantics). Gemini's total is
 * prompt + candidates + toolUsePrompt + thoughts, and promptTokenCount already includes cached
 * content, so: input = prompt + toolUsePrompt (tool results Gemini fed itself are billed as input),
 * output = candidates + thoughts, cache read = cachedContentTokenCount, reasoning = thoughts.
 * Counts of zero are omitted on encode, as proto3 JSON does on the wire.
 */
const COUNTED = new Set([
  "promptTokenCount",
  "candidatesTokenCount",
  "thoughtsTokenCount",
  "cachedContentTokenCount",
  "toolUsePromptTokenCount",
  "totalTokenCount",
]);

/** Vertex stream chunks carry `usageMetadata: {trafficType}` only: no counts, no usage yet. */
export function hasTokenCounts(meta: GenerateContentResponseUsageMetadata): boolean {
  for (const key in meta) if (COUNTED.has(key)) return true;
  return false;
}

export function decodeGeminiUsage(meta: GenerateContentResponseUsageMetadata): Usage {
  const toolUse = meta.toolUsePromptTokenCount ?? 0;
  const thoughts = meta.thoughtsTokenCount;
  const usage: Usage = {
    inputTokens: (meta.promptTokenCount ?? 0) + toolUse,
    outputTokens: (meta.candidatesTokenCount ?? 0) + (thoughts ?? 0),
  };
  if (meta.cachedContentTokenCount !== undefined) usage.cacheReadTokens = meta.cachedContentTokenCount;
  if (thoughts !== undefined) usage.reasoningTokens = thoughts;
  if (meta.totalTokenCount !== undefined) usage.totalTokens = meta.totalTokenCount;
  // toolUsePromptTokenCount has no canonical field of its own (it is folded into input), so the
  // encoder needs it back to split input again.
  let rest = restOf(meta as JsonObject, COUNTED);
  if (meta.toolUsePromptTokenCount !== undefined) rest = { ...rest, toolUsePromptTokenCount: toolUse };
  const extras = extrasFor("gemini", rest);
  if (extras) usage.extras = extras;
  return usage;
}

export function encodeGeminiUsage(usage: Usage): GenerateContentResponseUsageMetadata {
  const rest = extrasOf(usage, "gemini") as GenerateContentResponseUsageMetadata;
  const toolUse = rest.toolUsePromptTokenCount ?? 0;
  const reasoning = usage.reasoningTokens ?? 0;
  const meta: GenerateContentResponseUsageMetadata = { ...rest };
  const prompt = usage.inputTokens - toolUse;
  const candidates = usage.outputTokens - reasoning;
  const total = usage.totalTokens ?? usage.inputTokens + usage.outputTokens;
  if (prompt > 0) meta.promptTokenCount = prompt;
  if (candidates > 0) meta.candidatesTokenCount = candidates;
  if (reasoning > 0) meta.thoughtsTokenCount = reasoning;
  if (usage.cacheReadTokens) meta.cachedContentTokenCount = usage.cacheReadTokens;
  if (total > 0) meta.totalTokenCount = total;
  return meta;
}
