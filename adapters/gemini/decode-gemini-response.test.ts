import { test } from "node:test";
import assert from "node:assert/strict";
import type { JsonObject } from "../../src/canonical/extras.ts";
import { geminiCodec } from "./gemini-codec.ts";

const context = { request: { model: "gemini-2.5-flash", messages: [], stream: false }, model: "gemini-2.5-flash" };
const roundTrip = (body: JsonObject) => assert.deepEqual(geminiCodec.encodeResponse(geminiCodec.decodeResponse(body), context), body);

const thinking = {
  candidates: [
    {
      content: {
        role: "model",
        parts: [
          { text: "**Planning**\nI should look it up.", thought: true },
          { text: "Let me check.", thoughtSignature: "CsYBsig" },
          { functionCall: { id: "vtx-1", name: "lookup", args: { q: "x" } } },
          { executableCode: { language: "PYTHON", code: "print(1)" } },
          { codeExecutionResult: { outcome: "OUTCOME_OK", output: "1\n" } },
        ],
      },
      finishReason: "STOP",
      safetyRatings: [{ category: "HARM_CATEGORY_HARASSMENT", probability: "NEGLIGIBLE" }],
      citationMetadata: { citations: [{ startIndex: 0, endIndex: 5, uri: "https://example.com" }] },
    },
  ],
  usageMetadata: { promptTokenCount: 40, candidatesTokenCount: 20, thoughtsTokenCount: 100, cachedContentTokenCount: 32, totalTokenCount: 160 },
  modelVersion: "gemini-2.5-pro",
  createTime: "2026-01-02T03:04:05.123456Z",
  responseId: "abc",
};

test("thoughts, a signed text, a call with Vertex's own id and code execution", () => {
  roundTrip(thinking);
  const r = geminiCodec.decodeResponse(thinking);
  assert.deepEqual(
    r.content.map(({ origin: _o, extras: _e, ...p }) => p),
    [
      { type: "reasoning", text: "**Planning**\nI should look it up.", producer: "gemini" },
      { type: "text", text: "Let me check." },
      { type: "reasoning", signature: "CsYBsig", producer: "gemini" },
      { type: "tool-call", id: "vtx-1", name: "lookup", arguments: '{"q":"x"}', kind: "function" },
      { type: "native", format: "gemini", value: { executableCode: { language: "PYTHON", code: "print(1)" } } },
      { type: "native", format: "gemini", value: { codeExecutionResult: { outcome: "OUTCOME_OK", output: "1\n" } } },
    ],
  );
  assert.deepEqual(r.finish, { reason: "tool_calls", native: "STOP" });
  assert.deepEqual([r.usage?.inputTokens, r.usage?.cacheReadTokens, r.usage?.outputTokens, r.usage?.reasoningTokens], [40, 32, 120, 100]);
});

test("MAX_TOKENS with thinking only, safety blocks and a response of another provider", () => {
  roundTrip({ candidates: [{ content: { role: "model" }, finishReason: "MAX_TOKENS", index: 0 }], usageMetadata: { promptTokenCount: 5, thoughtsTokenCount: 64, totalTokenCount: 69 }, modelVersion: "gemini-2.5-flash", responseId: "t" });
  const safety = { candidates: [{ finishReason: "SAFETY", index: 0, safetyRatings: [{ category: "HARM_CATEGORY_DANGEROUS_CONTENT", probability: "HIGH", blocked: true }] }], modelVersion: "gemini-2.5-flash", responseId: "s" };
  roundTrip(safety);
  assert.deepEqual(geminiCodec.decodeResponse(safety).finish, { reason: "content_filter", native: "SAFETY" });
  const foreign = geminiCodec.encodeResponse(
    {
      id: "msg_1",
      model: "claude-sonnet-4-5",
      content: [
        { type: "reasoning", text: "hmm", signature: "anthropic-sig", producer: "anthropic" },
        { type: "text", text: "Hi" },
        { type: "tool-call", id: "toolu_1", name: "f", arguments: '{"a":1}', kind: "function" },
      ],
      finish: { reason: "tool_calls", native: "tool_use" },
      usage: { inputTokens: 10, outputTokens: 4 },
    },
    context,
  );
  assert.deepEqual(foreign, {
    candidates: [{ content: { role: "model", parts: [{ text: "Hi" }, { functionCall: { name: "f", args: { a: 1 } } }] }, finishReason: "STOP", index: 0 }],
    usageMetadata: { promptTokenCount: 10, candidatesTokenCount: 4, totalTokenCount: 14 },
    modelVersion: "claude-sonnet-4-5",
    responseId: "msg_1",
  });
});
