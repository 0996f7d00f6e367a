import assert from "node:assert/strict";
import { test } from "node:test";
import { readFixtureJson } from "../../../test/helpers/fixtures.ts";
import type { JsonObject } from "../../../src/canonical/extras.ts";
import { decodeChatUsage, encodeChatUsage } from "./convert-chat-usage.ts";

const usageOf = (folder: string, file: string) => readFixtureJson(folder, file).usage as JsonObject;

test("OpenAI usage with its details objects", () => {
  const u = usageOf("openai-chat", "openai-text.json");
  const usage = decodeChatUsage(u);
  assert.equal(usage.inputTokens, 16);
  assert.equal(usage.outputTokens, 363);
  assert.equal(usage.totalTokens, 379);
  assert.equal(usage.cacheReadTokens, 0);
  assert.equal(usage.reasoningTokens, 0);
  assert.deepEqual(encodeChatUsage(usage, true), u);
});

test("DeepSeek: cached tokens and its prompt_cache_hit/miss fields", () => {
  const u = usageOf("deepseek", "deepseek-tool-call.json");
  const usage = decodeChatUsage(u);
  assert.equal(usage.inputTokens, 339);
  assert.equal(usage.cacheReadTokens, 320);
  assert.equal(usage.reasoningTokens, 48);
  assert.equal(usage.outputTokens, 92, "DeepSeek counts reasoning inside completion_tokens already");
  assert.deepEqual(encodeChatUsage(usage, true), u);
});

test("DeepSeek without cached_tokens: the cache hits come from prompt_cache_hit_tokens", () => {
  const u = { prompt_tokens: 100, completion_tokens: 5, total_tokens: 105, prompt_cache_hit_tokens: 64, prompt_cache_miss_tokens: 36 };
  const usage = decodeChatUsage(u);
  assert.equal(usage.cacheReadTokens, 64);
  assert.deepEqual(encodeChatUsage(usage, true), u);
});

test("xAI: reasoning is outside completion_tokens but inside total_tokens, so it is added to the output", () => {
  const u = usageOf("xai", "xai-tool-call.json");
  const usage = decodeChatUsage(u);
  assert.equal(usage.outputTokens, 26 + 255);
  assert.equal(usage.reasoningTokens, 255);
  assert.equal(usage.totalTokens, 588);
  assert.equal(usage.inputTokens + usage.outputTokens, usage.totalTokens, "canonical semantics: total = input + output");
  assert.equal(usage.cacheReadTokens, 244);
  assert.deepEqual(encodeChatUsage(usage, true), u);
  // Another format's client sees OpenAI semantics.
  assert.equal(encodeChatUsage(usage, false).completion_tokens, 281);
});

test("Groq timing fields and Mistral's minimal usage round trip", () => {
  for (const [folder, file] of [["groq", "groq-reasoning.json"], ["groq", "groq-tool-call.json"], ["mistral", "mistral-text.json"]]) {
    const u = usageOf(folder, file);
    assert.deepEqual(encodeChatUsage(decodeChatUsage(u), true), u, `${folder}/${file}`);
  }
  const groq = decodeChatUsage(usageOf("groq", "groq-reasoning.json"));
  assert.equal(groq.reasoningTokens, 570);
  assert.equal(groq.outputTokens, 649);
  const mistral = decodeChatUsage(usageOf("mistral", "mistral-text.json"));
  assert.equal(mistral.cacheReadTokens, undefined);
  assert.equal(mistral.extras, undefined);
});

test("usage from another format is written in the standard form", () => {
  const out = encodeChatUsage({ inputTokens: 1200, outputTokens: 300, cacheReadTokens: 1000, cacheWriteTokens: 50, reasoningTokens: 120, extras: { anthropic: { service_tier: "standard" } } }, false);
  assert.deepEqual(out, {
    prompt_tokens: 1200,
    completion_tokens: 300,
    total_tokens: 1500,
    prompt_tokens_details: { cached_tokens: 1000, cache_write_tokens: 50 },
    completion_tokens_details: { reasoning_tokens: 120 },
  });
  assert.deepEqual(encodeChatUsage({ inputTokens: 3, outputTokens: 4 }, false), {
    prompt_tokens: 3,
    completion_tokens: 4,
    total_tokens: 7,
    prompt_tokens_details: { cached_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: 0 },
  });
});
