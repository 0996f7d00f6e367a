import assert from "node:assert/strict";
import { test } from "node:test";
import type { JsonObject } from "../../src/canonical/extras.ts";
import type { CanonicalResponse } from "../../src/canonical/response.ts";
import type { EncodeContext } from "../types.ts";
import { decodeAnthropicRequest } from "./decode-anthropic-request.ts";
import { decodeAnthropicResponse } from "./decode-anthropic-response.ts";
import { encodeAnthropicRequest } from "./encode-anthropic-request.ts";
import { encodeAnthropicResponse } from "./encode-anthropic-response.ts";

const context: EncodeContext = { request: { model: "gpt-5.1", messages: [], stream: false }, model: "gpt-5.1" };

/** A response as the OpenAI Responses decoder produces it. */
const foreign: CanonicalResponse = {
  id: "resp_0a1b2c",
  model: "gpt-5.1",
  content: [
    { type: "reasoning", producer: "openai-responses", id: "rs_1", summary: ["Planning the call."], encrypted: "gAAAAABopaque" },
    { type: "text", text: "Checking.", citations: [{ type: "url", url: "https://x.test", startIndex: 0, endIndex: 3 }] },
    { type: "tool-call", id: "call_1", itemId: "fc_1", name: "get_weather", arguments: '{"city":"Oslo"}', kind: "function" },
    { type: "tool-call", id: "call_2", name: "apply_patch", arguments: "*** Begin Patch", kind: "custom" },
    { type: "native", format: "openai-responses", value: { type: "web_search_call", id: "ws_1" } },
  ],
  finish: { reason: "tool_calls" },
  usage: { inputTokens: 1200, outputTokens: 300, cacheReadTokens: 1000, reasoningTokens: 120 },
};

test("another provider's response becomes a valid Message", () => {
  const body = encodeAnthropicResponse(foreign, context);
  assert.equal(body.id, "msg_resp_0a1b2c");
  assert.equal(body.type, "message");
  assert.equal(body.role, "assistant");
  assert.equal(body.model, "gpt-5.1");
  assert.equal(body.stop_reason, "tool_use");
  assert.equal(body.stop_sequence, null);
  assert.deepEqual(body.usage, { input_tokens: 200, cache_read_input_tokens: 1000, output_tokens: 300, output_tokens_details: { thinking_tokens: 120 } });
  const content = body.content as JsonObject[];
  assert.deepEqual(content.map((b) => b.type), ["thinking", "text", "tool_use", "tool_use"]);
  assert.equal(content[0].thinking, "Planning the call.");
  assert.match(content[0].signature as string, /^pcr1\./, "the foreign reasoning travels in our envelope");
  assert.deepEqual(content[1], { type: "text", text: "Checking." }, "foreign citations have no Anthropic form");
  assert.deepEqual(content[2], { type: "tool_use", id: "call_1", name: "get_weather", input: { city: "Oslo" } });
  assert.deepEqual(content[3].input, { input: "*** Begin Patch" });
});

test("the envelope comes back to its producer when the client sends the turn again, and never to Anthropic", () => {
  const message = encodeAnthropicResponse(foreign, context);
  const next = decodeAnthropicRequest({ model: "m", max_tokens: 10, messages: [{ role: "user", content: "q" }, { role: "assistant", content: message.content as JsonObject[] }] });
  const reasoning = next.messages[1].content[0];
  assert.deepEqual(
    { ...reasoning, origin: undefined },
    { type: "reasoning", producer: "openai-responses", text: "Planning the call.", encrypted: "gAAAAABopaque", origin: undefined },
  );
  const upstream = encodeAnthropicRequest(next);
  assert.deepEqual(((upstream.messages as JsonObject[])[1].content as JsonObject[]).map((b) => b.type), ["text", "tool_use", "tool_use"]);
});

test("stop reasons of other providers map through the canonical reason", () => {
  const stop = (finish: CanonicalResponse["finish"]) => encodeAnthropicResponse({ ...foreign, content: [], finish }, context).stop_reason;
  assert.equal(stop({ reason: "length", native: "MAX_TOKENS" }), "max_tokens");
  assert.equal(stop({ reason: "content_filter", native: "SAFETY" }), "refusal");
  assert.equal(stop({ reason: "stop", stopSequence: "END" }), "stop_sequence");
  assert.equal(encodeAnthropicResponse({ ...foreign, finish: { reason: "stop", stopSequence: "END" } }, context).stop_sequence, "END");
});

test("the JSON-output tool of models without structured outputs comes back as the text answer", () => {
  const r = decodeAnthropicResponse({
    id: "msg_1",
    type: "message",
    role: "assistant",
    model: "claude-3-5-haiku-20241022",
    content: [{ type: "tool_use", id: "toolu_1", name: "portcullis_structured_output", input: { answer: 42 } }],
    stop_reason: "tool_use",
    stop_sequence: null,
    usage: { input_tokens: 10, output_tokens: 5 },
  });
  assert.deepEqual(r.content, [{ type: "text", text: '{"answer":42}' }]);
  assert.deepEqual(r.finish, { reason: "stop", native: "tool_use" });
  const wrapped = decodeAnthropicResponse({
    id: "msg_2",
    type: "message",
    role: "assistant",
    model: "m",
    content: [{ type: "tool_use", id: "toolu_2", name: "portcullis_structured_value", input: { value: [1, 2] } }],
    stop_reason: "tool_use",
    stop_sequence: null,
    usage: { input_tokens: 1, output_tokens: 1 },
  });
  assert.deepEqual(wrapped.content, [{ type: "text", text: "[1,2]" }]);
});

test("surprising bodies degrade instead of crashing", () => {
  const r = decodeAnthropicResponse({ id: 7, content: "not a list", stop_reason: "new_reason", usage: null });
  assert.equal(r.id, "");
  assert.deepEqual(r.content, []);
  assert.deepEqual(r.finish, { reason: "other", native: "new_reason" });
  assert.deepEqual(encodeAnthropicResponse(r, context), { id: 7, type: "message", role: "assistant", model: "gpt-5.1", content: "not a list", stop_reason: "new_reason", usage: null });
});
