import assert from "node:assert/strict";
import { test } from "node:test";
import type { JsonObject } from "../../src/canonical/extras.ts";
import type { StreamChunk, StreamEvent } from "../../src/canonical/stream.ts";
import type { NativeEvent } from "../types.ts";
import { cohereStreamDecoder } from "./cohere-stream-decoder.ts";
import { cohereStreamEncoder } from "./cohere-stream-encoder.ts";
import { citationStream, reasoningStream, textStream, toolStream } from "./cohere-test-payloads.ts";

const context = { request: { model: "command-a-03-2025", messages: [], stream: true }, model: "command-a-03-2025" };
const sse = (frames: JsonObject[]): NativeEvent[] => frames.map((data) => ({ event: data.type as string, data }));

function decodeAll(frames: NativeEvent[]): StreamEvent[] {
  const decoder = cohereStreamDecoder();
  const events = frames.flatMap((f) => decoder.decode(f).events);
  const tail = decoder.end();
  return tail ? [...events, ...tail.events] : events;
}

test("every frame of every sample stream encodes back to itself", () => {
  for (const frames of [textStream, toolStream, reasoningStream, citationStream]) {
    const decoder = cohereStreamDecoder();
    const encoder = cohereStreamEncoder(context);
    for (const data of frames) {
      const out = encoder.encode(decoder.decode({ event: data.type as string, data }));
      assert.deepEqual(out, [{ event: data.type, data }], `frame ${data.type}`);
    }
    assert.deepEqual(decoder.decode({ data: "[DONE]" }), { events: [] });
    assert.equal(decoder.end(), undefined, "a stream that ended with message-end needs nothing more");
    assert.deepEqual(encoder.end(), [{ data: "[DONE]" }]);
  }
});

test("text stream: start, one text part, finish with usage", () => {
  const events = decodeAll(sse(textStream));
  assert.deepEqual(events[0], { type: "start", id: "2b7c9e1a-6f3d-4c8b-9a0e-5d1f7b3c9e2a" });
  assert.deepEqual(events[1], { type: "part-start", index: 0, part: { type: "text", text: "", origin: { format: "cohere", index: 0 } } });
  assert.deepEqual(events.filter((e) => e.type === "text-delta").map((e) => e.type === "text-delta" && e.delta), ["Bonjour", " de", " Lyon."]);
  const end = events.find((e) => e.type === "part-end");
  assert.equal(end?.type === "part-end" && end.part.type === "text" && end.part.text, "Bonjour de Lyon.");
  const finish = events.at(-1);
  assert.equal(finish?.type, "finish");
  assert.deepEqual(finish?.type === "finish" && finish.finish, { reason: "stop", native: "COMPLETE" });
  assert.deepEqual(finish?.type === "finish" && [finish.usage?.inputTokens, finish.usage?.outputTokens, finish.usage?.cacheReadTokens], [501, 5, 448]);
});

test("tool stream: the plan is reasoning part 0, calls are parts 1 and 2, arguments only accumulated", () => {
  const events = decodeAll(sse(toolStream));
  const starts = events.filter((e) => e.type === "part-start");
  assert.deepEqual(
    starts.map((e) => e.type === "part-start" && [e.index, e.part.type, e.part.type === "tool-call" ? e.part.name : e.part.extras?.cohere?.$plan]),
    [
      [0, "reasoning", true],
      [1, "tool-call", "get_weather"],
      [2, "tool-call", "current_time"],
    ],
  );
  assert.deepEqual(
    events.filter((e) => e.type === "tool-args-delta").map((e) => e.type === "tool-args-delta" && [e.index, e.delta]),
    [
      [1, '{"ci'],
      [1, 'ty": "Par'],
      [1, 'is"}'],
    ],
  );
  assert.deepEqual(
    events.filter((e) => e.type === "reasoning-delta").map((e) => e.type === "reasoning-delta" && [e.index, e.delta, e.channel]),
    [
      [0, "I will", "text"],
      [0, " check the weather.", "text"],
    ],
  );
  const ends = events.filter((e) => e.type === "part-end").map((e) => (e.type === "part-end" ? e.part : undefined));
  assert.deepEqual(
    ends.map((p) => (p?.type === "tool-call" ? [p.id, p.arguments] : p?.type === "reasoning" ? p.text : undefined)),
    ["I will check the weather.", ["get_weather_m4n5b6v7c8x9", '{"city": "Paris"}'], ["current_time_z1x2c3v4b5n6", ""]],
  );
  const planEnd = events.findIndex((e) => e.type === "part-end" && e.index === 0);
  const firstCall = events.findIndex((e) => e.type === "part-start" && e.index === 1);
  assert.ok(planEnd < firstCall, "the plan closes before the first call starts");
  assert.deepEqual(events.at(-1)?.type === "finish" && events.at(-1), {
    type: "finish",
    finish: { reason: "tool_calls", native: "TOOL_CALL" },
    usage: { inputTokens: 1450, outputTokens: 47, cacheReadTokens: 704, extras: { cohere: { billed_units: { input_tokens: 50, output_tokens: 21 } } } },
  });
});

