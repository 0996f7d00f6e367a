import assert from "node:assert/strict";
import { test } from "node:test";
import type { ChatCompletion } from "openai/resources/chat/completions";
import type { AssistantPart } from "../../../src/canonical/content.ts";
import type { CanonicalResponse } from "../../../src/canonical/response.ts";
import { readFixtureJson } from "../../../test/helpers/fixtures.ts";
import { chatCodec } from "./chat-codec.ts";
import { chatFixtures, context, wire } from "./chat-test-support.ts";

const ctx = context({ stream: false });
const decode = (folder: string, file: string) => chatCodec.decodeResponse(readFixtureJson(folder, file));
const kinds = (parts: AssistantPart[]) => parts.map((p) => p.type);

for (const [folder, file] of chatFixtures(".json").filter(([, f]) => !f.includes("error"))) {
  test(`round trip: ${folder}/${file}`, () => {
    const body = readFixtureJson(folder, file);
    assert.deepEqual(wire(chatCodec.encodeResponse(chatCodec.decodeResponse(body), ctx)), body);
  });
}

test("OpenAI text: one text part, stop, usage", () => {
  const r = decode("openai-chat", "openai-text.json");
  assert.equal(r.id, "chatcmpl-D8Z5f52zQqikDBEKQMQoYcWMcWPeU");
  assert.equal(r.model, "gpt-4.1-nano-2025-04-14");
  assert.equal(r.created, 1770933883);
  assert.deepEqual(kinds(r.content), ["text"]);
  assert.ok(r.content[0].type === "text" && r.content[0].text.startsWith("**Holiday Name:** Galaxy Day"));
  assert.ok(r.content[0].type === "text" && r.content[0].text.includes("darkness\u2014mirroring"));
  assert.deepEqual(r.finish, { reason: "stop", native: "stop" });
  assert.equal(r.usage?.inputTokens, 16);
  assert.equal(r.usage?.outputTokens, 363);
  assert.equal(r.usage?.cacheReadTokens, 0);
});

test("DeepSeek reasoning: reasoning_content first, then the text", () => {
  const r = decode("deepseek", "deepseek-reasoning.json");
  assert.deepEqual(kinds(r.content), ["reasoning", "text"]);
  const [reasoning, text] = r.content;
  assert.ok(reasoning.type === "reasoning" && reasoning.text?.startsWith("We are asked: \"How many 'r's"));
  assert.ok(text.type === "text" && text.text.startsWith("The word \"strawberry\" contains three"));
  assert.equal(r.usage?.reasoningTokens, 315);
  assert.equal(r.usage?.outputTokens, 345);
});

test("DeepSeek length finish and tool call with reasoning", () => {
  assert.deepEqual(decode("deepseek", "deepseek-text.json").finish, { reason: "length", native: "length" });
  const r = decode("deepseek", "deepseek-tool-call.json");
  assert.deepEqual(kinds(r.content), ["reasoning", "tool-call"], "content \"\" is no text part");
  const call = r.content[1];
  assert.ok(call.type === "tool-call");
  assert.equal(call.id, "call_00_9V0vrf86Pc9aelHCJMZqnJBo");
  assert.equal(call.name, "weather");
  assert.equal(call.arguments, '{"location": "San Francisco"}');
  assert.equal(call.kind, "function");
  assert.deepEqual(r.finish, { reason: "tool_calls", native: "tool_calls" });
  assert.equal(r.usage?.cacheReadTokens, 320);
  assert.equal(r.usage?.reasoningTokens, 48);
});

test("Groq: reasoning in `reasoning`, a no-args tool call without content", () => {
  const r = decode("groq", "groq-reasoning.json");
  assert.deepEqual(kinds(r.content), ["reasoning", "text"]);
  assert.ok(r.content[0].type === "reasoning" && r.content[0].text?.startsWith("Okay, so the user is asking"));
  assert.equal(r.usage?.reasoningTokens, 570);
  const t = decode("groq", "groq-tool-call.json");
  assert.deepEqual(kinds(t.content), ["tool-call"]);
  assert.ok(t.content[0].type === "tool-call" && t.content[0].id === "ax9fskhev" && t.content[0].name === "weather" && t.content[0].arguments === "{}");
  assert.equal(t.finish.reason, "tool_calls");
});

