import assert from "node:assert/strict";
import { test } from "node:test";
import type { AssistantPart } from "../../../src/canonical/content.ts";
import type { JsonObject } from "../../../src/canonical/extras.ts";
import type { StreamEvent } from "../../../src/canonical/stream.ts";
import { listFixtures, readFixtureJson } from "../../../test/helpers/fixtures.ts";
import type { NativeEvent } from "../../types.ts";
import { chatCodec } from "./chat-codec.ts";
import { chatFixtures, chunkEvents, context, decodeStream, readSseFixture } from "./chat-test-support.ts";

/** encode(decode(x)) for each event of a stream, through one decoder and one encoder, as a same-format stream does. */
function roundTrip(events: readonly NativeEvent[]): void {
  const decoder = chatCodec.streamDecoder();
  const encoder = chatCodec.streamEncoder(context());
  for (const [i, event] of events.entries()) {
    const out = encoder.encode(decoder.decode(event));
    assert.equal(out.length, 1, `event ${i} gives one frame`);
    assert.deepEqual(out[0].data, event.data, `event ${i}`);
  }
  assert.equal(decoder.end(), undefined);
  assert.deepEqual(encoder.end(), [], "the stream's own [DONE] was written; nothing is added");
}

for (const [folder, file] of chatFixtures(".chunks.txt")) {
  test(`round trip of every chunk: ${folder}/${file}`, () => roundTrip([...chunkEvents(folder, file), { data: "[DONE]" }]));
}

test("round trip of every event of the raw SSE gateway trace, [DONE] included", () => {
  const events = readSseFixture("openai-compatible", "anthropic-fallback-tool-call.sse");
  assert.equal(events.at(-1)?.data, "[DONE]");
  roundTrip(events);
});

const kinds = (parts: AssistantPart[]) => parts.map((p) => p.type);
const call = (p: AssistantPart | undefined) => (p?.type === "tool-call" ? { id: p.id, name: p.name, arguments: p.arguments } : undefined);

/** The recorded streams and bodies are separate requests: the same kind of answer, not the same bytes. */
function sameShape(stream: AssistantPart[], body: AssistantPart[]): void {
  assert.deepEqual(kinds(stream), kinds(body));
  for (let i = 0; i < body.length; i++) {
    const s = stream[i];
    const b = body[i];
    if (b.type === "tool-call" && s.type === "tool-call") {
      assert.equal(s.name, b.name);
      assert.deepEqual(JSON.parse(s.arguments), JSON.parse(b.arguments));
    } else if ((b.type === "text" || b.type === "reasoning") && (s.type === "text" || s.type === "reasoning")) {
      assert.ok(s.text && b.text, "both have text");
    }
  }
}

for (const folder of ["openai-chat", "deepseek", "groq", "xai", "mistral"]) {
  for (const file of listFixtures(folder, ".chunks.txt")) {
    const json = file.replace(".chunks.txt", ".json");
    if (!listFixtures(folder, ".json").includes(json)) continue;
    test(`stream assembles the content of the matching body: ${folder}/${file}`, () => {
      const streamed = decodeStream(chunkEvents(folder, file));
      const body = chatCodec.decodeResponse(readFixtureJson(folder, json));
      assert.deepEqual(streamed.errors, []);
      sameShape(streamed.parts, body.content);
      assert.equal(streamed.finish?.reason, body.finish.reason);
    });
  }
}

test("OpenAI text stream: role chunk with content \"\" is no part; usage-only chunk after the finish", () => {
  const s = decodeStream(chunkEvents("openai-chat", "openai-text.chunks.txt"));
  assert.deepEqual(kinds(s.parts), ["text"]);
  assert.ok(s.parts[0].type === "text" && s.parts[0].text.startsWith("**Holiday Name:**"));
  assert.deepEqual(s.finish, { reason: "stop", native: "stop" });
  assert.equal(s.usage?.outputTokens, 300);
  const first = s.chunks[0].events;
  assert.deepEqual(first, [{ type: "start", id: "chatcmpl-D8Z5oo6uDh67AD85p73ksdT1KxhE0", model: "gpt-4.1-nano-2025-04-14", created: 1770933892 }]);
  const last = s.chunks.at(-1)!.events;
  assert.deepEqual(last.map((e) => e.type), ["usage"]);
});