test("reasoning stream: thinking is Cohere reasoning, then text", () => {
  const events = decodeAll(sse(reasoningStream));
  assert.deepEqual(events[1], { type: "part-start", index: 0, part: { type: "reasoning", text: "", producer: "cohere", origin: { format: "cohere", index: 0 } } });
  assert.deepEqual(
    events.filter((e) => e.type === "reasoning-delta").map((e) => e.type === "reasoning-delta" && [e.index, e.delta, e.channel]),
    [
      [0, "Two plus", "text"],
      [0, " two is four.", "text"],
    ],
  );
  assert.deepEqual(events.filter((e) => e.type === "text-delta").map((e) => e.type === "text-delta" && [e.index, e.delta]), [[1, "4"]]);
});

test("citation stream: the citation points at the text part; citation-end is native", () => {
  const events = decodeAll(sse(citationStream));
  const citation = events.find((e) => e.type === "citation");
  assert.equal(citation?.type === "citation" && citation.index, 0);
  assert.deepEqual(citation?.type === "citation" && [citation.citation.startIndex, citation.citation.endIndex, citation.citation.title], [13, 31, "otters.txt"]);
  assert.ok(events.some((e) => e.type === "native" && e.value.type === "citation-end"));
});

test("a message-end with ERROR is an error event (usage kept), never a silent success, and round trips", () => {
  const frame = { type: "message-end", delta: { finish_reason: "ERROR", error: "internal error during generation", usage: { billed_units: { input_tokens: 3, output_tokens: 1 }, tokens: { input_tokens: 400, output_tokens: 1 } } } };
  const decoder = cohereStreamDecoder();
  decoder.decode({ event: "message-start", data: textStream[0] });
  const chunk = decoder.decode({ event: "message-end", data: frame });
  assert.deepEqual(chunk.events.map((e) => e.type), ["usage", "error"]);
  const error = chunk.events[1];
  assert.deepEqual(error.type === "error" && [error.error.status, error.error.kind, error.error.message], [500, "upstream", "internal error during generation"]);
  assert.equal(chunk.events.some((e) => e.type === "finish"), false);

  const encoder = cohereStreamEncoder(context);
  encoder.encode({ events: [{ type: "start", id: "x" }] });
  assert.deepEqual(encoder.encode(chunk), [{ event: "message-end", data: frame }]);

  const bare = { type: "message-end", delta: { finish_reason: "ERROR" } };
  const bareChunk = cohereStreamDecoder().decode({ event: "message-end", data: bare });
  assert.equal(bareChunk.events[0].type, "error");
  assert.deepEqual(cohereStreamEncoder(context).encode(bareChunk).at(-1), { event: "message-end", data: bare });
});

test("a stream cut before message-end ends with an error", () => {
  const decoder = cohereStreamDecoder();
  for (const data of toolStream.slice(0, 5)) decoder.decode({ event: data.type as string, data });
  const tail = decoder.end();
  assert.ok(tail);
  assert.deepEqual(tail.events.map((e) => e.type), ["part-end", "error"], "the open call is closed, then the failure reported");
  assert.equal(tail.events[1].type === "error" && tail.events[1].error.status, 502);
  assert.equal(decoder.end(), undefined);
});

