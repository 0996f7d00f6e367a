import assert from "node:assert/strict";
import { describe, test } from "node:test";
import Anthropic from "@anthropic-ai/sdk";
import type { JsonObject } from "../../src/canonical/extras.ts";
import type { StreamChunk } from "../../src/canonical/stream.ts";
import { startAnthropicFake } from "../../test/fake-upstreams/anthropic.ts";
import type { FakeUpstream } from "../../test/fake-upstreams/fake-reply.ts";
import type { EncodeContext, NativeEvent } from "../types.ts";
import { createAnthropicStreamDecoder } from "./anthropic-stream-decoder.ts";
import { createAnthropicStreamEncoder } from "./anthropic-stream-encoder.ts";

const context: EncodeContext = { request: { model: "gpt-4o-mini", messages: [], stream: true }, model: "gpt-4o-mini" };
const c = (...events: StreamChunk["events"]): StreamChunk => ({ events });

/** Chunks as another format's decoder produces them (OpenAI Responses: reasoning summary, text, tool calls). */
const foreignChunks: StreamChunk[] = [
  c({ type: "start", id: "resp_9", model: "gpt-5.1" }),
  c({ type: "part-start", index: 0, part: { type: "reasoning", producer: "openai-responses", id: "rs_9" } }),
  c({ type: "reasoning-delta", index: 0, delta: "First ", channel: "summary", summaryIndex: 0 }),
  c({ type: "reasoning-delta", index: 0, delta: "step.", channel: "summary", summaryIndex: 0 }),
  c({ type: "reasoning-delta", index: 0, delta: "Second step.", channel: "summary", summaryIndex: 1 }),
  c({ type: "part-end", index: 0, part: { type: "reasoning", producer: "openai-responses", id: "rs_9", summary: ["First step.", "Second step."], encrypted: "gAAAAB-enc" } }),
  c({ type: "part-start", index: 1, part: { type: "native", format: "openai-responses", value: { type: "web_search_call" } } }),
  c({ type: "part-end", index: 1, part: { type: "native", format: "openai-responses", value: { type: "web_search_call" } } }),
  c({ type: "part-start", index: 2, part: { type: "text", text: "" } }),
  c({ type: "text-delta", index: 2, delta: "Let me " }, { type: "text-delta", index: 2, delta: "check." }),
  c({ type: "citation", index: 2, citation: { type: "url", url: "https://x.test" } }),
  c({ type: "part-end", index: 2, part: { type: "text", text: "Let me check." } }),
  c({ type: "part-start", index: 3, part: { type: "tool-call", id: "call_a", name: "get_weather", arguments: "", kind: "function" } }),
  c({ type: "tool-args-delta", index: 3, delta: '{"city":' }),
  c({ type: "tool-args-delta", index: 3, delta: '"Oslo"}' }),
  c({ type: "part-end", index: 3, part: { type: "tool-call", id: "call_a", name: "get_weather", arguments: '{"city":"Oslo"}', kind: "function" } }),
  // A call a policy held back until complete: start and end with nothing in between.
  c(
    { type: "part-start", index: 4, part: { type: "tool-call", id: "call_b", name: "now", arguments: "", kind: "function" } },
    { type: "part-end", index: 4, part: { type: "tool-call", id: "call_b", name: "now", arguments: '{"tz":"UTC"}', kind: "function" } },
  ),
  c({ type: "part-start", index: 5, part: { type: "tool-call", id: "call_c", name: "apply_patch", arguments: "", kind: "custom" } }),
  c({ type: "tool-args-delta", index: 5, delta: "*** Begin Patch\n" }),
  c({ type: "tool-args-delta", index: 5, delta: "*** End Patch" }),
  c({ type: "part-end", index: 5, part: { type: "tool-call", id: "call_c", name: "apply_patch", arguments: "*** Begin Patch\n*** End Patch", kind: "custom" } }),
  c({ type: "usage", usage: { inputTokens: 500, outputTokens: 80, cacheReadTokens: 400, reasoningTokens: 30 } }),
  c({ type: "finish", finish: { reason: "tool_calls", native: "completed" }, usage: { inputTokens: 500, outputTokens: 80, cacheReadTokens: 400, reasoningTokens: 30 } }),
];

