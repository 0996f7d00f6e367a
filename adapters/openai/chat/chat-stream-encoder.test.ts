import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import OpenAI from "openai";
import type { ChatCompletionChunk } from "openai/resources/chat/completions";
import type { JsonObject } from "../../../src/canonical/extras.ts";
import type { StreamChunk, StreamEvent } from "../../../src/canonical/stream.ts";
import { sseFraming } from "../../shared/stream-framing.ts";
import { startTestServer, type TestServer } from "../../../test/helpers/http-server.ts";
import type { NativeEvent } from "../../types.ts";
import { chatCodec } from "./chat-codec.ts";
import type { ChatStreamEncoder } from "./chat-stream-encoder.ts";
import { chunkEvents, context } from "./chat-test-support.ts";

const ev = (...events: StreamEvent[]): StreamChunk => ({ events });

/** A stream as the Anthropic decoder gives it: signed thinking, text, a call, more text, a no-args call. */
const anthropicStream: StreamChunk[] = [
  ev({ type: "start", id: "msg_01Stream", model: "claude-sonnet-4-5-20250929" }),
  ev({ type: "part-start", index: 0, part: { type: "reasoning", producer: "anthropic" } }),
  ev({ type: "reasoning-delta", index: 0, delta: "Two tools ", channel: "text" }),
  ev({ type: "native", format: "anthropic", value: { type: "ping" } }),
  ev({ type: "reasoning-delta", index: 0, delta: "are needed.", channel: "text" }),
  ev({ type: "reasoning-signature", index: 0, signature: "EqQBCkYIBxgC" }),
  ev({ type: "part-end", index: 0, part: { type: "reasoning", text: "Two tools are needed.", signature: "EqQBCkYIBxgC", producer: "anthropic" } }),
  ev({ type: "part-start", index: 1, part: { type: "text", text: "" } }, { type: "text-delta", index: 1, delta: "Checking " }),
  ev({ type: "text-delta", index: 1, delta: "both." }, { type: "part-end", index: 1, part: { type: "text", text: "Checking both." } }),
  ev({ type: "part-start", index: 2, part: { type: "tool-call", id: "toolu_a", name: "get_weather", arguments: "", kind: "function" } }),
  ev({ type: "tool-args-delta", index: 2, delta: '{"city":' }),
  ev({ type: "tool-args-delta", index: 2, delta: '"Paris"}' }),
  ev({ type: "part-end", index: 2, part: { type: "tool-call", id: "toolu_a", name: "get_weather", arguments: '{"city":"Paris"}', kind: "function" } }),
  ev({ type: "part-start", index: 3, part: { type: "text", text: "" } }, { type: "text-delta", index: 3, delta: " And" }, { type: "part-end", index: 3, part: { type: "text", text: " And" } }),
  ev({ type: "part-start", index: 4, part: { type: "tool-call", id: "toolu_b", name: "get_time", arguments: "", kind: "function" } }, { type: "tool-args-delta", index: 4, delta: "" }),
  ev({ type: "part-end", index: 4, part: { type: "tool-call", id: "toolu_b", name: "get_time", arguments: "", kind: "function" } }),
  ev({ type: "usage", usage: { inputTokens: 100, outputTokens: 40, cacheReadTokens: 80 } }),
  ev({ type: "finish", finish: { reason: "tool_calls", native: "tool_use" } }),
];

function encodeAll(chunks: readonly StreamChunk[], streamUsage?: boolean): NativeEvent[] {
  const encoder = chatCodec.streamEncoder(context({ streamUsage }));
  return [...chunks.flatMap((c) => encoder.encode(c)), ...encoder.end()];
}

const chunkOf = (frames: NativeEvent[]) => frames[0].data as unknown as ChatCompletionChunk;
const dataOf = (frames: NativeEvent[]) => frames.filter((f) => typeof f.data !== "string").map((f) => f.data as unknown as ChatCompletionChunk & JsonObject);