test("Azure: the first chunk with only prompt_filter_results has no events; reasoning tokens in the usage", () => {
  const s = decodeStream(chunkEvents("openai-chat", "azure-model-router.1.chunks.txt"));
  assert.deepEqual(s.chunks[0].events, []);
  assert.equal(s.chunks[1].events[0].type, "start");
  assert.ok(s.parts[0].type === "text" && s.parts[0].text === "Capital of Denmark.");
  assert.equal(s.usage?.reasoningTokens, 64);
});

test("DeepSeek: reasoning deltas then a tool call in tiny fragments; usage on the finish chunk", () => {
  const s = decodeStream(chunkEvents("deepseek", "deepseek-tool-call.chunks.txt"));
  assert.deepEqual(kinds(s.parts), ["reasoning", "tool-call"]);
  assert.ok(s.parts[0].type === "reasoning" && s.parts[0].text?.startsWith("The user is asking"));
  assert.deepEqual(call(s.parts[1]), { id: "call_00_ioIn7yN9p1ZOMNpDLwd4MgAF", name: "weather", arguments: '{"location": "San Francisco"}' });
  const finishChunk = s.chunks.at(-1)!.events;
  assert.deepEqual(finishChunk.map((e) => e.type), ["part-end", "finish"]);
  const finish = finishChunk[1] as Extract<StreamEvent, { type: "finish" }>;
  assert.equal(finish.usage?.cacheReadTokens, 320);
  assert.equal(finish.usage?.reasoningTokens, 39);
  // The reasoning part ended when the call began, never mid-arguments.
  const callStart = s.chunks.findIndex((c) => c.events.some((e) => e.type === "part-start" && e.part.type === "tool-call"));
  assert.deepEqual(s.chunks[callStart].events.map((e) => e.type), ["part-end", "part-start"]);
});

test("DeepSeek reasoning stream: reasoning then text, the other field null", () => {
  const s = decodeStream(chunkEvents("deepseek", "deepseek-reasoning.chunks.txt"));
  assert.deepEqual(kinds(s.parts), ["reasoning", "text"]);
  assert.equal(s.usage?.reasoningTokens, 205);
});

test("Groq: the whole call in one delta, x_groq kept", () => {
  const s = decodeStream(chunkEvents("groq", "groq-tool-call.chunks.txt"));
  assert.deepEqual(call(s.parts[0]), { id: "tk85n1k4m", name: "weather", arguments: "{}" });
  assert.deepEqual(s.chunks[1].events.map((e) => e.type), ["part-start", "tool-args-delta"]);
  assert.equal(s.usage?.inputTokens, 210);
  assert.deepEqual((s.chunks[0].extras?.["openai-chat"] as JsonObject).x_groq, { id: "req_01kh52nj5yfcat8hrmvrk2j2hj", seed: 689520654 });
});

test("xAI: 227 reasoning deltas, one complete call, usage-only chunk with reasoning in total_tokens", () => {
  const s = decodeStream(chunkEvents("xai", "xai-tool-call.chunks.txt"));
  assert.deepEqual(kinds(s.parts), ["reasoning", "tool-call"]);
  assert.deepEqual(call(s.parts[1]), { id: "call_79382389", name: "weather", arguments: '{"location":"San Francisco"}' });
  assert.equal(s.usage?.outputTokens, 26 + 227);
  assert.equal(s.usage?.cacheReadTokens, 306);
});

test("Mistral: the second delta of a call has no id and name \"\", and carries all the arguments", () => {
  const s = decodeStream(chunkEvents("mistral", "mistral-incremental-tool-call.chunks.txt"));
  assert.deepEqual(kinds(s.parts), ["tool-call"]);
  assert.deepEqual(call(s.parts[0]), { id: "chatcmpl-tool-9f149c74c42f265b", name: "webSearchTool", arguments: '{"query": "current Berlin weather"}' });
  assert.equal(s.usage?.cacheReadTokens, 128);
});

test("gateway trace: text, then a call whose first delta has index 1, an empty continuation, [DONE]", () => {
  const s = decodeStream(readSseFixture("openai-compatible", "anthropic-fallback-tool-call.sse"));
  assert.deepEqual(kinds(s.parts), ["text", "tool-call"]);
  assert.ok(s.parts[0].type === "text" && s.parts[0].text === "Reading it.");
  assert.deepEqual(call(s.parts[1]), { id: "toolu_sanitized", name: "read_file", arguments: '{"path": "a.txt"}' });
  assert.deepEqual(s.finish, { reason: "tool_calls", native: "tool_calls" });
  assert.equal(s.usage, undefined);
  assert.deepEqual(s.errors, []);
});

