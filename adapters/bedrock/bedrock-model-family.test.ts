import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { bedrockModelFamily, supportsThinking } from "./bedrock-model-family.ts";

describe("bedrock-model-family", () => {
  it("recognises families in bare ids, cross-region profiles and ARNs", () => {
    assert.equal(bedrockModelFamily("anthropic.claude-3-5-sonnet-20240620-v1:0"), "anthropic");
    assert.equal(bedrockModelFamily("us.anthropic.claude-sonnet-4-20250514-v1:0"), "anthropic");
    assert.equal(bedrockModelFamily("arn:aws:bedrock:eu-west-1:123456789012:inference-profile/eu.anthropic.claude-3-7-sonnet-20250219-v1:0"), "anthropic");
    assert.equal(bedrockModelFamily("us.amazon.nova-2-lite-v1:0"), "nova");
    assert.equal(bedrockModelFamily("amazon.nova-pro-v1:0"), "nova");
    assert.equal(bedrockModelFamily("openai.gpt-oss-120b-1:0"), "openai");
    assert.equal(bedrockModelFamily("meta.llama3-1-70b-instruct-v1:0"), "other");
    assert.equal(bedrockModelFamily(""), "other");
  });

  it("knows which Claude models think", () => {
    assert.equal(supportsThinking("anthropic.claude-3-5-sonnet-20240620-v1:0"), false);
    assert.equal(supportsThinking("anthropic.claude-3-haiku-20240307-v1:0"), false);
    assert.equal(supportsThinking("us.anthropic.claude-3-7-sonnet-20250219-v1:0"), true);
    assert.equal(supportsThinking("global.anthropic.claude-opus-4-6-v1"), true);
    assert.equal(supportsThinking("amazon.nova-pro-v1:0"), false);
  });
});
