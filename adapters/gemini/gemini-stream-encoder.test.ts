import { test } from "node:test";
import assert from "node:assert/strict";
import type { ToolCallPart } from "../../src/canonical/content.ts";
import type { StreamChunk } from "../../src/canonical/stream.ts";
import { readFixtureChunks } from "../../test/helpers/fixtures.ts";
import { geminiCodec } from "./gemini-codec.ts";
import type { GeminiResponseBody } from "./gemini-wire.ts";

const context = { request: { model: "gemini-2.5-flash", messages: [], stream: true }, model: "gemini-2.5-flash" };
const call = (id: string, name: string, args: string): ToolCallPart => ({ type: "tool-call", id, name, arguments: args, kind: "function" });

/** A stream as the Anthropic decoder would produce it: thinking, text, two tool calls, usage, finish. */
const anthropicChunks: StreamChunk[] = [
  { events: [{ type: "start", id: "msg_01", model: "claude-sonnet-4-5" }] },
  { events: [{ type: "part-start", index: 0, part: { type: "reasoning", text: "", producer: "anthropic" } }] },
  { events: [{ type: "reasoning-delta", index: 0, delta: "Let me think.", channel: "text" }] },
  { events: [{ type: "reasoning-signature", index: 0, signature: "ErUBCkYI" }] },
  { events: [{ type: "part-end", index: 0, part: { type: "reasoning", text: "Let me think.", signature: "ErUBCkYI", producer: "anthropic" } }] },
  { events: [{ type: "native", format: "anthropic", value: { type: "ping" } }] },
  { events: [{ type: "part-start", index: 1, part: { type: "text", text: "" } }, { type: "text-delta", index: 1, delta: "Checking " }] },
  { events: [{ type: "text-delta", index: 1, delta: "both." }, { type: "part-end", index: 1, part: { type: "text", text: "Checking both." } }] },
  { events: [{ type: "part-start", index: 2, part: call("toolu_1", "get_weather", "") }, { type: "tool-args-delta", index: 2, delta: '{"city":' }] },
  { events: [{ type: "tool-args-delta", index: 2, delta: '"Paris"}' }, { type: "part-end", index: 2, part: call("toolu_1", "get_weather", '{"city":"Paris"}') }] },
  { events: [{ type: "part-start", index: 3, part: call("toolu_2", "get_time", "") }, { type: "part-end", index: 3, part: call("toolu_2", "get_time", "") }] },
  { events: [{ type: "usage", usage: { inputTokens: 50, outputTokens: 30, cacheReadTokens: 10 } }, { type: "finish", finish: { reason: "tool_calls", native: "tool_use" } }] },
];

test("another provider's stream becomes Gemini chunks: thoughts, text, whole calls, usage, finish", () => {
  const encoder = geminiCodec.streamEncoder(context);
  const out = anthropicChunks.flatMap((c) => encoder.encode(c)).map((e) => e.data);
  const candidate = (parts: unknown[], extra = {}) => ({ candidates: [{ content: { role: "model", parts }, index: 0, ...extra }], modelVersion: "claude-sonnet-4-5", responseId: "msg_01" });
  assert.deepEqual(out, [
    candidate([{ text: "Let me think.", thought: true }]),
    candidate([{ text: "Checking " }]),
    candidate([{ text: "both." }]),
    candidate([{ functionCall: { name: "get_weather", args: { city: "Paris" } } }]),
    candidate([{ functionCall: { name: "get_time" } }]),
    {
      candidates: [{ content: { role: "model" }, index: 0, finishReason: "STOP" }],
      usageMetadata: { promptTokenCount: 50, candidatesTokenCount: 30, cachedContentTokenCount: 10, totalTokenCount: 80 },
      modelVersion: "claude-sonnet-4-5",
      responseId: "msg_01",
    },
  ]);
  assert.deepEqual(encoder.end(), []);
});

test("the encoded stream decodes back to the same calls and finish", () => {
  const encoder = geminiCodec.streamEncoder(context);
  const decoder = geminiCodec.streamDecoder();
  const events = anthropicChunks.flatMap((c) => encoder.encode(c)).flatMap((e) => decoder.decode(e).events);
  const calls = events.flatMap((e) => (e.type === "part-end" && e.part.type === "tool-call" ? [[e.part.name, e.part.arguments]] : []));
  assert.deepEqual(calls, [
    ["get_weather", '{"city":"Paris"}'],
    ["get_time", ""],
  ]);
  assert.deepEqual(
    events.find((e) => e.type === "finish"),
    { type: "finish", finish: { reason: "tool_calls", native: "STOP" }, usage: { inputTokens: 50, outputTokens: 30, cacheReadTokens: 10, totalTokens: 80 } },
  );
  assert.equal(decoder.end(), undefined);
});

test("an error chunk mid-stream is an error event, and errors encode as Google's error body", () => {
  const decoder = geminiCodec.streamDecoder();
  decoder.decode({ data: { candidates: [{ content: { role: "model", parts: [{ text: "Hel" }] }, index: 0 }], responseId: "r1", modelVersion: "gemini-2.5-flash" } });
  const chunk = decoder.decode({ data: { error: { code: 503, message: "The model is overloaded. Please try again later.", status: "UNAVAILABLE" } } });
  assert.equal(chunk.events.length, 1);
  const e = chunk.events[0];
  assert.equal(e.type, "error");
  if (e.type !== "error") return;
  assert.deepEqual([e.error.status, e.error.kind, e.error.message], [503, "overloaded", "The model is overloaded. Please try again later."]);
  const encoder = geminiCodec.streamEncoder(context);
  assert.deepEqual(encoder.encode(chunk), [{ data: { error: { code: 503, message: "The model is overloaded. Please try again later.", status: "UNAVAILABLE" } } }]);
  assert.deepEqual(encoder.error({ status: 500, kind: "upstream", message: "boom" }), [{ data: { error: { code: 500, message: "boom", status: "INTERNAL" } } }]);
});

