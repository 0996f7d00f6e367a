import type { StopReason } from "@anthropic-ai/sdk/resources/messages";
import type { Finish, FinishReason } from "../../src/canonical/response.ts";

/**
 * The one table between Anthropic stop reasons and the canonical (Chat) vocabulary.
 * `model_context_window_exceeded` is a length stop: the output was cut by the context window.
 */
const TO_CANONICAL: Record<StopReason, FinishReason> = {
  end_turn: "stop",
  stop_sequence: "stop",
  max_tokens: "length",
  model_context_window_exceeded: "length",
  tool_use: "tool_calls",
  refusal: "content_filter",
  pause_turn: "other",
};

const FROM_CANONICAL: Record<FinishReason, StopReason> = {
  stop: "end_turn",
  length: "max_tokens",
  tool_calls: "tool_use",
  content_filter: "refusal",
  error: "end_turn",
  other: "end_turn",
};

export function isAnthropicStopReason(value: unknown): value is StopReason {
  return typeof value === "string" && Object.hasOwn(TO_CANONICAL, value);
}

/** The canonical finish for an Anthropic `stop_reason` (and the stop sequence that ended it). */
export function mapAnthropicStopReason(stopReason: unknown, stopSequence?: unknown): Finish {
  const reason = isAnthropicStopReason(stopReason) ? TO_CANONICAL[stopReason] : "other";
  const finish: Finish = { reason };
  if (typeof stopReason === "string") finish.native = stopReason;
  if (typeof stopSequence === "string") finish.stopSequence = stopSequence;
  return finish;
}

/**
 * The Anthropic `stop_reason` for a canonical finish. The provider's own word is used when it is
 * an Anthropic stop reason (Bedrock's `end_turn` and `tool_use` are); otherwise it is mapped.
 */
export function toAnthropicStopReason(finish: Finish): StopReason {
  if (isAnthropicStopReason(finish.native)) return finish.native;
  if (finish.reason === "stop" && finish.stopSequence !== undefined) return "stop_sequence";
  return FROM_CANONICAL[finish.reason] ?? "end_turn";
}