test("chunks of another format become standard chunks", () => {
  const frames = encodeAll(anthropicStream);
  assert.equal(frames.at(-1)?.data, "[DONE]");
  assert.equal(frames.filter((f) => f.data === "[DONE]").length, 1);
  const chunks = dataOf(frames);
  for (const c of chunks) {
    assert.equal(c.id, "chatcmpl-msg_01Stream");
    assert.equal(c.object, "chat.completion.chunk");
    assert.equal(c.created, chunks[0].created);
    assert.equal(c.model, "claude-sonnet-4-5-20250929");
    assert.equal("usage" in c, false, "no usage key when the client did not ask");
  }
  assert.deepEqual(chunks[0].choices, [{ index: 0, delta: { role: "assistant", content: "" }, finish_reason: null }]);
  const deltas = chunks.map((c) => c.choices[0]?.delta);
  assert.deepEqual(deltas.filter((d) => d?.content !== undefined).map((d) => d!.content), ["", "Checking ", "both.", " And"]);
  assert.deepEqual(deltas.flatMap((d) => ((d as JsonObject)?.reasoning_content as string) ?? []), ["Two tools ", "are needed."]);
  assert.deepEqual(deltas.flatMap((d) => ((d as JsonObject)?.reasoning_details as unknown[]) ?? []), [
    { type: "reasoning.text", text: "Two tools are needed.", signature: "EqQBCkYIBxgC", format: "anthropic-claude-v1", index: 0 },
  ]);
  const calls = deltas.flatMap((d) => d?.tool_calls ?? []);
  assert.deepEqual(calls, [
    { index: 0, id: "toolu_a", type: "function", function: { name: "get_weather", arguments: "" } },
    { index: 0, function: { arguments: '{"city":' } },
    { index: 0, function: { arguments: '"Paris"}' } },
    { index: 1, id: "toolu_b", type: "function", function: { name: "get_time", arguments: "" } },
    { index: 1, function: { arguments: "{}" } },
  ]);
  const finishes = chunks.filter((c) => c.choices[0]?.finish_reason);
  assert.equal(finishes.length, 1);
  assert.equal(finishes[0].choices[0].finish_reason, "tool_calls");
  assert.equal(chunks.at(-1), finishes[0], "nothing after the finish but [DONE]");
});

test("the usage chunk comes only when the request asked for it, after the finish", () => {
  const frames = encodeAll(anthropicStream, true);
  const chunks = dataOf(frames);
  const last = chunks.at(-1)!;
  assert.deepEqual(last.choices, []);
  assert.deepEqual(last.usage, { prompt_tokens: 100, completion_tokens: 40, total_tokens: 140, prompt_tokens_details: { cached_tokens: 80 }, completion_tokens_details: { reasoning_tokens: 0 } });
  assert.equal(chunks.at(-2)!.choices[0].finish_reason, "tool_calls");
  for (const c of chunks.slice(0, -1)) assert.equal(c.usage, null, "usage: null on the other chunks, as OpenAI does");
  assert.equal(frames.at(-1)?.data, "[DONE]");
  // Usage that comes with the finish (Responses, Gemini) is held for the end as well.
  const withFinish = dataOf(encodeAll([ev({ type: "start", id: "x" }), ev({ type: "finish", finish: { reason: "stop" }, usage: { inputTokens: 1, outputTokens: 2 } })], true));
  assert.deepEqual(withFinish.map((c) => c.choices.length), [1, 1, 0]);
});

test("a stream that ends without a finish still gets exactly one; error() writes OpenAI's in-stream error", () => {
  const chunks = dataOf(encodeAll([ev({ type: "part-start", index: 0, part: { type: "text", text: "" } }, { type: "text-delta", index: 0, delta: "Hi" })]));
  assert.equal(chunks.filter((c) => c.choices[0]?.finish_reason).length, 1);
  assert.match(chunks[0].id, /^chatcmpl-/);
  assert.equal(chunks[0].model, "anthropic:claude-sonnet-4-5", "the context's model when the stream names none");

  const encoder = chatCodec.streamEncoder(context());
  encoder.encode(ev({ type: "start", id: "x" }));
  const error = encoder.error({ status: 529, kind: "overloaded", message: "Overloaded", native: { format: "anthropic", body: { type: "error" } } });
  assert.deepEqual(error, [{ data: { error: { message: "Overloaded", type: "server_error", param: null, code: null } } }]);
  assert.deepEqual(encoder.error({ status: 500, kind: "upstream", message: "again" }), [], "one error frame only");
  assert.deepEqual(encoder.end(), []);
});

