import assert from "node:assert/strict";
import { test } from "node:test";
import { decodeAnthropicDeltaUsage, decodeAnthropicUsage, encodeAnthropicUsage } from "./convert-anthropic-usage.ts";

test("input tokens include cache reads and writes; reasoning comes from thinking_tokens", () => {
  const native = {
    input_tokens: 6,
    cache_creation_input_tokens: 3337,
    cache_read_input_tokens: 6289,
    output_tokens: 198,
    output_tokens_details: { thinking_tokens: 40 },
    service_tier: "standard",
  };
  const usage = decodeAnthropicUsage(native);
  assert.equal(usage.inputTokens, 6 + 3337 + 6289);
  assert.equal(usage.outputTokens, 198);
  assert.equal(usage.cacheReadTokens, 6289);
  assert.equal(usage.cacheWriteTokens, 3337);
  assert.equal(usage.reasoningTokens, 40);
  assert.deepEqual(usage.extras, { anthropic: { service_tier: "standard" } });
  assert.deepEqual(encodeAnthropicUsage(usage), native);
});

test("nulls and unknown detail fields survive a round trip", () => {
  const native = { input_tokens: 10, cache_read_input_tokens: null, output_tokens: 3, output_tokens_details: { thinking_tokens: 1, summary_tokens: 2 } };
  const usage = decodeAnthropicUsage(native);
  assert.equal(usage.inputTokens, 10);
  assert.equal(usage.cacheReadTokens, undefined);
  assert.deepEqual(encodeAnthropicUsage(usage), native);
  assert.deepEqual(encodeAnthropicUsage(decodeAnthropicUsage({ input_tokens: 1, output_tokens: 1, output_tokens_details: {} })), {
    input_tokens: 1,
    output_tokens: 1,
    output_tokens_details: {},
  });
});

test("message_delta usage takes what it leaves out from message_start and re-encodes as sent", () => {
  const start = decodeAnthropicUsage({ input_tokens: 12, cache_creation_input_tokens: 100, cache_read_input_tokens: 50, output_tokens: 1 });
  const onlyOutput = decodeAnthropicDeltaUsage({ output_tokens: 15 }, start);
  assert.equal(onlyOutput.inputTokens, 162);
  assert.equal(onlyOutput.outputTokens, 15);
  assert.equal(onlyOutput.cacheReadTokens, 50);
  assert.equal(onlyOutput.cacheWriteTokens, 100);
  assert.deepEqual(encodeAnthropicUsage(onlyOutput), { output_tokens: 15 });

  // Compatible servers resend (and correct) the input side in message_delta.
  const resent = decodeAnthropicDeltaUsage({ input_tokens: 61, output_tokens: 2 }, decodeAnthropicUsage({ input_tokens: 43, output_tokens: 1 }));
  assert.equal(resent.inputTokens, 61);
  assert.deepEqual(encodeAnthropicUsage(resent), { input_tokens: 61, output_tokens: 2 });
});

test("foreign usage (OpenAI semantics) is split into Anthropic's fields", () => {
  assert.deepEqual(encodeAnthropicUsage({ inputTokens: 100, outputTokens: 20, cacheReadTokens: 40, reasoningTokens: 5 }), {
    input_tokens: 60,
    cache_read_input_tokens: 40,
    output_tokens: 20,
    output_tokens_details: { thinking_tokens: 5 },
  });
  assert.deepEqual(encodeAnthropicUsage({ inputTokens: 7, outputTokens: 0 }), { input_tokens: 7, output_tokens: 0 });
});