test("a stream cut before its finish reason ends with an error, never a silent success", () => {
  const decoder = geminiCodec.streamDecoder();
  decoder.decode({ data: { candidates: [{ content: { role: "model", parts: [{ text: "Hel" }] }, index: 0 }], responseId: "r1" } });
  const tail = decoder.end();
  assert.deepEqual(
    tail?.events.map((e) => e.type),
    ["part-end", "error"],
  );
});

test("a blocked prompt finishes with content_filter and re-encodes without candidates", () => {
  const blocked = { promptFeedback: { blockReason: "PROHIBITED_CONTENT" }, usageMetadata: { promptTokenCount: 8, totalTokenCount: 8 }, modelVersion: "gemini-2.5-flash", responseId: "b1" };
  const decoder = geminiCodec.streamDecoder();
  const chunk = decoder.decode({ data: blocked });
  assert.deepEqual(chunk.events.at(-1), { type: "finish", finish: { reason: "content_filter", native: "PROHIBITED_CONTENT" }, usage: { inputTokens: 8, outputTokens: 0, totalTokens: 8 } });
  assert.deepEqual(geminiCodec.streamEncoder(context).encode(chunk), [{ data: blocked }]);
  const response = geminiCodec.decodeResponse(blocked);
  assert.deepEqual(response.finish, { reason: "content_filter", native: "PROHIBITED_CONTENT" });
  assert.deepEqual(geminiCodec.encodeResponse(response, context), blocked);
});

test("a signature on the piece that opens a text goes before it and comes back onto it", () => {
  const line = { candidates: [{ content: { role: "model", parts: [{ text: "Thinking done", thought: true }, { text: "Answer", thoughtSignature: "S25" }] }, index: 0 }], responseId: "r", modelVersion: "gemini-2.5-flash" };
  const next = { candidates: [{ content: { role: "model", parts: [{ text: " continues." }] }, finishReason: "STOP", index: 0 }], responseId: "r", modelVersion: "gemini-2.5-flash" };
  const decoder = geminiCodec.streamDecoder();
  const encoder = geminiCodec.streamEncoder(context);
  const first = decoder.decode({ data: line });
  const second = decoder.decode({ data: next });
  assert.deepEqual(encoder.encode(first), [{ data: line }]);
  assert.deepEqual(encoder.encode(second), [{ data: next }]);
  const ends = [...first.events, ...second.events].flatMap((e) => (e.type === "part-end" ? [e.part] : []));
  assert.deepEqual(ends, [
    { type: "reasoning", text: "Thinking done", producer: "gemini" },
    { type: "reasoning", signature: "S25", producer: "gemini" },
    { type: "text", text: "Answer continues." },
  ]);
});

test("with several candidates the canonical stream follows candidate 0 and keeps the others native", () => {
  const lines = [
    { candidates: [{ content: { role: "model", parts: [{ text: "A0" }] }, index: 0 }, { content: { role: "model", parts: [{ text: "B0" }] }, index: 1 }], responseId: "m" },
    { candidates: [{ content: { role: "model", parts: [{ text: "B1" }] }, finishReason: "STOP", index: 1 }], responseId: "m" },
    { candidates: [{ content: { role: "model", parts: [{ text: "A1" }] }, finishReason: "MAX_TOKENS", index: 0 }], responseId: "m" },
  ];
  const decoder = geminiCodec.streamDecoder();
  const encoder = geminiCodec.streamEncoder(context);
  const events = lines.flatMap((data) => {
    const chunk = decoder.decode({ data });
    assert.deepEqual(encoder.encode(chunk), [{ data }]);
    return chunk.events;
  });
  assert.equal(events.flatMap((e) => (e.type === "text-delta" ? [e.delta] : [])).join(""), "A0A1");
  assert.deepEqual(events.filter((e) => e.type === "finish"), [{ type: "finish", finish: { reason: "length", native: "MAX_TOKENS" } }]);
});

test("a streamed Vertex call a policy removed does not come back through its native fragments", () => {
  const decoder = geminiCodec.streamDecoder();
  const encoder = geminiCodec.streamEncoder(context);
  const lines = readFixtureChunks("gemini", "google-stream-tool-call-arguments.chunks.txt");
  const out = lines.flatMap((data) => {
    const chunk = decoder.decode({ data });
    // What a blocking stage does: the call's events go, the chunk's extras stay.
    const kept = { ...chunk, events: chunk.events.filter((e) => !("index" in e) || (e.type !== "part-start" && e.type !== "tool-args-delta" && e.type !== "part-end") || e.index !== 1) };
    return encoder.encode(kept);
  });
  const parts = out.flatMap((e) => (e.data as GeminiResponseBody).candidates?.[0]?.content?.parts ?? []);
  assert.deepEqual(
    parts.flatMap((p) => (p.functionCall?.name ?? p.functionCall?.partialArgs?.[0]?.stringValue ?? [])),
    ["getWeather", "Boston", ""],
  );
});