test("refusal, summary paragraphs, citations, Gemini signatures and custom calls", () => {
  const chunks = dataOf(
    encodeAll([
      ev({ type: "part-start", index: 0, part: { type: "reasoning", producer: "openai-responses", encrypted: "gAAAA" } }),
      ev({ type: "reasoning-delta", index: 0, delta: "First.", channel: "summary", summaryIndex: 0 }),
      ev({ type: "reasoning-delta", index: 0, delta: "Second.", channel: "summary", summaryIndex: 1 }),
      ev({ type: "part-end", index: 0, part: { type: "reasoning", summary: ["First.", "Second."], encrypted: "gAAAA", id: "rs_1", producer: "openai-responses" } }),
      ev({ type: "part-start", index: 1, part: { type: "text", text: "" } }, { type: "text-delta", index: 1, delta: "Sunny." }),
      ev({ type: "citation", index: 1, citation: { type: "url", url: "https://w.example", title: "W", startIndex: 0, endIndex: 6 } }),
      ev({ type: "part-start", index: 2, part: { type: "refusal", text: "" } }, { type: "text-delta", index: 2, delta: "No more." }),
      ev({ type: "part-start", index: 3, part: { type: "tool-call", id: "c1", name: "f", arguments: '{"a":1}', kind: "function", signature: "CiQB" } }),
      ev({ type: "part-start", index: 4, part: { type: "tool-call", id: "c2", name: "patch", arguments: "", kind: "custom" } }, { type: "tool-args-delta", index: 4, delta: "*** Begin" }),
      ev({ type: "finish", finish: { reason: "stop", native: "completed" } }),
    ]),
  );
  const deltas = chunks.map((c) => c.choices[0]?.delta as JsonObject);
  assert.deepEqual(deltas.flatMap((d) => (d?.reasoning_content as string) ?? []), ["First.", "\n\nSecond."]);
  assert.deepEqual(deltas.flatMap((d) => (d?.reasoning_details as unknown[]) ?? []), [{ type: "reasoning.encrypted", data: "gAAAA", format: "openai-responses-v1", index: 0, id: "rs_1" }]);
  assert.deepEqual(deltas.flatMap((d) => (d?.annotations as unknown[]) ?? []), [{ type: "url_citation", url_citation: { url: "https://w.example", title: "W", start_index: 0, end_index: 6 } }]);
  assert.deepEqual(deltas.flatMap((d) => (d?.refusal as string) ?? []), ["No more."]);
  assert.deepEqual(deltas.flatMap((d) => (d?.tool_calls as unknown[]) ?? []), [
    { index: 0, id: "c1", type: "function", function: { name: "f", arguments: '{"a":1}' }, extra_content: { google: { thought_signature: "CiQB" } } },
    { index: 1, id: "c2", type: "custom", custom: { name: "patch", input: "" } },
    { index: 1, custom: { input: "*** Begin" } },
  ]);
  assert.equal(chunks.at(-1)!.choices[0].finish_reason, "stop");
});

/** Serves frames as SSE, the way the proxy writes them to a client. */
let server: TestServer;
let frames: NativeEvent[] = [];
before(async () => {
  server = await startTestServer((_req, res) => {
    res.writeHead(200, { "content-type": "text/event-stream" });
    const writer = sseFraming.writer();
    for (const f of frames) res.write(writer.write(f));
    res.end();
  });
});
after(() => server.close());