test("xAI: reasoning, tool call, usage with reasoning added to the output", () => {
  const r = decode("xai", "xai-tool-call.json");
  assert.deepEqual(kinds(r.content), ["reasoning", "tool-call"]);
  assert.ok(r.content[1].type === "tool-call" && r.content[1].id === "call_46427107" && r.content[1].arguments === '{"location":"San Francisco"}');
  assert.equal(r.usage?.outputTokens, 281);
  assert.equal(r.usage?.cacheReadTokens, 244);
});

test("Mistral: text with a surrogate pair, tool_calls:null kept", () => {
  const r = decode("mistral", "mistral-text.json");
  assert.deepEqual(kinds(r.content), ["text"]);
  assert.ok(r.content[0].type === "text" && r.content[0].text.endsWith("What would you share? \u{1F60A}"));
  assert.equal(r.usage?.cacheReadTokens, undefined);
});

test("n>1: choice 0 is the content, the other choices are kept as they were", () => {
  const body = {
    id: "chatcmpl-n2",
    object: "chat.completion",
    created: 1,
    model: "gpt-4o-mini",
    choices: [
      { index: 0, message: { role: "assistant", content: "A", refusal: null }, logprobs: null, finish_reason: "stop" },
      { index: 1, message: { role: "assistant", content: "B", refusal: null }, logprobs: null, finish_reason: "length" },
    ],
  };
  const r = chatCodec.decodeResponse(body);
  assert.ok(r.content[0].type === "text" && r.content[0].text === "A");
  assert.deepEqual(r.finish, { reason: "stop", native: "stop" });
  assert.deepEqual(chatCodec.encodeResponse(r, ctx), body);
});

test("a refusal and a legacy function_call are decoded and written back", () => {
  const body = {
    id: "chatcmpl-r",
    object: "chat.completion",
    created: 2,
    model: "gpt-4o",
    choices: [{ index: 0, message: { role: "assistant", content: null, refusal: "I can't help with that." }, logprobs: null, finish_reason: "stop" }],
  };
  const r = chatCodec.decodeResponse(body);
  assert.deepEqual(r.content.map((p) => p.type === "refusal" && p.text), ["I can't help with that."]);
  assert.deepEqual(chatCodec.encodeResponse(r, ctx), body);
  const legacy = {
    id: "chatcmpl-f",
    object: "chat.completion",
    created: 3,
    model: "gpt-3.5-turbo",
    choices: [{ index: 0, message: { role: "assistant", content: null, function_call: { name: "get_time", arguments: '{"tz":"UTC"}' } }, finish_reason: "function_call" }],
  };
  const l = chatCodec.decodeResponse(legacy);
  assert.ok(l.content[0].type === "tool-call" && l.content[0].name === "get_time" && l.content[0].arguments === '{"tz":"UTC"}');
  assert.deepEqual(l.finish, { reason: "tool_calls", native: "function_call" });
  assert.deepEqual(chatCodec.encodeResponse(l, ctx), legacy);
});

test("a surprising upstream body degrades instead of throwing", () => {
  const r = chatCodec.decodeResponse({ object: "chat.completion", choices: "nope" });
  assert.deepEqual(r.content, []);
  assert.equal(r.finish.reason, "other");
  assert.deepEqual(chatCodec.decodeResponse({}).content, []);
});