function encodeAll(chunks: StreamChunk[]): NativeEvent[] {
  const encoder = createAnthropicStreamEncoder(context);
  return [...chunks.flatMap((ch) => encoder.encode(ch)), ...encoder.end()];
}

describe("streams of another origin", () => {
  test("become a complete Messages stream with blocks renumbered in order", () => {
    const events = encodeAll(foreignChunks);
    const types = events.map((e) => e.event);
    assert.equal(types[0], "message_start");
    assert.deepEqual(types.slice(-2), ["message_delta", "message_stop"]);
    const data = events.map((e) => e.data as JsonObject);
    const starts = data.filter((d) => d.type === "content_block_start");
    assert.deepEqual(starts.map((d) => d.index), [0, 1, 2, 3, 4]);
    assert.deepEqual(starts.map((d) => (d.content_block as JsonObject).type), ["thinking", "text", "tool_use", "tool_use", "tool_use"]);
    assert.equal((data[0].message as JsonObject).id, "msg_resp_9");
    assert.equal((data[0].message as JsonObject).model, "gpt-5.1");
    const delta = data.at(-2) as JsonObject;
    assert.deepEqual(delta.delta, { stop_reason: "tool_use", stop_sequence: null });
    assert.deepEqual(delta.usage, { input_tokens: 100, cache_read_input_tokens: 400, output_tokens: 80, output_tokens_details: { thinking_tokens: 30 } });
    assert.ok(!data.some((d) => (d.delta as JsonObject | undefined)?.type === "citations_delta"), "foreign citations are left out");
  });

  test("the official SDK assembles them into the right message", async () => {
    const fake: FakeUpstream = await startAnthropicFake();
    try {
      fake.enqueue({ kind: "stream", events: encodeAll(foreignChunks) });
      const client = new Anthropic({ apiKey: "k", baseURL: fake.url, maxRetries: 0 });
      const texts: string[] = [];
      const stream = client.messages.stream({ model: "gpt-5.1", max_tokens: 100, messages: [{ role: "user", content: "x" }] });
      stream.on("text", (t) => texts.push(t));
      const msg = await stream.finalMessage();
      assert.equal(texts.join(""), "Let me check.");
      const [thinking, text, call1, call2, custom] = msg.content;
      assert.deepEqual(custom.type === "tool_use" && custom.input, { input: "*** Begin Patch\n*** End Patch" });
      assert.ok(thinking.type === "thinking");
      if (thinking.type === "thinking") {
        assert.equal(thinking.thinking, "First step.\n\nSecond step.");
        assert.match(thinking.signature, /^pcr1\./);
      }
      assert.deepEqual(text, { type: "text", text: "Let me check." });
      assert.deepEqual(call1.type === "tool_use" && call1.input, { city: "Oslo" });
      assert.deepEqual(call2.type === "tool_use" && call2.input, { tz: "UTC" });
      assert.equal(msg.stop_reason, "tool_use");
      assert.equal(msg.usage.input_tokens, 100);
      assert.equal(msg.usage.cache_read_input_tokens, 400);
      assert.equal(msg.usage.output_tokens, 80);
    } finally {
      await fake.close();
    }
  });

  test("an error after the stream began is an error event, and nothing follows it", () => {
    const encoder = createAnthropicStreamEncoder(context);
    const out = [
      ...encoder.encode(foreignChunks[0]),
      ...encoder.encode(c({ type: "part-start", index: 0, part: { type: "text", text: "" } })),
      ...encoder.error({ status: 429, kind: "rate_limit", message: "slow down" }),
    ];
    assert.deepEqual(out.at(-1), { event: "error", data: { type: "error", error: { type: "rate_limit_error", message: "slow down" } } });
    assert.deepEqual(encoder.end(), []);
    assert.deepEqual(encoder.encode(c({ type: "text-delta", index: 0, delta: "late" })), []);
  });

  test("a finish without usage waits for the usage chunk OpenAI sends after it", () => {
    const encoder = createAnthropicStreamEncoder(context);
    const out = [
      ...encoder.encode(c({ type: "part-start", index: 0, part: { type: "text", text: "" } }, { type: "text-delta", index: 0, delta: "hi" }, { type: "part-end", index: 0, part: { type: "text", text: "hi" } })),
      ...encoder.encode(c({ type: "finish", finish: { reason: "stop", native: "stop" } })),
    ];
    assert.ok(!out.some((e) => e.event === "message_delta"));
    const later = [...encoder.encode(c({ type: "usage", usage: { inputTokens: 12, outputTokens: 3 } })), ...encoder.end()];
    assert.deepEqual(later, [
      { event: "message_delta", data: { type: "message_delta", delta: { stop_reason: "end_turn", stop_sequence: null }, usage: { input_tokens: 12, output_tokens: 3 } } },
      { event: "message_stop", data: { type: "message_stop" } },
    ]);
  });

  test("usage known before the first content goes into message_start", () => {
    const encoder = createAnthropicStreamEncoder(context);
    assert.deepEqual(encoder.encode(c({ type: "start", id: "gen-1", model: "gemini-2.5-flash" }, { type: "usage", usage: { inputTokens: 50, outputTokens: 0 } })), []);
    const [start] = encoder.encode(c({ type: "part-start", index: 0, part: { type: "text", text: "" } }));
    assert.deepEqual(start.data, {
      type: "message_start",
      message: { id: "msg_gen-1", type: "message", role: "assistant", model: "gemini-2.5-flash", content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 50, output_tokens: 0 } },
    });
  });

  test("a stream that ends without a finish still closes properly", () => {
    const encoder = createAnthropicStreamEncoder(context);
    const out = [...encoder.encode(c({ type: "part-start", index: 0, part: { type: "text", text: "" } }, { type: "text-delta", index: 0, delta: "hi" })), ...encoder.end()];
    assert.deepEqual(out.map((e) => e.event), ["message_start", "content_block_start", "content_block_delta", "content_block_stop", "message_delta", "message_stop"]);
    assert.equal(((out[0].data as JsonObject).message as JsonObject).model, "gpt-4o-mini");
  });
});

