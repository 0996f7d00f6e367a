import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { JsonObject } from "../../src/canonical/extras.ts";
import type { StreamChunk, StreamEvent } from "../../src/canonical/stream.ts";
import type { NativeEvent } from "../types.ts";
import { JSON_RESPONSE_TOOL } from "./bedrock-prepare-tools.ts";
import { BedrockStreamDecoder } from "./bedrock-stream-decoder.ts";
import { BedrockStreamEncoder } from "./bedrock-stream-encoder.ts";

const ev = (event: string, data: JsonObject): NativeEvent => ({ event, data });
const usage = { inputTokens: 20, outputTokens: 8, totalTokens: 28 };

/** A tool-use stream as Bedrock sends it: the arguments in fragments that are not JSON alone. */
const TOOL_STREAM: NativeEvent[] = [
  ev("messageStart", { role: "assistant" }),
  ev("contentBlockDelta", { contentBlockIndex: 0, delta: { text: "Checking." } }),
  ev("contentBlockStop", { contentBlockIndex: 0 }),
  ev("contentBlockStart", { contentBlockIndex: 1, start: { toolUse: { toolUseId: "tooluse_x", name: "get_weather" } } }),
  ev("contentBlockDelta", { contentBlockIndex: 1, delta: { toolUse: { input: '{"ci' } } }),
  ev("contentBlockDelta", { contentBlockIndex: 1, delta: { toolUse: { input: 'ty":"Pa' } } }),
  ev("contentBlockDelta", { contentBlockIndex: 1, delta: { toolUse: { input: 'ris"}' } } }),
  ev("contentBlockStop", { contentBlockIndex: 1 }),
  ev("contentBlockStart", { contentBlockIndex: 2, start: { toolUse: { toolUseId: "tooluse_y", name: "now" } } }),
  ev("contentBlockStop", { contentBlockIndex: 2 }),
  ev("messageStop", { stopReason: "tool_use" }),
  ev("metadata", { usage, metrics: { latencyMs: 900 } }),
];

function run(events: NativeEvent[]): { chunks: StreamChunk[]; all: StreamEvent[] } {
  const d = new BedrockStreamDecoder();
  const chunks = events.map((e) => d.decode(e));
  const tail = d.end();
  if (tail) chunks.push(tail);
  return { chunks, all: chunks.flatMap((c) => c.events) };
}