/** What the Anthropic decoder makes of a thinking + text + two tool calls answer. */
const anthropicResponse: CanonicalResponse = {
  id: "msg_01XFDUDYJgAACzvnptvVoYEL",
  model: "claude-sonnet-4-5-20250929",
  content: [
    { type: "reasoning", text: "The user wants the weather.", signature: "EqQBCkYIBxgCKkB", producer: "anthropic", extras: { anthropic: { type: "thinking" } } },
    { type: "reasoning", encrypted: "EmwKAhgBEgy3va3pzix", redacted: true, producer: "anthropic" },
    { type: "text", text: "Let me check.", extras: { anthropic: { citations: null } } },
    { type: "tool-call", id: "toolu_01A", name: "get_weather", arguments: '{"city":"Paris"}', kind: "function" },
    { type: "tool-call", id: "toolu_01B", name: "get_time", arguments: "", kind: "function" },
  ],
  finish: { reason: "tool_calls", native: "tool_use" },
  usage: { inputTokens: 2095, outputTokens: 503, cacheReadTokens: 2000, cacheWriteTokens: 0, extras: { anthropic: { service_tier: "standard" } } },
  extras: { anthropic: { type: "message", role: "assistant" } },
};

test("another provider's answer becomes a clean, standard Chat completion", () => {
  const out = chatCodec.encodeResponse(anthropicResponse, context({ stream: false }, "anthropic:claude-sonnet-4-5")) as unknown as ChatCompletion;
  assert.match(out.id, /^chatcmpl-/);
  assert.equal(out.id, "chatcmpl-msg_01XFDUDYJgAACzvnptvVoYEL");
  assert.equal(out.object, "chat.completion");
  assert.equal(typeof out.created, "number");
  assert.equal(out.model, "claude-sonnet-4-5-20250929");
  assert.equal(out.choices.length, 1);
  assert.deepEqual(out.choices[0], {
    index: 0,
    logprobs: null,
    finish_reason: "tool_calls",
    message: {
      role: "assistant",
      content: "Let me check.",
      refusal: null,
      reasoning_content: "The user wants the weather.",
      reasoning_details: [
        { type: "reasoning.text", text: "The user wants the weather.", signature: "EqQBCkYIBxgCKkB", format: "anthropic-claude-v1", index: 0 },
        { type: "reasoning.encrypted", data: "EmwKAhgBEgy3va3pzix", format: "anthropic-claude-v1", index: 1 },
      ],
      tool_calls: [
        { id: "toolu_01A", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } },
        { id: "toolu_01B", type: "function", function: { name: "get_time", arguments: "{}" } },
      ],
    },
  });
  assert.deepEqual(out.usage, {
    prompt_tokens: 2095,
    completion_tokens: 503,
    total_tokens: 2598,
    prompt_tokens_details: { cached_tokens: 2000, cache_write_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: 0 },
  });
});

test("no text gives content null; a refusal goes in `refusal`; Gemini's call signature rides in extra_content", () => {
  const out = chatCodec.encodeResponse(
    {
      id: "",
      model: "",
      content: [
        { type: "refusal", text: "No." },
        { type: "tool-call", id: "c1", name: "f", arguments: "{}", kind: "function", signature: "CiQB0e2Kb" },
      ],
      finish: { reason: "content_filter", native: "SAFETY" },
    },
    context({ stream: false }, "gemini:gemini-2.5-flash"),
  ) as unknown as ChatCompletion;
  assert.match(out.id, /^chatcmpl-.+/);
  assert.equal(out.model, "gemini:gemini-2.5-flash", "the context's model when the answer names none");
  const msg = out.choices[0].message as unknown as Record<string, unknown>;
  assert.equal(msg.content, null);
  assert.equal(msg.refusal, "No.");
  assert.deepEqual(msg.tool_calls, [{ id: "c1", type: "function", function: { name: "f", arguments: "{}" }, extra_content: { google: { thought_signature: "CiQB0e2Kb" } } }]);
  assert.equal(out.choices[0].finish_reason, "content_filter");
  assert.equal(out.usage, undefined);
});