describe("stream decoding", () => {
  const events = (list: JsonObject[]) => {
    const d = createAnthropicStreamDecoder();
    return list.flatMap((data) => d.decode({ event: data.type as string, data }).events);
  };

  test("an error event becomes an error with the status its type implies", () => {
    const [e] = events([{ type: "error", error: { type: "overloaded_error", message: "Overloaded" } }]);
    assert.equal(e.type, "error");
    if (e.type === "error") {
      assert.equal(e.error.status, 529);
      assert.equal(e.error.kind, "overloaded");
      assert.equal(e.error.message, "Overloaded");
    }
  });

  test("the JSON-output tool streams as text and finishes as a stop", () => {
    const out = events([
      { type: "message_start", message: { id: "msg_1", model: "claude-3-5-haiku", usage: { input_tokens: 5, output_tokens: 1 } } },
      { type: "content_block_start", index: 0, content_block: { type: "tool_use", id: "toolu_1", name: "portcullis_structured_output", input: {} } },
      { type: "content_block_delta", index: 0, delta: { type: "input_json_delta", partial_json: '{"a":' } },
      { type: "content_block_delta", index: 0, delta: { type: "input_json_delta", partial_json: "1}" } },
      { type: "content_block_stop", index: 0 },
      { type: "message_delta", delta: { stop_reason: "tool_use", stop_sequence: null }, usage: { output_tokens: 9 } },
    ]);
    assert.deepEqual(out.filter((e) => e.type === "text-delta").map((e) => (e.type === "text-delta" ? e.delta : "")), ['{"a":', "1}"]);
    assert.deepEqual(out.find((e) => e.type === "part-end"), { type: "part-end", index: 0, part: { type: "text", text: '{"a":1}' } });
    const finish = out.find((e) => e.type === "finish");
    assert.deepEqual(finish?.type === "finish" && finish.finish, { reason: "stop", native: "tool_use" });
  });

  test("the JSON-output tool called with no input streams `{}` as its text, as the whole response does", () => {
    const out = events([
      { type: "content_block_start", index: 0, content_block: { type: "tool_use", id: "toolu_1", name: "portcullis_structured_output", input: {} } },
      { type: "content_block_delta", index: 0, delta: { type: "input_json_delta", partial_json: "" } },
      { type: "content_block_stop", index: 0 },
    ]);
    const text = out.flatMap((e) => (e.type === "text-delta" ? [e.delta] : [])).join("");
    assert.equal(text, "{}");
    assert.deepEqual(out.at(-1), { type: "part-end", index: 0, part: { type: "text", text: "{}" } });
  });

  test("the JSON-output tool's whole input sent at block start is the text, once", () => {
    const out = events([
      { type: "content_block_start", index: 0, content_block: { type: "tool_use", id: "toolu_1", name: "portcullis_structured_output", input: { a: 1 } } },
      { type: "content_block_stop", index: 0 },
    ]);
    assert.deepEqual(out.flatMap((e) => (e.type === "text-delta" ? [e.delta] : [])), ['{"a":1}']);
    assert.deepEqual(out.at(-1), { type: "part-end", index: 0, part: { type: "text", text: '{"a":1}' } });
    const value = events([
      { type: "content_block_start", index: 0, content_block: { type: "tool_use", id: "toolu_1", name: "portcullis_structured_value", input: { value: [1, 2] } } },
      { type: "content_block_stop", index: 0 },
    ]);
    assert.deepEqual(value.flatMap((e) => (e.type === "text-delta" ? [e.delta] : [])), ["[1,2]"]);
  });

  test("a server sending the whole tool input at block start", () => {
    const out = events([
      { type: "content_block_start", index: 0, content_block: { type: "tool_use", id: "t", name: "f", input: { x: 1 } } },
      { type: "content_block_stop", index: 0 },
    ]);
    assert.deepEqual(out.at(-1), { type: "part-end", index: 0, part: { type: "tool-call", id: "t", name: "f", arguments: '{"x":1}', kind: "function" } });
  });

  test("events it does not know, or deltas for unknown blocks, are native and harmless", () => {
    const out = events([{ type: "content_block_delta", index: 9, delta: { type: "text_delta", text: "x" } }, { type: "brand_new_event", x: 1 }]);
    assert.deepEqual(out.map((e) => e.type), ["native", "native"]);
  });
});

