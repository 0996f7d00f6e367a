import assert from "node:assert/strict";
import { test } from "node:test";
import { decodeChatFinishReason, encodeChatFinishReason } from "./map-chat-finish-reason.ts";

test("OpenAI's finish reasons map to the canonical vocabulary and keep their word", () => {
  assert.deepEqual(decodeChatFinishReason("stop"), { reason: "stop", native: "stop" });
  assert.deepEqual(decodeChatFinishReason("length"), { reason: "length", native: "length" });
  assert.deepEqual(decodeChatFinishReason("tool_calls"), { reason: "tool_calls", native: "tool_calls" });
  assert.deepEqual(decodeChatFinishReason("content_filter"), { reason: "content_filter", native: "content_filter" });
  assert.deepEqual(decodeChatFinishReason("function_call"), { reason: "tool_calls", native: "function_call" });
});

test("provider variants map, unknown words become other with the word kept", () => {
  assert.equal(decodeChatFinishReason("model_length").reason, "length");
  assert.equal(decodeChatFinishReason("error").reason, "error");
  assert.equal(decodeChatFinishReason("end_turn").reason, "stop");
  assert.deepEqual(decodeChatFinishReason("abort"), { reason: "other", native: "abort" });
});

test("own words are written back as they were; other formats get only OpenAI's words", () => {
  assert.equal(encodeChatFinishReason({ reason: "other", native: "abort" }, true), "abort");
  assert.equal(encodeChatFinishReason({ reason: "length", native: "model_length" }, true), "model_length");
  assert.equal(encodeChatFinishReason({ reason: "stop", native: "end_turn" }, false), "stop");
  assert.equal(encodeChatFinishReason({ reason: "tool_calls", native: "tool_use" }, false), "tool_calls");
  assert.equal(encodeChatFinishReason({ reason: "length", native: "MAX_TOKENS" }, false), "length");
  assert.equal(encodeChatFinishReason({ reason: "content_filter", native: "refusal" }, false), "content_filter");
  assert.equal(encodeChatFinishReason({ reason: "other", native: "pause_turn" }, false), "stop");
  assert.equal(encodeChatFinishReason({ reason: "error" }, false), "stop");
});
