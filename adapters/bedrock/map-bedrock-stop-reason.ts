import type { StopReason } from "@aws-sdk/client-bedrock-runtime";
import type { Finish, FinishReason } from "../../src/canonical/response.ts";

/** Bedrock's stop reasons in the Chat vocabulary. */
const TO_CANONICAL: Record<StopReason, FinishReason> = {
  end_turn: "stop",
  stop_sequence: "stop",
  max_tokens: "length",
  model_context_window_exceeded: "length",
  tool_use: "tool_calls",
  guardrail_intervened: "content_filter",
  content_filtered: "content_filter",
  malformed_model_output: "error",
  malformed_tool_use: "error",
};

/** The Bedrock word for each canonical reason, for answers that came from another format. */
const FROM_CANONICAL: Record<FinishReason, StopReason> = {
  stop: "end_turn",
  length: "max_tokens",
  tool_calls: "tool_use",
  content_filter: "content_filtered",
  error: "malformed_model_output",
  other: "end_turn",
};

export function mapBedrockStopReason(native: string | undefined): FinishReason {
  return native !== undefined && Object.hasOwn(TO_CANONICAL, native) ? TO_CANONICAL[native as StopReason] : "other";
}

/**
 * The stop reason to write: the native word when the finish came from Bedrock (or uses a word
 * Bedrock shares, like Anthropic's end_turn), else the mapped one.
 */
export function bedrockStopReasonFor(finish: Finish): string {
  if (finish.native !== undefined && Object.hasOwn(TO_CANONICAL, finish.native)) return finish.native;
  return FROM_CANONICAL[finish.reason] ?? "end_turn";
}