describe("native streams round-trip event by event, odd events included", () => {
  test("redacted thinking, server tools, unknown blocks and deltas, extra fields, null usage parts", () => {
    const events: JsonObject[] = [
      { type: "message_start", message: { id: "msg_x", type: "message", role: "assistant", model: "claude-opus-4-6", content: [], stop_reason: null, stop_sequence: null, stop_details: null, container: null, usage: { input_tokens: 9, cache_read_input_tokens: null, output_tokens: 1 } }, trace: "t1" },
      { type: "content_block_start", index: 0, content_block: { type: "redacted_thinking", data: "EmwKAhgB" } },
      { type: "content_block_stop", index: 0 },
      { type: "content_block_start", index: 1, content_block: { type: "server_tool_use", id: "srvtoolu_1", name: "web_fetch", input: {} } },
      { type: "content_block_delta", index: 1, delta: { type: "input_json_delta", partial_json: '{"url":"https://a.test"}' } },
      { type: "content_block_stop", index: 1 },
      { type: "content_block_start", index: 2, content_block: { type: "compaction", content: "summary" } },
      { type: "content_block_delta", index: 2, delta: { type: "compaction_delta", content: " more" } },
      { type: "content_block_stop", index: 2 },
      { type: "content_block_start", index: 3, content_block: { type: "text", text: "", citations: null } },
      { type: "content_block_delta", index: 3, delta: { type: "text_delta", text: "Hi", logprob: -0.1 } },
      { type: "ping" },
      { type: "content_block_stop", index: 3 },
      { type: "content_block_start", index: 4, content_block: { type: "tool_use", id: "toolu_1", name: "f", input: {}, caller: { type: "code_execution_20250825", tool_id: "srvtoolu_2" } } },
      { type: "content_block_stop", index: 4 },
      { type: "message_delta", delta: { stop_reason: "pause_turn", stop_sequence: null, stop_details: null }, usage: { output_tokens: 12, iterations: [] }, context_management: { applied_edits: [] } },
      { type: "message_stop", amazon_bedrock_invocation_metrics: { inputTokenCount: 9 } },
    ];
    const decoder = createAnthropicStreamDecoder();
    const encoder = createAnthropicStreamEncoder(context);
    const canonical: StreamChunk["events"] = [];
    for (const data of events) {
      const chunk = decoder.decode({ event: data.type as string, data });
      canonical.push(...chunk.events);
      assert.deepEqual(encoder.encode(chunk), [{ event: data.type, data }], data.type as string);
    }
    assert.deepEqual(encoder.end(), []);
    const parts = canonical.flatMap((e) => (e.type === "part-end" ? [e.part] : []));
    assert.deepEqual(parts[0], { type: "reasoning", redacted: true, producer: "anthropic", encrypted: "EmwKAhgB" });
    assert.deepEqual(parts[1].type === "native" && parts[1].value.input, { url: "https://a.test" });
    const finish = canonical.find((e) => e.type === "finish");
    assert.deepEqual(finish?.type === "finish" && finish.finish, { reason: "other", native: "pause_turn" });
    assert.equal(finish?.type === "finish" && finish.usage?.inputTokens, 9);
  });

  test("a message_delta without stop_sequence or usage, and a null stop_reason", () => {
    const decoder = createAnthropicStreamDecoder();
    const encoder = createAnthropicStreamEncoder(context);
    for (const data of [
      { type: "message_start", message: { id: "msg_y", type: "message", role: "assistant", model: "m", content: [], usage: { input_tokens: 1, output_tokens: 1 } } },
      { type: "message_delta", delta: { stop_reason: null } },
      { type: "message_stop" },
    ] as JsonObject[]) {
      assert.deepEqual(encoder.encode(decoder.decode({ data })), [{ event: data.type, data }]);
    }
  });
});

