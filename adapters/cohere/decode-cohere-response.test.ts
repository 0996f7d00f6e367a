import assert from "node:assert/strict";
import { test } from "node:test";
import type { JsonObject } from "../../src/canonical/extras.ts";
import type { CanonicalResponse } from "../../src/canonical/response.ts";
import { citationResponse, maxTokensResponse, reasoningResponse, textResponse, toolCallResponse } from "./cohere-test-payloads.ts";
import { decodeCohereResponse } from "./decode-cohere-response.ts";
import { encodeCohereResponse } from "./encode-cohere-response.ts";

const context = { request: { model: "command-a-03-2025", messages: [], stream: false }, model: "command-a-03-2025" };

test("every sample response round trips", () => {
  for (const body of [textResponse, toolCallResponse, reasoningResponse, citationResponse, maxTokensResponse]) {
    assert.deepEqual(encodeCohereResponse(decodeCohereResponse(body), context), body);
  }
});

test("text response: text, finish, usage in OpenAI semantics", () => {
  const res = decodeCohereResponse(textResponse);
  assert.equal(res.id, "5a1c2f0e-8d3b-4e51-9a7c-2b6e0f4d8c13");
  assert.deepEqual(res.content.map((p) => p.type === "text" && p.text), ["Lyon lies about 390 km south-east of Paris."]);
  assert.deepEqual(res.finish, { reason: "stop", native: "COMPLETE" });
  assert.equal(res.usage?.inputTokens, 512);
  assert.equal(res.usage?.outputTokens, 14);
  assert.equal(res.usage?.cacheReadTokens, 448);
});

test("tool call response: the plan is reasoning before the calls, \"null\" arguments mean {}", () => {
  const res = decodeCohereResponse(toolCallResponse);
  assert.deepEqual(
    res.content.map((p) => (p.type === "reasoning" ? [p.type, p.text, p.producer] : p.type === "tool-call" ? [p.id, p.name, p.arguments] : [p.type])),
    [
      ["reasoning", "I will check the weather in Paris, then look up museums.", "cohere"],
      ["get_weather_a1b2c3d4e5f6", "get_weather", '{"city":"Paris"}'],
      ["list_museums_q9w8e7r6t5y4", "list_museums", "{}"],
    ],
  );
  assert.deepEqual(res.finish, { reason: "tool_calls", native: "TOOL_CALL" });
});

test("reasoning response: thinking is Cohere-produced reasoning", () => {
  const res = decodeCohereResponse(reasoningResponse);
  assert.deepEqual(res.content[0], { type: "reasoning", text: "Three apples plus four apples is seven apples.", producer: "cohere", origin: { format: "cohere", index: 0 } });
  assert.equal(res.content[1].type === "text" && res.content[1].text, "7");
});

test("citations attach to the text they cite", () => {
  const res = decodeCohereResponse(citationResponse);
  const text = res.content[0];
  assert.equal(text.type, "text");
  assert.deepEqual(
    text.type === "text" && text.citations?.map((c) => [c.type, c.startIndex, c.endIndex, c.title]),
    [
      ["document", 17, 35, "otters.txt"],
      ["document", 40, 55, "diet.txt"],
    ],
  );
});

test("MAX_TOKENS is length; ERROR and TIMEOUT keep their word", () => {
  assert.deepEqual(decodeCohereResponse(maxTokensResponse).finish, { reason: "length", native: "MAX_TOKENS" });
  assert.deepEqual(decodeCohereResponse({ ...maxTokensResponse, finish_reason: "ERROR" }).finish, { reason: "error", native: "ERROR" });
  assert.deepEqual(decodeCohereResponse({ ...maxTokensResponse, finish_reason: "TIMEOUT" }).finish, { reason: "length", native: "TIMEOUT" });
});

test("surprising shapes degrade instead of crashing, and still round trip where they can", () => {
  const odd: JsonObject = {
    id: "x",
    message: { role: "assistant", content: [{ type: "text" }, { type: "audio", data: "…" }], tool_calls: [{ type: "function" }], citations: [] },
    finish_reason: "NEW_REASON",
    logprobs: [{ token_ids: [1, 2], text: "hi" }],
  };
  const res = decodeCohereResponse(odd);
  assert.deepEqual(res.content.map((p) => p.type), ["native", "native"]);
  assert.deepEqual(res.finish, { reason: "other", native: "NEW_REASON" });
  assert.equal(res.usage, undefined);
  const back = encodeCohereResponse(res, context);
  assert.deepEqual(back.logprobs, odd.logprobs);
  assert.deepEqual((back.message as JsonObject).citations, []);
  assert.doesNotThrow(() => decodeCohereResponse({}));
});

test("a response of another origin reads as Cohere would write it", () => {
  const res: CanonicalResponse = {
    id: "msg_01ABC",
    model: "claude-sonnet-4-5",
    content: [
      { type: "reasoning", text: "Need the weather.", signature: "EqQB", producer: "anthropic" },
      { type: "text", text: "Let me check." },
      { type: "tool-call", id: "toolu_01", name: "get_weather", arguments: '{"city":"Paris"}', kind: "function" },
    ],
    finish: { reason: "tool_calls", native: "tool_use" },
    usage: { inputTokens: 100, outputTokens: 20, cacheReadTokens: 40 },
  };
  assert.deepEqual(encodeCohereResponse(res, context), {
    id: "msg_01ABC",
    message: {
      role: "assistant",
      content: [{ type: "thinking", thinking: "Need the weather." }],
      tool_plan: "Let me check.",
      tool_calls: [{ id: "toolu_01", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } }],
    },
    finish_reason: "TOOL_CALL",
    usage: { tokens: { input_tokens: 100, output_tokens: 20 }, cached_tokens: 40 },
  });
  const plain: CanonicalResponse = { id: "", model: "gpt-4o-mini", content: [{ type: "text", text: "Hi" }], finish: { reason: "stop", native: "stop" } };
  const out = encodeCohereResponse(plain, context);
  assert.match(out.id as string, /^[0-9a-f-]{36}$/);
  assert.deepEqual(out.message, { role: "assistant", content: [{ type: "text", text: "Hi" }] });
  assert.equal(out.finish_reason, "COMPLETE");
});
