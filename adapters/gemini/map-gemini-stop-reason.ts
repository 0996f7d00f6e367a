import type { Finish, FinishReason } from "../../src/canonical/response.ts";

/**
 * Gemini `finishReason` (and `promptFeedback.blockReason`) in Chat Completions terms. STOP means
 * tool_calls when the turn holds function calls: Gemini has no reason of its own for that.
 */
const FROM_GEMINI: Record<string, FinishReason> = {
  STOP: "stop",
  MAX_TOKENS: "length",
  // Generation hit the per-request limit; a continuation token may resume it.
  CONTINUATION: "length",
  SAFETY: "content_filter",
  RECITATION: "content_filter",
  BLOCKLIST: "content_filter",
  PROHIBITED_CONTENT: "content_filter",
  SPII: "content_filter",
  IMAGE_SAFETY: "content_filter",
  IMAGE_PROHIBITED_CONTENT: "content_filter",
  IMAGE_RECITATION: "content_filter",
  MODEL_ARMOR: "content_filter",
  JAILBREAK: "content_filter",
  MALFORMED_FUNCTION_CALL: "error",
  UNEXPECTED_TOOL_CALL: "error",
  TOO_MANY_TOOL_CALLS: "error",
  MALFORMED_RESPONSE: "error",
  LANGUAGE: "other",
  NO_IMAGE: "other",
  IMAGE_OTHER: "other",
  OTHER: "other",
  FINISH_REASON_UNSPECIFIED: "other",
};

const TO_GEMINI: Record<FinishReason, string> = {
  stop: "STOP",
  tool_calls: "STOP",
  length: "MAX_TOKENS",
  content_filter: "SAFETY",
  error: "OTHER",
  other: "OTHER",
};

export function mapGeminiStopReason(native: string, hasToolCalls: boolean): Finish {
  const reason = FROM_GEMINI[native] ?? "other";
  return { reason: reason === "stop" && hasToolCalls ? "tool_calls" : reason, native };
}

/** A blocked prompt (`promptFeedback.blockReason`, no candidates): always a content filter. */
export function mapGeminiBlockReason(blockReason: string): Finish {
  return { reason: "content_filter", native: blockReason };
}

/** The finishReason to write: the native word when it is Gemini's own, else mapped from the reason. */
export function toGeminiFinishReason(finish: Finish): string {
  return finish.native !== undefined && finish.native in FROM_GEMINI ? finish.native : TO_GEMINI[finish.reason];
}

export function isGeminiFinishReason(value: string): boolean {
  return value in FROM_GEMINI;
}
