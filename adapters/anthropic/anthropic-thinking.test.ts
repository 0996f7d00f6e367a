import assert from "node:assert/strict";
import { test } from "node:test";
import { decodeAnthropicThinking, encodeNativeThinking, toAnthropicEffort } from "./anthropic-thinking.ts";

test("budget, disabled, adaptive and effort map to the canonical reasoning config", () => {
  assert.deepEqual(decodeAnthropicThinking({ type: "enabled", budget_tokens: 2048 }, undefined), { reasoning: { budgetTokens: 2048 }, thinkingRest: undefined });
  assert.deepEqual(decodeAnthropicThinking({ type: "disabled" }, undefined), { reasoning: { disabled: true }, thinkingRest: undefined });
  assert.deepEqual(decodeAnthropicThinking({ type: "adaptive", display: "summarized" }, { effort: "high" }), {
    reasoning: { effort: "high" },
    thinkingRest: { type: "adaptive", display: "summarized" },
    outputConfigRest: undefined,
  });
  const max = decodeAnthropicThinking(undefined, { effort: "max", format: { type: "json_schema", schema: { type: "object" }, name: "x" } });
  assert.deepEqual(max.reasoning, { effort: "xhigh" });
  assert.deepEqual(max.responseFormat, { type: "json_schema", name: "response", schema: { type: "object" } });
  assert.deepEqual(max.outputConfigRest, { effort: "max", format: { name: "x" } });
});

test("native encode merges what the canonical config says with what it could not", () => {
  const back = encodeNativeThinking({ effort: "xhigh" }, { type: "json_schema", name: "response", schema: { type: "object" } }, undefined, { effort: "max", format: { name: "x" } });
  assert.deepEqual(back, { output_config: { effort: "max", format: { name: "x", type: "json_schema", schema: { type: "object" } } } });
  // A stage lowered the effort: the kept `max` no longer applies.
  assert.deepEqual(encodeNativeThinking({ effort: "low" }, undefined, undefined, { effort: "max" }), { output_config: { effort: "low" } });
  assert.deepEqual(encodeNativeThinking({ budgetTokens: 5000 }, undefined, { display: "omitted" }, undefined), { thinking: { type: "enabled", display: "omitted", budget_tokens: 5000 } });
});

test("efforts Anthropic lacks", () => {
  assert.equal(toAnthropicEffort("minimal", true), "low");
  assert.equal(toAnthropicEffort("xhigh", false), "max");
  assert.equal(toAnthropicEffort("xhigh", true), "xhigh");
  assert.equal(toAnthropicEffort("none", true), undefined);
});
