import assert from "node:assert/strict";
import { test } from "node:test";
import { mapCohereStopReason, toCohereStopReason } from "./map-cohere-stop-reason.ts";

test("every documented Cohere finish reason maps to the Chat vocabulary, native kept", () => {
  const table: Array<[string, string]> = [
    ["COMPLETE", "stop"],
    ["STOP_SEQUENCE", "stop"],
    ["MAX_TOKENS", "length"],
    ["TOOL_CALL", "tool_calls"],
    ["ERROR", "error"],
    ["TIMEOUT", "length"],
  ];
  for (const [native, reason] of table) {
    const finish = mapCohereStopReason(native);
    assert.deepEqual(finish, { reason, native });
    assert.equal(toCohereStopReason(finish), native, `${native} survives the round trip`);
  }
});

test("an unknown reason is `other` with the word kept; a missing one is stop", () => {
  assert.deepEqual(mapCohereStopReason("USER_CANCEL"), { reason: "other", native: "USER_CANCEL" });
  assert.deepEqual(mapCohereStopReason(undefined), { reason: "stop" });
});

test("other formats' finishes map by reason, reusing a native word only when it means the same", () => {
  assert.equal(toCohereStopReason({ reason: "stop", native: "end_turn" }), "COMPLETE");
  assert.equal(toCohereStopReason({ reason: "stop", native: "stop_sequence", stopSequence: "###" }), "STOP_SEQUENCE");
  assert.equal(toCohereStopReason({ reason: "length", native: "max_tokens" }), "MAX_TOKENS");
  assert.equal(toCohereStopReason({ reason: "length", native: "MAX_TOKENS" }), "MAX_TOKENS");
  assert.equal(toCohereStopReason({ reason: "tool_calls", native: "tool_use" }), "TOOL_CALL");
  assert.equal(toCohereStopReason({ reason: "content_filter", native: "refusal" }), "COMPLETE");
  assert.equal(toCohereStopReason({ reason: "other", native: "pause_turn" }), "COMPLETE");
  assert.equal(toCohereStopReason({ reason: "error" }), "ERROR");
  // A Cohere word that contradicts the canonical reason (a stage changed it) loses.
  assert.equal(toCohereStopReason({ reason: "tool_calls", native: "COMPLETE" }), "TOOL_CALL");
});
