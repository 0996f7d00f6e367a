import type { Finish, FinishReason } from "../../../src/canonical/response.ts";

/**
 * Chat `finish_reason` words and what they mean. OpenAI sends the first five; the rest are what
 * OpenAI-wire providers send instead (Mistral `model_length` and `error`, gateways that pass
 * Anthropic's words through). Anything else is `other`, its word kept in `native`.
 */
const DECODE: Record<string, FinishReason> = {
  stop: "stop",
  length: "length",
  tool_calls: "tool_calls",
  content_filter: "content_filter",
  function_call: "tool_calls",
  model_length: "length",
  end_turn: "stop",
  stop_sequence: "stop",
  eos: "stop",
  max_tokens: "length",
  tool_use: "tool_calls",
  error: "error",
};

/** Only OpenAI's own words go to a Chat client: strict parsers reject the rest. */
const ENCODE: Record<FinishReason, string> = {
  stop: "stop",
  length: "length",
  tool_calls: "tool_calls",
  content_filter: "content_filter",
  error: "stop",
  other: "stop",
};

export function decodeChatFinishReason(value: string): Finish {
  return { reason: DECODE[value] ?? "other", native: value };
}

/** The word for a finish decoded from Chat (its own word) or from another format (mapped). */
export function encodeChatFinishReason(finish: Finish, own: boolean): string {
  return own && finish.native !== undefined ? finish.native : ENCODE[finish.reason];
}
