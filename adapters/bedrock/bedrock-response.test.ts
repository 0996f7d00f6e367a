import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { JsonObject } from "../../src/canonical/extras.ts";
import type { CanonicalResponse } from "../../src/canonical/response.ts";
import { JSON_RESPONSE_TOOL } from "./bedrock-prepare-tools.ts";
import { decodeBedrockResponse } from "./decode-bedrock-response.ts";
import { encodeBedrockResponse } from "./encode-bedrock-response.ts";

const context = { request: { model: "m", messages: [], stream: false }, model: "m" };
const usage = { inputTokens: 10, outputTokens: 5, totalTokens: 15 };
const answer = (content: JsonObject[], stopReason = "end_turn", extra: JsonObject = {}): JsonObject => ({
  metrics: { latencyMs: 100 },
  output: { message: { role: "assistant", content } },
  stopReason,
  usage,
  ...extra,
});

describe("bedrock responses", () => {
  it("tool calls: arguments as JSON text, a no-arg call as {}, tool_use → tool_calls; round trip exact", () => {
    const body = answer(
      [
        { text: "Calling." },
        { toolUse: { toolUseId: "tooluse_a", name: "get_weather", input: { city: "Paris", days: [1, 2] } } },
        { toolUse: { toolUseId: "tooluse_b", name: "now", input: {} } },
      ],
      "tool_use",
    );
    const r = decodeBedrockResponse(body);
    assert.deepEqual(r.content.slice(1), [
      { type: "tool-call", id: "tooluse_a", name: "get_weather", arguments: '{"city":"Paris","days":[1,2]}', kind: "function" },
      { type: "tool-call", id: "tooluse_b", name: "now", arguments: "{}", kind: "function" },
    ]);
    assert.deepEqual(r.finish, { reason: "tool_calls", native: "tool_use" });
    assert.deepEqual(encodeBedrockResponse(r, context), body);
  });

  it("our structured-output tool comes back as the JSON text answer, finish stop; and re-encodes as the call", () => {
    const body = answer([{ toolUse: { toolUseId: "tooluse_j", name: JSON_RESPONSE_TOOL, input: { answer: "42" } } }], "tool_use");
    const r = decodeBedrockResponse(body);
    assert.equal(r.content.length, 1);
    assert.equal(r.content[0].type, "text");
    assert.equal((r.content[0] as { text: string }).text, '{"answer":"42"}');
    assert.deepEqual(r.finish, { reason: "stop", native: "tool_use" });
    assert.deepEqual(encodeBedrockResponse(r, context), body);
  });

  it("reads Claude's stop sequence from additionalModelResponseFields", () => {
    const r = decodeBedrockResponse(answer([{ text: "a" }], "stop_sequence", { additionalModelResponseFields: { delta: { stop_sequence: "END" } } }));
    assert.deepEqual(r.finish, { reason: "stop", native: "stop_sequence", stopSequence: "END" });
  });

  it("redacted reasoning, guardrail stops, citations, trace and unknown blocks round-trip", () => {
    const body = answer(
      [
        { reasoningContent: { redactedContent: "c2VjcmV0" } },
        {
          citationsContent: {
            content: [{ text: "Revenue grew 12%." }],
            citations: [{ title: "Annual report", sourceContent: [{ text: "grew 12%" }], location: { documentPage: { documentIndex: 0, start: 3, end: 4 } } }],
          },
        },
        { citationsContent: { content: [{ text: "a" }, { text: "b" }] } },
        { image: { format: "png", source: { bytes: "iVBO" } } },
      ],
      "guardrail_intervened",
      { trace: { guardrail: { modelOutput: ["x"] } }, performanceConfig: { latency: "standard" }, additionalModelResponseFields: { foo: 1 } },
    );
    const r = decodeBedrockResponse(body);
    assert.deepEqual(r.content[0], { type: "reasoning", encrypted: "c2VjcmV0", redacted: true, producer: "bedrock" });
    assert.equal(r.content[1].type, "text");
    if (r.content[1].type === "text") {
      assert.equal(r.content[1].text, "Revenue grew 12%.");
      assert.equal(r.content[1].citations?.[0].title, "Annual report");
      assert.equal(r.content[1].citations?.[0].type, "document");
    }
    assert.equal((r.content[2] as { text: string }).text, "ab");
    assert.equal(r.content[3].type, "native");
    assert.deepEqual(r.finish, { reason: "content_filter", native: "guardrail_intervened" });
    assert.deepEqual(encodeBedrockResponse(r, context), body);
  });

  it("encodes another provider's answer as a complete Converse body", () => {
    const foreign: CanonicalResponse = {
      id: "msg_01",
      model: "claude-sonnet-4-5",
      content: [
        { type: "reasoning", text: "hmm", signature: "anthropic-sig", producer: "anthropic" },
        { type: "text", text: "Hello" },
        { type: "native", format: "anthropic", value: { type: "server_tool_use" } },
        { type: "tool-call", id: "toolu_1", name: "f", arguments: "", kind: "function" },
      ],
      finish: { reason: "tool_calls", native: "tool_use" },
      usage: { inputTokens: 100, outputTokens: 20, cacheReadTokens: 60, cacheWriteTokens: 10, reasoningTokens: 5 },
    };
    assert.deepEqual(encodeBedrockResponse(foreign, context), {
      metrics: { latencyMs: 0 },
      output: { message: { role: "assistant", content: [{ text: "Hello" }, { toolUse: { toolUseId: "toolu_1", name: "f", input: {} } }] } },
      stopReason: "tool_use",
      usage: { inputTokens: 30, outputTokens: 20, totalTokens: 120, cacheReadInputTokens: 60, cacheWriteInputTokens: 10 },
    });
    const gemini: CanonicalResponse = { id: "x", model: "gemini", content: [{ type: "text", text: "Hi" }], finish: { reason: "length", native: "MAX_TOKENS" } };
    const body = encodeBedrockResponse(gemini, context);
    assert.equal(body.stopReason, "max_tokens");
    assert.deepEqual(body.usage, { inputTokens: 0, outputTokens: 0, totalTokens: 0 });
  });

  it("does not crash on a surprising body", () => {
    const r = decodeBedrockResponse({ output: {}, stopReason: 3 } as JsonObject);
    assert.deepEqual(r.content, []);
    assert.equal(r.finish.reason, "other");
    assert.equal(decodeBedrockResponse({}).content.length, 0);
  });
});