test("a stream cut off before message_delta ends in an error, not a quiet success", () => {
  const decoder = createAnthropicStreamDecoder();
  decoder.decode({ data: { type: "message_start", message: { id: "msg_z", model: "m", usage: { input_tokens: 1, output_tokens: 1 } } } });
  decoder.decode({ data: { type: "content_block_start", index: 0, content_block: { type: "text", text: "" } } });
  const tail = decoder.end();
  assert.equal(tail?.events[0].type, "error");
  assert.equal(tail?.events[0].type === "error" && tail.events[0].error.status, 502);
  assert.equal(createAnthropicStreamDecoder().end(), undefined, "nothing began, nothing to report");
});

test("observing forwarded chunks keeps the state, so a later encoded chunk continues the stream", () => {
  const decoder = createAnthropicStreamDecoder();
  const encoder = createAnthropicStreamEncoder(context);
  const events: JsonObject[] = [
    { type: "message_start", message: { id: "msg_o", type: "message", role: "assistant", model: "m", content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 3, output_tokens: 1 } } },
    { type: "content_block_start", index: 0, content_block: { type: "text", text: "" } },
    { type: "content_block_delta", index: 0, delta: { type: "text_delta", text: "Hello" } },
  ];
  for (const data of events) assert.equal(encoder.observe?.(decoder.decode({ data })), undefined);
  // A stage rewrote the next delta: it is encoded, on the block the forwarded bytes opened.
  const changed = decoder.decode({ data: { type: "content_block_delta", index: 0, delta: { type: "text_delta", text: " secret" } } });
  assert.deepEqual(encoder.encode({ events: [{ type: "text-delta", index: 0, delta: " [redacted]" }], extras: changed.extras }), [
    { event: "content_block_delta", data: { type: "content_block_delta", index: 0, delta: { type: "text_delta", text: " [redacted]" } } },
  ]);
  const tail = encoder.end();
  assert.deepEqual(tail.map((e) => e.event), ["content_block_stop", "message_delta", "message_stop"], "no second message_start");
});
