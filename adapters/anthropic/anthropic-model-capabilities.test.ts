import assert from "node:assert/strict";
import { test } from "node:test";
import { anthropicModelCapabilities, defaultMaxTokens } from "./anthropic-model-capabilities.ts";

test("dated, Vertex and Bedrock ids resolve to their family", () => {
  for (const id of ["claude-sonnet-4-5", "claude-sonnet-4-5-20250929", "claude-sonnet-4-5@20250929", "us.anthropic.claude-sonnet-4-5-20250929-v1:0"]) {
    const c = anthropicModelCapabilities(id);
    assert.equal(c.maxOutputTokens, 64_000, id);
    assert.equal(c.thinking, "budget", id);
    assert.equal(c.structuredOutput, true, id);
    assert.equal(c.rejectsSampling, false, id);
    assert.equal(c.known, true, id);
  }
});

test("specific families win over their base family", () => {
  assert.equal(anthropicModelCapabilities("claude-opus-4-6").thinking, "both");
  assert.equal(anthropicModelCapabilities("claude-opus-4-20250514").maxOutputTokens, 32_000);
  assert.equal(anthropicModelCapabilities("claude-opus-4-20250514").structuredOutput, false);
  assert.equal(anthropicModelCapabilities("claude-opus-4-1-20250805").structuredOutput, true);
  assert.equal(anthropicModelCapabilities("claude-sonnet-5-5").rejectsForcedToolUse, true);
  assert.equal(anthropicModelCapabilities("claude-sonnet-5").rejectsForcedToolUse, false);
  assert.equal(anthropicModelCapabilities("claude-sonnet-5").rejectsThinkingDisabled, false);
  assert.equal(anthropicModelCapabilities("claude-fable-5").rejectsThinkingDisabled, true);
  assert.equal(anthropicModelCapabilities("claude-3-7-sonnet-20250219").thinking, "budget");
  assert.equal(anthropicModelCapabilities("claude-3-5-haiku-20241022").thinking, "none");
});

test("the adaptive generation rejects sampling parameters", () => {
  for (const id of ["claude-opus-4-7", "claude-opus-4-8", "claude-opus-5", "claude-fable-5-1"]) {
    assert.equal(anthropicModelCapabilities(id).rejectsSampling, true, id);
    assert.equal(anthropicModelCapabilities(id).thinking, "adaptive", id);
  }
  assert.equal(anthropicModelCapabilities("claude-sonnet-4-6").rejectsSampling, false);
});

test("unknown Claude ids are treated as the newest generation; other vendors' models conservatively", () => {
  const future = anthropicModelCapabilities("claude-zephyr-9");
  assert.equal(future.known, false);
  assert.equal(future.rejectsSampling, true);
  assert.equal(future.thinking, "adaptive");
  const other = anthropicModelCapabilities("kimi-k2-instruct");
  assert.equal(other.known, false);
  assert.equal(other.thinking, "none");
  assert.equal(other.structuredOutput, false);
});

test("default max_tokens is the model's maximum capped at 32k", () => {
  assert.equal(defaultMaxTokens("claude-sonnet-4-5"), 32_000);
  assert.equal(defaultMaxTokens("claude-3-5-haiku-latest"), 8_192);
  assert.equal(defaultMaxTokens("claude-3-haiku-20240307"), 4_096);
  assert.equal(defaultMaxTokens("some-compatible-model"), 8_192);
});
