import assert from "node:assert/strict";
import { test } from "node:test";
import { decodeCohereUsage, encodeCohereUsage } from "./convert-cohere-usage.ts";

test("tokens (cache included) become canonical usage; billed units kept for cost", () => {
  const native = { billed_units: { input_tokens: 119, output_tokens: 44 }, tokens: { input_tokens: 1549, output_tokens: 95 }, cached_tokens: 1504 };
  const usage = decodeCohereUsage(native);
  assert.equal(usage.inputTokens, 1549);
  assert.equal(usage.outputTokens, 95);
  assert.equal(usage.cacheReadTokens, 1504);
  assert.deepEqual(usage.extras, { cohere: { billed_units: { input_tokens: 119, output_tokens: 44 } } });
  assert.deepEqual(encodeCohereUsage(usage), native);
});

test("usage without cached_tokens or without tokens round trips", () => {
  const noCache = { billed_units: { input_tokens: 39, output_tokens: 27 }, tokens: { input_tokens: 1683, output_tokens: 62 } };
  assert.equal(decodeCohereUsage(noCache).cacheReadTokens, undefined);
  assert.deepEqual(encodeCohereUsage(decodeCohereUsage(noCache)), noCache);

  const billedOnly = { billed_units: { input_tokens: 5, output_tokens: 7, search_units: 1 } };
  const usage = decodeCohereUsage(billedOnly);
  assert.equal(usage.inputTokens, 5, "falls back to billed units");
  assert.equal(usage.outputTokens, 7);
  assert.deepEqual(encodeCohereUsage(usage), billedOnly);

  const tokensOnly = { tokens: { input_tokens: 3, output_tokens: 4 } };
  assert.deepEqual(decodeCohereUsage(tokensOnly), { inputTokens: 3, outputTokens: 4 });
  assert.deepEqual(encodeCohereUsage(decodeCohereUsage(tokensOnly)), tokensOnly);
});

test("another format's usage is reported as tokens, never as made-up billed units", () => {
  assert.deepEqual(encodeCohereUsage({ inputTokens: 120, outputTokens: 30, cacheReadTokens: 100, reasoningTokens: 10 }), {
    tokens: { input_tokens: 120, output_tokens: 30 },
    cached_tokens: 100,
  });
});
