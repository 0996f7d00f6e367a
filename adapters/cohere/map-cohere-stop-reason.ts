import type { Finish, FinishReason } from "../../src/canonical/response.ts";
import type { CohereFinishReason } from "./cohere-api-types.ts";

/**
 * Cohere `finish_reason` <-> the canonical (Chat) vocabulary. TIMEOUT ("stopped because it
 * exceeded the allowed time limit") leaves a truncated answer, which is what `length` tells an
 * OpenAI client; the native word is kept so a Cohere client still sees TIMEOUT.
 */
const TO_CANONICAL: Record<CohereFinishReason, FinishReason> = {
  COMPLETE: "stop",
  STOP_SEQUENCE: "stop",
  MAX_TOKENS: "length",
  TOOL_CALL: "tool_calls",
  ERROR: "error",
  TIMEOUT: "length",
};

/** Cohere has no content-filter reason: a refusal is a complete message. */
const FROM_CANONICAL: Record<FinishReason, CohereFinishReason> = {
  stop: "COMPLETE",
  length: "MAX_TOKENS",
  tool_calls: "TOOL_CALL",
  content_filter: "COMPLETE",
  error: "ERROR",
  other: "COMPLETE",
};

export function mapCohereStopReason(reason: string | undefined): Finish {
  if (reason === undefined) return { reason: "stop" };
  const mapped = TO_CANONICAL[reason as CohereFinishReason] as FinishReason | undefined;
  return { reason: mapped ?? "other", native: reason };
}

/**
 * The Cohere word for a finish. The native word is reused only when it is Cohere's and means the
 * same (Gemini's `MAX_TOKENS` qualifies; Anthropic's `end_turn` does not).
 */
export function toCohereStopReason(finish: Finish): CohereFinishReason {
  const native = finish.native as CohereFinishReason | undefined;
  if (native !== undefined && TO_CANONICAL[native] === finish.reason) return native;
  if (finish.reason === "stop" && finish.stopSequence !== undefined) return "STOP_SEQUENCE";
  return FROM_CANONICAL[finish.reason] ?? "COMPLETE";
}