const frame = (delta: JsonObject, finish: string | null = null, extra: JsonObject = {}): NativeEvent => ({
  data: { id: "chatcmpl-x", object: "chat.completion.chunk", created: 5, model: "m", choices: [{ index: 0, delta, finish_reason: finish }], ...extra },
});

test("two calls in a row: the first ends when the second starts; arguments are never parsed", () => {
  const s = decodeStream([
    frame({ role: "assistant", content: "" }),
    frame({ tool_calls: [{ index: 0, id: "a", type: "function", function: { name: "f", arguments: '{"x":' } }] }),
    frame({ tool_calls: [{ index: 0, function: { arguments: "1" } }] }),
    frame({ tool_calls: [{ index: 1, id: "b", type: "function", function: { name: "g", arguments: "" } }] }),
    frame({ tool_calls: [{ index: 1, function: { arguments: "not json" } }] }),
    frame({}, "tool_calls"),
    { data: "[DONE]" },
  ]);
  assert.deepEqual(s.parts.map(call), [
    { id: "a", name: "f", arguments: '{"x":1' },
    { id: "b", name: "g", arguments: "not json" },
  ]);
  assert.deepEqual(s.chunks[3].events.map((e) => e.type), ["part-end", "part-start"]);
});

test("several calls whole in one delta; an index reused with a new id is a new call", () => {
  const s = decodeStream([
    frame({ tool_calls: [
      { index: 0, id: "a", type: "function", function: { name: "f", arguments: "{}" } },
      { index: 1, id: "b", type: "function", function: { name: "g", arguments: '{"y":2}' } },
    ] }),
    frame({ tool_calls: [{ index: 0, id: "c", type: "function", function: { name: "h", arguments: "{}" } }] }),
    frame({}, "tool_calls"),
  ]);
  assert.deepEqual(s.parts.map((p) => call(p)?.id), ["a", "b", "c"]);
  assert.deepEqual(s.errors, []);
});

test("more arguments for a call that already ended is an upstream error, not a merge", () => {
  const s = decodeStream([
    frame({ tool_calls: [{ index: 0, id: "a", type: "function", function: { name: "f", arguments: "{}" } }] }),
    frame({ content: "text in between" }),
    frame({ tool_calls: [{ index: 0, function: { arguments: '{"evil":1}' } }] }),
  ]);
  assert.equal(s.errors.length, 1);
  assert.equal(s.errors[0].status, 502);
  assert.deepEqual(call(s.parts[0]), { id: "a", name: "f", arguments: "{}" });
});

test("a stream cut before its finish is an error; [DONE] without a finish reason completes it", () => {
  const cut = decodeStream([frame({ content: "Hel" })]);
  assert.equal(cut.errors.length, 1);
  assert.equal(cut.errors[0].code, "upstream_stream_truncated");
  const done = decodeStream([frame({ content: "Hello" }), frame({ tool_calls: [{ index: 0, id: "a", function: { name: "f", arguments: "{}" } }] }), { data: "[DONE]" }]);
  assert.deepEqual(done.errors, []);
  assert.deepEqual(kinds(done.parts), ["text", "tool-call"]);
  assert.deepEqual(done.finish, { reason: "tool_calls" });
  const noDone = decodeStream([frame({ content: "Hi" }, "stop")]);
  assert.deepEqual(noDone.errors, [], "a finish reason without [DONE] is a complete answer");
});

test("an in-stream error frame becomes an error event with the body kept", () => {
  const body = { error: { message: "The server had an error while processing your request.", type: "server_error", param: null, code: null } };
  const s = decodeStream([frame({ content: "Hi" }), { data: body }]);
  assert.equal(s.errors.length, 1);
  assert.equal(s.errors[0].status, 500);
  assert.equal(s.errors[0].message, body.error.message);
  assert.deepEqual(s.errors[0].native, { format: "openai-chat", body });
  const limited = decodeStream([{ data: { error: { message: "Rate limit reached", type: "requests", code: "rate_limit_exceeded", param: null } } }]);
  assert.equal(limited.errors[0].status, 429);
  assert.equal(limited.errors[0].kind, "rate_limit");
  // OpenRouter: an HTTP status in a numeric code, on a chunk that also finishes with "error".
  const openRouter = decodeStream([frame({ content: "Hi" }), frame({ content: "" }, "error", { error: { code: 502, message: "Provider returned error" } })]);
  assert.deepEqual([openRouter.errors[0].status, openRouter.errors[0].kind, openRouter.errors[0].message], [502, "upstream", "Provider returned error"]);
});

