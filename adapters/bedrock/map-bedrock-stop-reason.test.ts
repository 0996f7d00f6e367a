import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { bedrockStopReasonFor, mapBedrockStopReason } from "./map-bedrock-stop-reason.ts";

describe("map-bedrock-stop-reason", () => {
  it("maps every Bedrock stop reason", () => {
    assert.equal(mapBedrockStopReason("end_turn"), "stop");
    assert.equal(mapBedrockStopReason("stop_sequence"), "stop");
    assert.equal(mapBedrockStopReason("max_tokens"), "length");
    assert.equal(mapBedrockStopReason("model_context_window_exceeded"), "length");
    assert.equal(mapBedrockStopReason("tool_use"), "tool_calls");
    assert.equal(mapBedrockStopReason("guardrail_intervened"), "content_filter");
    assert.equal(mapBedrockStopReason("content_filtered"), "content_filter");
    assert.equal(mapBedrockStopReason("malformed_tool_use"), "error");
    assert.equal(mapBedrockStopReason("malformed_model_output"), "error");
  });

  it("calls an unknown or missing reason other (and does not trust the prototype)", () => {
    assert.equal(mapBedrockStopReason("something_new"), "other");
    assert.equal(mapBedrockStopReason(undefined), "other");
    assert.equal(mapBedrockStopReason("toString"), "other");
  });

  it("writes the native word back, and maps other formats' finishes", () => {
    assert.equal(bedrockStopReasonFor({ reason: "stop", native: "stop_sequence" }), "stop_sequence");
    assert.equal(bedrockStopReasonFor({ reason: "content_filter", native: "guardrail_intervened" }), "guardrail_intervened");
    assert.equal(bedrockStopReasonFor({ reason: "stop", native: "STOP" }), "end_turn");
    assert.equal(bedrockStopReasonFor({ reason: "length", native: "MAX_TOKENS" }), "max_tokens");
    assert.equal(bedrockStopReasonFor({ reason: "tool_calls" }), "tool_use");
    assert.equal(bedrockStopReasonFor({ reason: "content_filter", native: "refusal" }), "content_filtered");
    assert.equal(bedrockStopReasonFor({ reason: "other", native: "pause_turn" }), "end_turn");
  });
});