test("debug and unknown events are native; an error object mid-stream is an error", () => {
  const decoder = cohereStreamDecoder();
  const debug = { type: "debug", event_type: "stream-start", prompt: "<BOS_TOKEN>…" };
  assert.deepEqual(decoder.decode({ event: "debug", data: debug }).events, [{ type: "native", format: "cohere", value: debug }]);
  const future = { type: "search-results", results: [] };
  assert.deepEqual(decoder.decode({ event: "search-results", data: future }).events, [{ type: "native", format: "cohere", value: future }]);
  const encoder = cohereStreamEncoder(context);
  assert.deepEqual(encoder.encode({ events: [{ type: "native", format: "cohere", value: debug }] }), [{ event: "debug", data: debug }]);
  assert.deepEqual(encoder.encode({ events: [{ type: "native", format: "anthropic", value: { type: "ping" } }] }), []);

  const failed = decoder.decode({ data: { id: "e1", message: "too many tokens" } });
  assert.equal(failed.events[0].type === "error" && failed.events[0].error.message, "too many tokens");
});

/** Canonical chunks as another format's decoder (Anthropic here) produces them. */
const foreignChunks: StreamChunk[] = [
  { events: [{ type: "start", id: "msg_01XYZ", model: "claude-sonnet-4-5" }, { type: "usage", usage: { inputTokens: 120, outputTokens: 1, cacheReadTokens: 100 } }] },
  { events: [{ type: "part-start", index: 0, part: { type: "reasoning", text: "", producer: "anthropic" } }] },
  { events: [{ type: "reasoning-delta", index: 0, delta: "User wants weather.", channel: "text" }] },
  { events: [{ type: "reasoning-signature", index: 0, signature: "EqQBCkYIBxgCKkD" }] },
  { events: [{ type: "part-end", index: 0, part: { type: "reasoning", text: "User wants weather.", signature: "EqQBCkYIBxgCKkD", producer: "anthropic" } }] },
  { events: [{ type: "native", format: "anthropic", value: { type: "ping" } }] },
  { events: [{ type: "part-start", index: 1, part: { type: "text", text: "" } }] },
  { events: [{ type: "text-delta", index: 1, delta: "Checking Paris" }] },
  { events: [{ type: "citation", index: 1, citation: { type: "url", url: "https://example.org", title: "Weather", startIndex: 9, endIndex: 14 } }] },
  { events: [{ type: "part-end", index: 1, part: { type: "text", text: "Checking Paris" } }] },
  { events: [{ type: "part-start", index: 2, part: { type: "tool-call", id: "toolu_01", name: "get_weather", arguments: "", kind: "function" } }] },
  { events: [{ type: "tool-args-delta", index: 2, delta: '{"city":' }] },
  { events: [{ type: "tool-args-delta", index: 2, delta: '"Paris"}' }] },
  { events: [{ type: "part-end", index: 2, part: { type: "tool-call", id: "toolu_01", name: "get_weather", arguments: '{"city":"Paris"}', kind: "function" } }] },
  // A decoder that reports a whole call at once (Gemini) never streams its arguments.
  { events: [{ type: "part-start", index: 3, part: { type: "tool-call", id: "call_2", name: "current_time", arguments: "", kind: "function" } }] },
  { events: [{ type: "part-end", index: 3, part: { type: "tool-call", id: "call_2", name: "current_time", arguments: '{"tz":"CET"}', kind: "function" } }] },
  { events: [{ type: "finish", finish: { reason: "tool_calls", native: "tool_use" }, usage: { inputTokens: 120, outputTokens: 60, cacheReadTokens: 100 } }] },
];