test("a refusal streams as a refusal part", () => {
  const s = decodeStream([frame({ role: "assistant", content: "", refusal: null }), frame({ refusal: "I can't" }), frame({ refusal: " help." }), frame({}, "stop")]);
  assert.deepEqual(s.parts, [{ type: "refusal", text: "I can't help." }]);
});

test("OpenRouter: `reasoning` with reasoning_details text and a signature in a later entry", () => {
  const detail = (d: JsonObject) => ({ type: "reasoning.text", format: "anthropic-claude-v1", index: 0, ...d });
  const events = [
    frame({ role: "assistant", content: "", reasoning: null, reasoning_details: [] }),
    frame({ role: "assistant", content: "", reasoning: "Check the", reasoning_details: [detail({ text: "Check the" })] }),
    frame({ role: "assistant", content: "", reasoning: " weather.", reasoning_details: [detail({ text: " weather." })] }),
    frame({ role: "assistant", content: "", reasoning: null, reasoning_details: [detail({ signature: "EqcDCkgICBAC" })] }),
    frame({ role: "assistant", content: null, tool_calls: [{ id: "toolu_1", index: 0, type: "function", function: { name: "weather", arguments: "" } }] }),
    frame({ role: "assistant", content: null, tool_calls: [{ index: 0, type: "function", function: { arguments: '{"city":"Florence"}' } }] }),
    frame({ role: "assistant", content: "", reasoning: null, reasoning_details: [] }, "tool_calls", { provider: "Anthropic" }),
    { data: "[DONE]" },
  ];
  const s = decodeStream(events);
  assert.deepEqual(s.parts[0], { type: "reasoning", text: "Check the weather.", signature: "EqcDCkgICBAC", producer: "anthropic", extras: { "openai-chat": { $key: "reasoning" } } });
  assert.deepEqual(call(s.parts[1]), { id: "toolu_1", name: "weather", arguments: '{"city":"Florence"}' });
  roundTrip(events);
});

test("a legacy function_call stream is a tool call", () => {
  const events = [
    frame({ role: "assistant", content: null, function_call: { name: "get_time", arguments: "" } }),
    frame({ function_call: { arguments: '{"tz":' } }),
    frame({ function_call: { arguments: '"UTC"}' } }),
    frame({}, "function_call"),
  ];
  const s = decodeStream(events);
  assert.ok(s.parts[0].type === "tool-call" && s.parts[0].name === "get_time" && s.parts[0].arguments === '{"tz":"UTC"}');
  assert.deepEqual(s.finish, { reason: "tool_calls", native: "function_call" });
  roundTrip([...events, { data: "[DONE]" }]);
});

test("n>1: only choice 0 makes events; chunks of other choices are kept whole", () => {
  const other = { data: { id: "chatcmpl-x", object: "chat.completion.chunk", created: 5, model: "m", choices: [{ index: 1, delta: { content: "B" }, finish_reason: null }] } };
  const events = [frame({ role: "assistant", content: "" }), frame({ content: "A" }), other, frame({}, "stop"), { ...other, data: { ...other.data, choices: [{ index: 1, delta: {}, finish_reason: "stop" }] } }, { data: "[DONE]" }];
  const s = decodeStream(events);
  assert.deepEqual(s.parts, [{ type: "text", text: "A" }]);
  assert.deepEqual(s.chunks[2].events, []);
  roundTrip(events);
});

test("Gemini's thought signature on a streamed call", () => {
  const s = decodeStream([
    frame({ role: "assistant", tool_calls: [{ index: 0, id: "c1", type: "function", function: { name: "f", arguments: "{}" }, extra_content: { google: { thought_signature: "CiQB0e2K" } } }] }),
    frame({}, "tool_calls"),
  ]);
  assert.ok(s.parts[0].type === "tool-call" && s.parts[0].signature === "CiQB0e2K");
});