describe("bedrock stream decoder", () => {
  it("streams tool calls: part-start with id and name, raw argument fragments, the whole call at part-end", () => {
    const { all } = run(TOOL_STREAM);
    assert.deepEqual(all.filter((e) => e.type === "part-start" && e.part.type === "tool-call"), [
      { type: "part-start", index: 1, part: { type: "tool-call", id: "tooluse_x", name: "get_weather", arguments: "", kind: "function" } },
      { type: "part-start", index: 2, part: { type: "tool-call", id: "tooluse_y", name: "now", arguments: "", kind: "function" } },
    ]);
    assert.deepEqual(all.filter((e) => e.type === "tool-args-delta").map((e) => (e.type === "tool-args-delta" ? e.delta : "")), ['{"ci', 'ty":"Pa', 'ris"}']);
    const ends = all.flatMap((e) => (e.type === "part-end" ? [e.part] : []));
    assert.deepEqual(ends[1], { type: "tool-call", id: "tooluse_x", name: "get_weather", arguments: '{"city":"Paris"}', kind: "function" });
    // A no-arg call streams no input at all: "" (which canonical readers take as {}).
    assert.deepEqual(ends[2], { type: "tool-call", id: "tooluse_y", name: "now", arguments: "", kind: "function" });
    assert.deepEqual(all.at(-1), { type: "finish", finish: { reason: "tool_calls", native: "tool_use" }, usage });
    assert.deepEqual(all.at(-2), { type: "usage", usage });
  });

  it("re-encodes every event of its own streams exactly (tool use, padding dropped)", () => {
    const d = new BedrockStreamDecoder();
    const e = new BedrockStreamEncoder();
    for (const native of TOOL_STREAM) {
      const padded = { event: native.event, data: { ...(native.data as JsonObject), p: "abcdef" } };
      assert.deepEqual(e.encode(d.decode(padded)), [native]);
    }
  });

  it("streams our structured-output tool as answer text, finishing with stop", () => {
    const { all, chunks } = run([
      ev("messageStart", { role: "assistant" }),
      ev("contentBlockStart", { contentBlockIndex: 0, start: { toolUse: { toolUseId: "tooluse_j", name: JSON_RESPONSE_TOOL } } }),
      ev("contentBlockDelta", { contentBlockIndex: 0, delta: { toolUse: { input: '{"n":' } } }),
      ev("contentBlockDelta", { contentBlockIndex: 0, delta: { toolUse: { input: "3}" } } }),
      ev("contentBlockStop", { contentBlockIndex: 0 }),
      ev("messageStop", { stopReason: "tool_use" }),
      ev("metadata", { usage, metrics: { latencyMs: 1 } }),
    ]);
    assert.equal(all.filter((x) => x.type === "tool-args-delta").length, 0);
    assert.equal(all.flatMap((x) => (x.type === "text-delta" ? [x.delta] : [])).join(""), '{"n":3}');
    const end = all.find((x) => x.type === "part-end");
    assert.ok(end?.type === "part-end" && end.part.type === "text" && end.part.text === '{"n":3}');
    const finish = all.at(-1);
    assert.ok(finish?.type === "finish" && finish.finish.reason === "stop");
    // And back to the Bedrock events it came from.
    const enc = new BedrockStreamEncoder();
    assert.equal(chunks.flatMap((c) => enc.encode(c)).filter((x) => x.event === "contentBlockStart").length, 1);
  });

  it("an exception mid-stream is an error event with the status Bedrock gives it", () => {
    const { all } = run([
      ev("messageStart", { role: "assistant" }),
      ev("contentBlockDelta", { contentBlockIndex: 0, delta: { text: "Par" } }),
      ev("modelStreamErrorException", { message: "Model Stream Error", originalStatusCode: 500, originalMessage: "The model stream failed." }),
    ]);
    const err = all.at(-1);
    assert.ok(err?.type === "error");
    assert.equal(err.error.status, 424);
    assert.equal(err.error.kind, "upstream");
    assert.equal(err.error.code, "ModelStreamErrorException");
    assert.equal(err.error.message, "Model Stream Error");
    assert.deepEqual(err.error.native, { format: "bedrock", body: { message: "Model Stream Error", originalStatusCode: 500, originalMessage: "The model stream failed." } });
    const throttled = run([ev("throttlingException", { message: "slow down" })]).all[0];
    assert.ok(throttled.type === "error" && throttled.error.status === 429 && throttled.error.kind === "rate_limit");
  });

  it("a stream cut after messageStop still finishes; unknown events pass as native", () => {
    const { all } = run([ev("messageStart", { role: "assistant" }), ev("somethingNew", { x: 1 }), ev("messageStop", { stopReason: "max_tokens" })]);
    assert.deepEqual(all[1], { type: "native", format: "bedrock", value: { event: "somethingNew", data: { x: 1 } } });
    assert.deepEqual(all.at(-1), { type: "finish", finish: { reason: "length", native: "max_tokens" } });
  });

  it("a stream cut before messageStop ends in an error, once; an exception is not followed by a second one", () => {
    const { all } = run([ev("messageStart", { role: "assistant" }), ev("contentBlockDelta", { contentBlockIndex: 0, delta: { text: "Par" } })]);
    const err = all.at(-1);
    assert.ok(err?.type === "error");
    assert.equal(err.error.status, 502);
    assert.equal(err.error.code, "upstream_stream_truncated");
    assert.equal(all.filter((e) => e.type === "finish").length, 0);
    const failed = run([ev("messageStart", { role: "assistant" }), ev("throttlingException", { message: "slow down" })]).all;
    assert.equal(failed.filter((e) => e.type === "error").length, 1);
    assert.equal(new BedrockStreamDecoder().end(), undefined, "an empty stream says nothing");
  });

  it("redacted reasoning and reasoning signatures", () => {
    const { all } = run([
      ev("messageStart", { role: "assistant" }),
      ev("contentBlockDelta", { contentBlockIndex: 0, delta: { reasoningContent: { redactedContent: "b3BhcXVl" } } }),
      ev("contentBlockStop", { contentBlockIndex: 0 }),
      ev("contentBlockDelta", { contentBlockIndex: 1, delta: { reasoningContent: { text: "hm" } } }),
      ev("contentBlockDelta", { contentBlockIndex: 1, delta: { reasoningContent: { signature: "sig" } } }),
      ev("contentBlockStop", { contentBlockIndex: 1 }),
    ]);
    const ends = all.flatMap((e) => (e.type === "part-end" ? [e.part] : []));
    assert.deepEqual(ends, [
      { type: "reasoning", encrypted: "b3BhcXVl", redacted: true, producer: "bedrock" },
      { type: "reasoning", text: "hm", signature: "sig", producer: "bedrock" },
    ]);
  });
});