test("another format's stream becomes a complete Cohere stream", () => {
  const encoder = cohereStreamEncoder(context);
  const frames = [...foreignChunks.flatMap((c) => encoder.encode(c)), ...encoder.end()];
  assert.deepEqual(
    frames.map((f) => (typeof f.data === "string" ? f.data : `${f.event}${"index" in f.data ? `#${f.data.index}` : ""}`)),
    [
      "message-start",
      "content-start#0",
      "content-delta#0",
      "content-end#0",
      "content-start#1",
      "content-delta#1",
      "citation-start#0",
      "citation-end#0",
      "content-end#1",
      "tool-call-start#0",
      "tool-call-delta#0",
      "tool-call-delta#0",
      "tool-call-end#0",
      "tool-call-start#1",
      "tool-call-delta#1",
      "tool-call-end#1",
      "message-end",
      "[DONE]",
    ],
  );
  for (const f of frames) if (typeof f.data !== "string") assert.equal(f.event, f.data.type, "the SSE event name is the frame's type");
  assert.deepEqual(frames[0].data, { type: "message-start", id: "msg_01XYZ", delta: { message: { role: "assistant", content: [], tool_plan: "", tool_calls: [], citations: [] } } });
  assert.deepEqual((frames[6].data as JsonObject).delta, {
    message: { citations: { start: 9, end: 14, text: "Paris", sources: [{ type: "document", id: "https://example.org", document: { title: "Weather", url: "https://example.org" } }], type: "TEXT_CONTENT", content_index: 1 } },
  });
  assert.deepEqual(frames.at(-2)?.data, {
    type: "message-end",
    delta: { finish_reason: "TOOL_CALL", usage: { tokens: { input_tokens: 120, output_tokens: 60 }, cached_tokens: 100 } },
  });

  // Read back with Cohere's own decoder: the same answer.
  const events = decodeAll(frames);
  const parts = events.filter((e) => e.type === "part-end").map((e) => (e.type === "part-end" ? e.part : undefined));
  assert.deepEqual(
    parts.map((p) => (p?.type === "tool-call" ? [p.name, p.arguments] : p?.type === "reasoning" || p?.type === "text" ? [p.type, p.text] : undefined)),
    [
      ["reasoning", "User wants weather."],
      ["text", "Checking Paris"],
      ["get_weather", '{"city":"Paris"}'],
      ["current_time", '{"tz":"CET"}'],
    ],
  );
  assert.deepEqual(events.at(-1)?.type === "finish" && events.at(-1), { type: "finish", finish: { reason: "tool_calls", native: "TOOL_CALL" }, usage: { inputTokens: 120, outputTokens: 60, cacheReadTokens: 100 } });
});

test("finish closes blocks left open, and a start-less stream still begins with message-start", () => {
  const encoder = cohereStreamEncoder(context);
  const frames = [
    ...encoder.encode({ events: [{ type: "part-start", index: 0, part: { type: "text", text: "" } }, { type: "text-delta", index: 0, delta: "Hi" }] }),
    ...encoder.encode({ events: [{ type: "finish", finish: { reason: "length" } }] }),
  ];
  assert.deepEqual(frames.map((f) => f.event), ["message-start", "content-start", "content-end", "message-end"]);
  assert.deepEqual((frames[1].data as JsonObject).delta, { message: { content: { type: "text", text: "Hi" } } }, "a first delta in the chunk is the start's text");
  assert.equal(((frames[3].data as JsonObject).delta as JsonObject).finish_reason, "MAX_TOKENS");
});

test("error() after the stream began closes it with an ERROR message-end and [DONE], once", () => {
  const encoder = cohereStreamEncoder(context);
  encoder.encode({ events: [{ type: "start", id: "abc" }, { type: "part-start", index: 0, part: { type: "text", text: "" } }] });
  const frames = encoder.error({ status: 429, kind: "rate_limit", message: "Slow down" });
  assert.deepEqual(frames, [
    { event: "content-end", data: { type: "content-end", index: 0 } },
    { event: "message-end", data: { type: "message-end", delta: { finish_reason: "ERROR", error: "Slow down" } } },
    { data: "[DONE]" },
  ]);
  assert.deepEqual(encoder.end(), []);
  assert.deepEqual(encoder.error({ status: 500, kind: "upstream", message: "again" }), []);
});

test("argument text is passed through as produced, even when it is not valid JSON", () => {
  const decoder = cohereStreamDecoder();
  decoder.decode({ event: "message-start", data: textStream[0] });
  decoder.decode({ event: "tool-call-start", data: { type: "tool-call-start", index: 0, delta: { message: { tool_calls: { id: "t_1", type: "function", function: { name: "t", arguments: "" } } } } } });
  for (const piece of ['{"a": [1, 2', ", 3], ", '"b": tru']) {
    const chunk = decoder.decode({ event: "tool-call-delta", data: { type: "tool-call-delta", index: 0, delta: { message: { tool_calls: { function: { arguments: piece } } } } } });
    assert.deepEqual(chunk.events, [{ type: "tool-args-delta", index: 0, delta: piece }]);
  }
  const end = decoder.decode({ event: "tool-call-end", data: { type: "tool-call-end", index: 0 } });
  assert.equal(end.events[0].type === "part-end" && end.events[0].part.type === "tool-call" && end.events[0].part.arguments, '{"a": [1, 2, 3], "b": tru');
});
