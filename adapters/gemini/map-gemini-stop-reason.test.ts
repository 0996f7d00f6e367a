import { test } from "node:test";
import assert from "node:assert/strict";
import { mapGeminiBlockReason, mapGeminiStopReason, toGeminiFinishReason } from "./map-gemini-stop-reason.ts";

test("Gemini finish reasons map to Chat terms and keep the native word", () => {
  assert.deepEqual(mapGeminiStopReason("STOP", false), { reason: "stop", native: "STOP" });
  assert.deepEqual(mapGeminiStopReason("STOP", true), { reason: "tool_calls", native: "STOP" });
  assert.deepEqual(mapGeminiStopReason("MAX_TOKENS", true), { reason: "length", native: "MAX_TOKENS" });
  for (const r of ["SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII", "IMAGE_SAFETY"]) {
    assert.equal(mapGeminiStopReason(r, false).reason, "content_filter", r);
  }
  assert.equal(mapGeminiStopReason("MALFORMED_FUNCTION_CALL", false).reason, "error");
  assert.equal(mapGeminiStopReason("OTHER", false).reason, "other");
  assert.deepEqual(mapGeminiStopReason("SOMETHING_NEW", false), { reason: "other", native: "SOMETHING_NEW" });
  assert.deepEqual(mapGeminiBlockReason("PROHIBITED_CONTENT"), { reason: "content_filter", native: "PROHIBITED_CONTENT" });
});

test("encoding writes Gemini's own word back and maps other formats' reasons", () => {
  assert.equal(toGeminiFinishReason({ reason: "tool_calls", native: "STOP" }), "STOP");
  assert.equal(toGeminiFinishReason({ reason: "content_filter", native: "RECITATION" }), "RECITATION");
  assert.equal(toGeminiFinishReason({ reason: "stop", native: "end_turn" }), "STOP");
  assert.equal(toGeminiFinishReason({ reason: "tool_calls", native: "tool_use" }), "STOP");
  assert.equal(toGeminiFinishReason({ reason: "length", native: "max_tokens" }), "MAX_TOKENS");
  assert.equal(toGeminiFinishReason({ reason: "content_filter" }), "SAFETY");
  assert.equal(toGeminiFinishReason({ reason: "other", native: "pause_turn" }), "OTHER");
});