test("the openai SDK parses the stream and accumulates the right message", async () => {
  frames = encodeAll(anthropicStream, true);
  const client = new OpenAI({ apiKey: "k", baseURL: server.url, maxRetries: 0 });
  const stream = client.chat.completions.stream({ model: "anthropic:claude-sonnet-4-5", messages: [{ role: "user", content: "Weather and time?" }], stream_options: { include_usage: true } });
  let finishes = 0;
  for await (const chunk of stream) if (chunk.choices[0]?.finish_reason) finishes++;
  const completion = await stream.finalChatCompletion();
  assert.equal(finishes, 1);
  assert.equal(completion.id, "chatcmpl-msg_01Stream");
  const choice = completion.choices[0];
  assert.equal(choice.finish_reason, "tool_calls");
  assert.equal(choice.message.role, "assistant");
  assert.equal(choice.message.content, "Checking both. And");
  assert.deepEqual(
    choice.message.tool_calls?.map((c) => (c.type === "function" ? [c.id, c.function.name, JSON.parse(c.function.arguments)] : c)),
    [
      ["toolu_a", "get_weather", { city: "Paris" }],
      ["toolu_b", "get_time", {}],
    ],
  );
  assert.equal(completion.usage?.total_tokens, 140);
});

test("the SDK also reads a re-encoded Chat upstream stream (DeepSeek tool call)", async () => {
  const decoder = chatCodec.streamDecoder();
  const encoder = chatCodec.streamEncoder(context({ streamUsage: true }));
  frames = [...chunkEvents("deepseek", "deepseek-tool-call.chunks.txt").flatMap((e) => encoder.encode(decoder.decode(e))), ...encoder.end()];
  const client = new OpenAI({ apiKey: "k", baseURL: server.url, maxRetries: 0 });
  const completion = await client.chat.completions.stream({ model: "deepseek:deepseek-reasoner", messages: [{ role: "user", content: "Weather?" }] }).finalChatCompletion();
  const call = completion.choices[0].message.tool_calls?.[0];
  assert.ok(call?.type === "function");
  assert.equal(call.id, "call_00_ioIn7yN9p1ZOMNpDLwd4MgAF");
  assert.deepEqual(JSON.parse(call.function.arguments), { location: "San Francisco" });
  assert.equal(completion.choices[0].finish_reason, "tool_calls");
});

/** A chunk decoded from Chat, changed by a stage that keeps its extras, as the pipeline's stages do. */
function restage(chunk: StreamChunk, map: (e: StreamEvent) => StreamEvent | undefined): StreamChunk {
  return { events: chunk.events.flatMap((e) => map(e) ?? []), extras: chunk.extras };
}

test("chunks of Chat changed by a stage are rebuilt with the change and nothing the events no longer say", () => {
  const decoder = chatCodec.streamDecoder();
  const chunks = chunkEvents("deepseek", "deepseek-tool-call.chunks.txt").map((e) => decoder.decode(e));
  const encoder = chatCodec.streamEncoder(context()) as ChatStreamEncoder;
  // A tool rename (as the tool-names stage does) shows in the call's first entry.
  const start = chunks.find((c) => c.events.some((e) => e.type === "part-start" && e.part.type === "tool-call"))!;
  const renamed = encoder.encode(restage(start, (e) => (e.type === "part-start" && e.part.type === "tool-call" ? { ...e, part: { ...e.part, name: "mcp__weather" } } : e)));
  const entry = chunkOf(renamed).choices[0].delta.tool_calls?.[0];
  assert.deepEqual(entry, { index: 0, id: "call_00_ioIn7yN9p1ZOMNpDLwd4MgAF", type: "function", function: { name: "mcp__weather", arguments: "" } });
  // A call dropped by a policy leaves no entry behind.
  const args = chunks.find((c) => c.events.some((e) => e.type === "tool-args-delta"))!;
  const dropped = encoder.encode(restage(args, (e) => (e.type === "tool-args-delta" ? undefined : e)));
  assert.equal("tool_calls" in chunkOf(dropped).choices[0].delta, false);
  // Redacted reasoning text replaces the original.
  const reasoning = chunks.find((c) => c.events.some((e) => e.type === "reasoning-delta"))!;
  const redacted = encoder.encode(restage(reasoning, (e) => (e.type === "reasoning-delta" ? { ...e, delta: "[redacted]" } : e)));
  assert.equal((chunkOf(redacted).choices[0].delta as JsonObject).reasoning_content, "[redacted]");
  // Usage stripped from the finish chunk (the client did not ask) is gone from it.
  const last = chunks.at(-1)!;
  const stripped = encoder.encode(restage(last, (e) => (e.type === "finish" ? { type: "finish", finish: e.finish } : e)));
  assert.equal("usage" in (stripped[0].data as JsonObject), false);
  assert.equal(chunkOf(stripped).choices[0].finish_reason, "tool_calls");
});