describe("bedrock stream encoder, chunks from another format", () => {
  it("makes a complete Bedrock stream: start, blocks, messageStop, then metadata", () => {
    const e = new BedrockStreamEncoder();
    const chunks: StreamChunk[] = [
      { events: [{ type: "start", id: "msg_1", model: "claude" }] },
      { events: [{ type: "part-start", index: 0, part: { type: "reasoning", text: "", producer: "anthropic" } }] },
      { events: [{ type: "reasoning-delta", index: 0, delta: "Think", channel: "text" }] },
      { events: [{ type: "reasoning-signature", index: 0, signature: "anthropic-sig" }] },
      { events: [{ type: "part-end", index: 0, part: { type: "reasoning", text: "Think", signature: "anthropic-sig", producer: "anthropic" } }] },
      { events: [{ type: "native", format: "anthropic", value: { type: "ping" } }] },
      { events: [{ type: "part-start", index: 5, part: { type: "reasoning", encrypted: "opaque", redacted: true, producer: "anthropic" } }] },
      { events: [{ type: "part-end", index: 5, part: { type: "reasoning", encrypted: "opaque", redacted: true, producer: "anthropic" } }] },
      { events: [{ type: "part-start", index: 1, part: { type: "native", format: "anthropic", value: { type: "server_tool_use" } } }] },
      { events: [{ type: "part-end", index: 1, part: { type: "native", format: "anthropic", value: { type: "server_tool_use" } } }] },
      { events: [{ type: "part-start", index: 2, part: { type: "text", text: "" } }, { type: "text-delta", index: 2, delta: "Hi" }] },
      { events: [{ type: "part-end", index: 2, part: { type: "text", text: "Hi" } }] },
      { events: [{ type: "part-start", index: 3, part: { type: "tool-call", id: "call_1", name: "f", arguments: "", kind: "function" } }] },
      { events: [{ type: "tool-args-delta", index: 3, delta: '{"a":' }] },
      { events: [{ type: "tool-args-delta", index: 3, delta: "1}" }] },
      { events: [{ type: "part-end", index: 3, part: { type: "tool-call", id: "call_1", name: "f", arguments: '{"a":1}', kind: "function" } }] },
      { events: [{ type: "usage", usage: { inputTokens: 50, outputTokens: 9, cacheReadTokens: 40 } }] },
      { events: [{ type: "finish", finish: { reason: "tool_calls", native: "tool_use" } }] },
    ];
    const out = chunks.flatMap((c) => e.encode(c));
    const metadata = out.pop()!;
    assert.deepEqual(out, [
      ev("messageStart", { role: "assistant" }),
      ev("contentBlockDelta", { contentBlockIndex: 0, delta: { reasoningContent: { text: "Think" } } }),
      ev("contentBlockStop", { contentBlockIndex: 0 }),
      ev("contentBlockDelta", { contentBlockIndex: 1, delta: { text: "Hi" } }),
      ev("contentBlockStop", { contentBlockIndex: 1 }),
      ev("contentBlockStart", { contentBlockIndex: 2, start: { toolUse: { toolUseId: "call_1", name: "f" } } }),
      ev("contentBlockDelta", { contentBlockIndex: 2, delta: { toolUse: { input: '{"a":' } } }),
      ev("contentBlockDelta", { contentBlockIndex: 2, delta: { toolUse: { input: "1}" } } }),
      ev("contentBlockStop", { contentBlockIndex: 2 }),
      ev("messageStop", { stopReason: "tool_use" }),
    ]);
    assert.equal(metadata.event, "metadata");
    const data = metadata.data as { usage: JsonObject; metrics: { latencyMs: number } };
    assert.deepEqual(data.usage, { inputTokens: 10, outputTokens: 9, totalTokens: 59, cacheReadInputTokens: 40 });
    assert.ok(data.metrics.latencyMs >= 0);
    assert.deepEqual(e.end(), []);
  });

  it("fills in what came whole (a Gemini-style complete call, text without deltas) and closes open blocks at finish", () => {
    const e = new BedrockStreamEncoder();
    const out = [
      { events: [{ type: "part-start", index: 0, part: { type: "tool-call", id: "c1", name: "f", arguments: '{"x":1}', kind: "function" } }] },
      { events: [{ type: "part-end", index: 0, part: { type: "tool-call", id: "c1", name: "f", arguments: '{"x":1}', kind: "function" } }] },
      { events: [{ type: "part-start", index: 1, part: { type: "text", text: "" } }] },
      { events: [{ type: "part-end", index: 1, part: { type: "text", text: "done" } }] },
      { events: [{ type: "part-start", index: 2, part: { type: "text", text: "" } }, { type: "text-delta", index: 2, delta: "cut" }] },
      { events: [{ type: "finish", finish: { reason: "stop", native: "STOP" }, usage: { inputTokens: 1, outputTokens: 2 } }] },
    ].flatMap((c) => e.encode(c as StreamChunk));
    assert.deepEqual(out.map((x) => x.event), [
      "messageStart",
      "contentBlockStart",
      "contentBlockDelta",
      "contentBlockStop",
      "contentBlockDelta",
      "contentBlockStop",
      "contentBlockDelta",
      "contentBlockStop",
      "messageStop",
      "metadata",
    ]);
    assert.deepEqual(out[2].data, { contentBlockIndex: 0, delta: { toolUse: { input: '{"x":1}' } } });
    assert.deepEqual(out[4].data, { contentBlockIndex: 1, delta: { text: "done" } });
    assert.deepEqual(out[8].data, { stopReason: "end_turn" });
  });

  it("reports errors as Bedrock's stream exceptions", () => {
    const e = new BedrockStreamEncoder();
    assert.deepEqual(e.error({ status: 429, kind: "rate_limit", message: "Slow down" }), [ev("throttlingException", { message: "Slow down" })]);
    assert.deepEqual(e.error({ status: 529, kind: "overloaded", message: "Overloaded" }), [ev("serviceUnavailableException", { message: "Overloaded" })]);
    assert.deepEqual(e.error({ status: 502, kind: "upstream", message: "boom" }), [ev("modelStreamErrorException", { message: "boom", originalStatusCode: 502, originalMessage: "boom" })]);
    const native = { message: "Model Stream Error", originalStatusCode: 500 };
    assert.deepEqual(e.error({ status: 424, kind: "upstream", message: "x", code: "ModelStreamErrorException", native: { format: "bedrock", body: native } }), [ev("modelStreamErrorException", native)]);
  });
});
