import { test } from "node:test";
import assert from "node:assert/strict";
import { decodeGeminiUsage, encodeGeminiUsage, hasTokenCounts } from "./convert-gemini-usage.ts";

test("output includes thoughts, input includes tool-use prompt and cache, totals kept", () => {
  const meta = {
    promptTokenCount: 120,
    cachedContentTokenCount: 100,
    candidatesTokenCount: 28,
    thoughtsTokenCount: 244,
    toolUsePromptTokenCount: 7,
    totalTokenCount: 399,
    promptTokensDetails: [{ modality: "TEXT", tokenCount: 120 }],
  };
  const usage = decodeGeminiUsage(meta as never);
  assert.equal(usage.inputTokens, 127);
  assert.equal(usage.outputTokens, 272);
  assert.equal(usage.reasoningTokens, 244);
  assert.equal(usage.cacheReadTokens, 100);
  assert.equal(usage.totalTokens, 399);
  assert.equal(usage.inputTokens + usage.outputTokens, usage.totalTokens);
  assert.deepEqual(encodeGeminiUsage(usage), meta);
});

test("usage of another format encodes with zero counts omitted", () => {
  assert.deepEqual(encodeGeminiUsage({ inputTokens: 10, outputTokens: 5, cacheWriteTokens: 3 }), {
    promptTokenCount: 10,
    candidatesTokenCount: 5,
    totalTokenCount: 15,
  });
  assert.deepEqual(encodeGeminiUsage({ inputTokens: 10, outputTokens: 30, reasoningTokens: 30 }), {
    promptTokenCount: 10,
    thoughtsTokenCount: 30,
    totalTokenCount: 40,
  });
});

test("Vertex's count-less usageMetadata is not usage", () => {
  assert.equal(hasTokenCounts({ trafficType: "ON_DEMAND" } as never), false);
  assert.equal(hasTokenCounts({ promptTokenCount: 1 }), true);
});