test("URL citations of another format become url_citation annotations over the joined text", () => {
  const out = chatCodec.encodeResponse(
    {
      id: "r1",
      model: "m",
      content: [
        { type: "text", text: "Intro. " },
        { type: "text", text: "Paris is sunny.", citations: [{ type: "url", url: "https://w.example/paris", title: "Weather", startIndex: 0, endIndex: 15 }, { type: "document", title: "doc" }] },
      ],
      finish: { reason: "stop" },
    },
    ctx,
  ) as unknown as ChatCompletion;
  const msg = out.choices[0].message;
  assert.equal(msg.content, "Intro. Paris is sunny.");
  assert.deepEqual(msg.annotations, [{ type: "url_citation", url_citation: { url: "https://w.example/paris", title: "Weather", start_index: 7, end_index: 22 } }]);
});

test("a Chat client that hands our answer back gives the signature back to its producer", () => {
  const out = chatCodec.encodeResponse(anthropicResponse, ctx) as unknown as ChatCompletion;
  const replay = wire({ model: "anthropic:claude-sonnet-4-5", messages: [{ role: "user", content: "Weather in Paris?" }, out.choices[0].message] });
  const request = chatCodec.decodeRequest(replay);
  const assistant = request.messages[1];
  assert.equal(assistant.role, "assistant");
  const [thinking, redacted, text, call, noArgs] = assistant.content;
  assert.ok(thinking.type === "reasoning");
  assert.equal(thinking.text, "The user wants the weather.");
  assert.equal(thinking.signature, "EqQBCkYIBxgCKkB");
  assert.equal(thinking.producer, "anthropic");
  assert.ok(redacted.type === "reasoning" && redacted.encrypted === "EmwKAhgBEgy3va3pzix" && redacted.redacted === true && redacted.producer === "anthropic");
  assert.ok(text.type === "text" && text.text === "Let me check.");
  assert.ok(call.type === "tool-call" && call.id === "toolu_01A" && call.arguments === '{"city":"Paris"}');
  assert.ok(noArgs.type === "tool-call" && noArgs.arguments === "{}");
  // And the replayed request goes to a Chat upstream as the client sent it.
  assert.deepEqual(chatCodec.encodeRequest(request), replay);
});

test("OpenRouter: reasoning_details are the parts, the `reasoning` copy beside them is written from them", () => {
  const body = {
    id: "gen-1",
    object: "chat.completion",
    created: 9,
    model: "anthropic/claude-sonnet-4",
    provider: "Anthropic",
    choices: [
      {
        index: 0,
        logprobs: null,
        finish_reason: "tool_calls",
        native_finish_reason: "tool_calls",
        message: {
          role: "assistant",
          content: null,
          refusal: null,
          reasoning: "Need the weather.",
          tool_calls: [{ type: "function", index: 0, id: "toolu_1", function: { name: "weather", arguments: '{"location":"Florence"}' } }],
          reasoning_details: [{ type: "reasoning.text", text: "Need the weather.", format: "anthropic-claude-v1", index: 0, signature: "EqcDCkg" }],
        },
      },
    ],
    usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15, cost: 0.001, prompt_tokens_details: { cached_tokens: 0, cache_write_tokens: 0 } },
  };
  const r = chatCodec.decodeResponse(body);
  assert.deepEqual(kinds(r.content), ["reasoning", "tool-call"]);
  const reasoning = r.content[0];
  assert.ok(reasoning.type === "reasoning");
  assert.deepEqual([reasoning.text, reasoning.signature, reasoning.producer], ["Need the weather.", "EqcDCkg", "anthropic"]);
  assert.equal(r.usage?.cacheWriteTokens, 0);
  assert.deepEqual(chatCodec.encodeResponse(r, ctx), body);
  // A stage that rewrites the reasoning text changes both fields: no copy of the old text is kept.
  const changed = { ...r, content: [{ ...reasoning, text: "[redacted]" }, r.content[1]] };
  const msg = (chatCodec.encodeResponse(changed, ctx) as unknown as ChatCompletion).choices[0].message as unknown as Record<string, unknown>;
  assert.equal(msg.reasoning, "[redacted]");
  assert.deepEqual(msg.reasoning_details, [{ type: "reasoning.text", text: "[redacted]", format: "anthropic-claude-v1", index: 0, signature: "EqcDCkg" }]);
  assert.equal(JSON.stringify(r.extras).includes("Need the weather"), false);
});
