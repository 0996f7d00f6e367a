import type { AssistantPart } from "./content.ts";
import type { Extras } from "./extras.ts";

/**
 * Token usage with OpenAI semantics: `inputTokens` includes cached tokens (read and written),
 * `outputTokens` includes reasoning tokens. Decoders of formats that count otherwise (Anthropic
 * reports cache reads and writes apart from input) convert.
 */
export interface Usage {
  inputTokens: number;
  outputTokens: number;
  /** Input tokens served from the provider's cache. */
  cacheReadTokens?: number;
  /** Input tokens written to the provider's cache (Anthropic/Bedrock cache creation). */
  cacheWriteTokens?: number;
  reasoningTokens?: number;
  totalTokens?: number;
  extras?: Extras;
}

/** Why generation stopped, in Chat Completions terms; `native` keeps the provider's own word. */
export type FinishReason = "stop" | "length" | "tool_calls" | "content_filter" | "error" | "other";

export interface Finish {
  reason: FinishReason;
  /** The provider's reason as it said it (`end_turn`, `MAX_TOKENS`, `pause_turn`, …). */
  native?: string;
  /** The stop sequence that ended generation, when the provider says which. */
  stopSequence?: string;
}

export interface CanonicalResponse {
  id: string;
  model: string;
  /** Unix seconds. */
  created?: number;
  content: AssistantPart[];
  finish: Finish;
  usage?: Usage;
  extras?: Extras;
}

export function totalTokens(usage: Usage): number {
  return usage.totalTokens ?? usage.inputTokens + usage.outputTokens;
}
