import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { decodeBedrockUsage, encodeBedrockUsage } from "./convert-bedrock-usage.ts";

describe("convert-bedrock-usage", () => {
  it("adds cache reads and writes to canonical input, total kept", () => {
    // Shape of AWS's prompt-caching example: 4 fresh input tokens, 1564 read from the cache.
    const wire = { inputTokens: 4, outputTokens: 190, totalTokens: 1758, cacheReadInputTokens: 1564, cacheWriteInputTokens: 0 };
    const u = decodeBedrockUsage(wire);
    assert.deepEqual(u, { inputTokens: 1568, outputTokens: 190, cacheReadTokens: 1564, cacheWriteTokens: 0, totalTokens: 1758 });
    assert.deepEqual(encodeBedrockUsage(u), wire);
  });

  it("keeps the legacy *Count fields and serverToolUsage as extras, round trip exact", () => {
    const wire = {
      cacheReadInputTokenCount: 0,
      cacheReadInputTokens: 0,
      cacheWriteInputTokenCount: 0,
      cacheWriteInputTokens: 0,
      inputTokens: 51,
      outputTokens: 78,
      serverToolUsage: {},
      totalTokens: 129,
    };
    const u = decodeBedrockUsage(wire);
    assert.equal(u.inputTokens, 51);
    assert.deepEqual(u.extras, { bedrock: { cacheReadInputTokenCount: 0, cacheWriteInputTokenCount: 0, serverToolUsage: {} } });
    assert.deepEqual(encodeBedrockUsage(u), wire);
  });

  it("encodes another format's usage with Bedrock semantics", () => {
    // Anthropic-style canonical usage: 100 input including 30 written and 50 read.
    assert.deepEqual(encodeBedrockUsage({ inputTokens: 100, outputTokens: 7, cacheReadTokens: 50, cacheWriteTokens: 30, reasoningTokens: 3 }), {
      inputTokens: 20,
      outputTokens: 7,
      totalTokens: 107,
      cacheReadInputTokens: 50,
      cacheWriteInputTokens: 30,
    });
  });

  it("survives missing counts", () => {
    assert.deepEqual(decodeBedrockUsage({} as never), { inputTokens: 0, outputTokens: 0 });
  });
});
