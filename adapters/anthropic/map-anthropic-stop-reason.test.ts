import assert from "node:assert/strict";
import { test } from "node:test";
import { isAnthropicStopReason, mapAnthropicStopReason, toAnthropicStopReason } from "./map-anthropic-stop-reason.ts";

test("maps every Anthropic stop reason to the Chat vocabulary, keeping the native word", () => {
  assert.deepEqual(mapAnthropicStopReason("end_turn"), { reason: "stop", native: "end_turn" });
  assert.deepEqual(mapAnthropicStopReason("stop_sequence", "###"), { reason: "stop", native: "stop_sequence", stopSequence: "###" });
  assert.deepEqual(mapAnthropicStopReason("max_tokens", null), { reason: "length", native: "max_tokens" });
  assert.deepEqual(mapAnthropicStopReason("model_context_window_exceeded"), { reason: "length", native: "model_context_window_exceeded" });
  assert.deepEqual(mapAnthropicStopReason("tool_use"), { reason: "tool_calls", native: "tool_use" });
  assert.deepEqual(mapAnthropicStopReason("refusal"), { reason: "content_filter", native: "refusal" });
  assert.deepEqual(mapAnthropicStopReason("pause_turn"), { reason: "other", native: "pause_turn" });
});

test("an unknown or missing stop reason is other, never a crash", () => {
  assert.deepEqual(mapAnthropicStopReason("brand_new_reason"), { reason: "other", native: "brand_new_reason" });
  assert.deepEqual(mapAnthropicStopReason(null), { reason: "other" });
  assert.deepEqual(mapAnthropicStopReason(undefined), { reason: "other" });
  assert.equal(isAnthropicStopReason("toString"), false);
});

test("encodes canonical finishes back, preferring the native word when it is Anthropic's", () => {
  assert.equal(toAnthropicStopReason({ reason: "other", native: "pause_turn" }), "pause_turn");
  assert.equal(toAnthropicStopReason({ reason: "stop", native: "end_turn" }), "end_turn");
  assert.equal(toAnthropicStopReason({ reason: "stop", native: "STOP" }), "end_turn"); // Gemini's word is not ours
  assert.equal(toAnthropicStopReason({ reason: "stop", stopSequence: "\n\n" }), "stop_sequence");
  assert.equal(toAnthropicStopReason({ reason: "length", native: "MAX_TOKENS" }), "max_tokens");
  assert.equal(toAnthropicStopReason({ reason: "tool_calls" }), "tool_use");
  assert.equal(toAnthropicStopReason({ reason: "content_filter", native: "guardrail_intervened" }), "refusal");
  assert.equal(toAnthropicStopReason({ reason: "error" }), "end_turn");
});