test("a stage's text added to a usage-only chunk gets a choice of its own", () => {
  const decoder = chatCodec.streamDecoder();
  const chunks = chunkEvents("openai-chat", "openai-text.chunks.txt").map((e) => decoder.decode(e));
  const usageChunk = chunks.at(-1)!;
  const encoder = chatCodec.streamEncoder(context());
  const out = encoder.encode({ events: [{ type: "text-delta", index: 0, delta: "!" }, ...usageChunk.events], extras: usageChunk.extras });
  const data = chunkOf(out);
  assert.deepEqual(data.choices, [{ index: 0, delta: { content: "!" }, finish_reason: null }]);
  assert.equal(data.usage?.completion_tokens, 300);
});

test("observe(): in a same-format stream end() adds nothing the upstream already sent", () => {
  const decoder = chatCodec.streamDecoder();
  const encoder = chatCodec.streamEncoder(context({ streamUsage: true })) as ChatStreamEncoder;
  const written: NativeEvent[] = [];
  for (const e of [...chunkEvents("openai-chat", "openai-text.chunks.txt"), { data: "[DONE]" }]) {
    const chunk = decoder.decode(e);
    if (chunk.events.some((x) => x.type === "text-delta" && x.delta === "Holiday")) written.push(...encoder.encode(chunk));
    else encoder.observe(chunk); // forwarded as the upstream's bytes
  }
  assert.equal(written.length, 1);
  assert.deepEqual(encoder.end(), []);
  // Without [DONE] from the upstream (a server that omits it), end() adds only that.
  const d2 = chatCodec.streamDecoder();
  const e2 = chatCodec.streamEncoder(context({ streamUsage: true })) as ChatStreamEncoder;
  for (const e of chunkEvents("openai-chat", "openai-text.chunks.txt")) e2.observe(d2.decode(e));
  assert.deepEqual(e2.end(), [{ data: "[DONE]" }]);
});

test("without observe(), a same-format stream whose chunks mostly went as bytes gets nothing twice from end()", () => {
  const decoder = chatCodec.streamDecoder();
  const encoder = chatCodec.streamEncoder(context({ streamUsage: true }));
  const written: NativeEvent[] = [];
  for (const e of [...chunkEvents("deepseek", "deepseek-tool-call.chunks.txt"), { data: "[DONE]" }]) {
    const chunk = decoder.decode(e);
    if (chunk.events.some((x) => x.type === "part-start")) written.push(...encoder.encode(chunk));
  }
  assert.equal(written.length, 2);
  assert.deepEqual(encoder.end(), [], "no second finish, usage chunk or [DONE]");
  assert.deepEqual(chatCodec.streamEncoder(context()).end(), [], "nothing seen at all: every chunk went as bytes");
});

test("observe() of the upstream's own error frame: error() adds no second one", () => {
  const decoder = chatCodec.streamDecoder();
  const encoder = chatCodec.streamEncoder(context());
  const failed = decoder.decode({ data: { error: { message: "boom", type: "server_error", param: null, code: null } } });
  encoder.observe!(failed);
  assert.deepEqual(encoder.error(failed.events[0].type === "error" ? failed.events[0].error : (undefined as never)), []);
  assert.deepEqual(encoder.end(), []);
  // Encoded instead (a stage changed it), the frame is the upstream's body.
  const e2 = chatCodec.streamEncoder(context());
  assert.deepEqual(e2.encode(failed), [{ data: { error: { message: "boom", type: "server_error", param: null, code: null } } }]);
});
