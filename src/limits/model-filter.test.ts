import assert from "node:assert/strict";
import { test } from "node:test";
import { compileModelFilter } from "./model-filter.ts";

test("a qualified pattern matches provider and model; a bare one the model from any provider", () => {
  const exact = compileModelFilter("openai:gpt-4o-mini");
  assert.equal(exact("openai", "gpt-4o-mini"), true);
  assert.equal(exact("azure", "gpt-4o-mini"), false);
  assert.equal(exact("openai", "gpt-4o"), false);
  const bare = compileModelFilter("gpt-4o-mini");
  assert.equal(bare("openai", "gpt-4o-mini"), true);
  assert.equal(bare("azure", "gpt-4o-mini"), true);
  assert.equal(bare("openai", "gpt-4o-mini-2024-07-18"), false);
});

test("'*' is any run of characters; the rest is literal (dots and brackets included)", () => {
  const family = compileModelFilter("openai:gpt-4o*");
  assert.equal(family("openai", "gpt-4o"), true);
  assert.equal(family("openai", "gpt-4o-mini"), true);
  assert.equal(family("groq", "gpt-4o"), false);
  const provider = compileModelFilter("anthropic:*");
  assert.equal(provider("anthropic", "claude-opus-4-6"), true);
  assert.equal(provider("bedrock", "anthropic.claude"), false);
  const dotted = compileModelFilter("gpt-4.1*");
  assert.equal(dotted("openai", "gpt-4.1-mini"), true);
  assert.equal(dotted("openai", "gpt-441"), false, "the dot is literal");
});

test("a Bedrock model id with its own ':' matches as a bare name", () => {
  const id = "anthropic.claude-3-5-sonnet-20240620-v1:0";
  assert.equal(compileModelFilter(id)("bedrock", id), true);
  assert.equal(compileModelFilter(`bedrock:${id}`)("bedrock", id), true);
  assert.equal(compileModelFilter("*claude*")("bedrock", id), true);
  assert.equal(compileModelFilter(id)("bedrock", "anthropic.claude-3-5-sonnet-20240620-v1:1"), false);
});
