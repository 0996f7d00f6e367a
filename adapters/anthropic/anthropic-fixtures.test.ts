import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { AssistantPart } from "../../src/canonical/content.ts";
import type { JsonObject } from "../../src/canonical/extras.ts";
import type { StreamEvent } from "../../src/canonical/stream.ts";
import { listFixtures, readFixtureChunks, readFixtureJson } from "../../test/helpers/fixtures.ts";
import type { EncodeContext } from "../types.ts";
import { anthropicCodec } from "./anthropic-codec.ts";

const context: EncodeContext = { request: { model: "claude-sonnet-4-5", messages: [], stream: true }, model: "claude-sonnet-4-5" };

/** Decodes a chunks file and re-encodes it event by event; returns all canonical events. */
function roundTripStream(file: string): StreamEvent[] {
  const decoder = anthropicCodec.streamDecoder();
  const encoder = anthropicCodec.streamEncoder(context);
  const all: StreamEvent[] = [];
  for (const [i, data] of readFixtureChunks("anthropic", file).entries()) {
    const chunk = decoder.decode({ event: data.type as string, data });
    all.push(...chunk.events);
    assert.deepEqual(encoder.encode(chunk), [{ event: data.type, data }], `${file} event ${i} (${data.type})`);
  }
  assert.equal(decoder.end(), undefined);
  assert.deepEqual(encoder.end(), [], "the stream was complete: nothing to add at the end");
  return all;
}

const ends = (events: StreamEvent[]) => events.flatMap((e) => (e.type === "part-end" ? [e.part] : []));
const finishOf = (events: StreamEvent[]) => events.find((e) => e.type === "finish") as Extract<StreamEvent, { type: "finish" }>;

describe("every recorded response round-trips exactly", () => {
  for (const file of listFixtures("anthropic", ".json")) {
    test(file, () => {
      const body = readFixtureJson("anthropic", file);
      assert.deepEqual(anthropicCodec.encodeResponse(anthropicCodec.decodeResponse(body), context), body);
    });
  }
  for (const file of listFixtures("anthropic", ".chunks.txt")) test(file, () => void roundTripStream(file));
});

describe("decoded content of the recorded responses", () => {
  test("text: content, finish and usage", () => {
    const r = anthropicCodec.decodeResponse(readFixtureJson("anthropic", "anthropic-text.json"));
    assert.equal(r.id, "msg_01VdEjxAP5ahtHKrrRdNBteQ");
    assert.equal(r.model, "claude-sonnet-4-5-20250929");
    assert.deepEqual(r.content, [
      { type: "text", text: "Hello! I'm doing well, thanks for asking. How are you doing today? Is there anything I can help you with?" },
    ]);
    assert.deepEqual(r.finish, { reason: "stop", native: "end_turn" });
    assert.equal(r.usage?.inputTokens, 12);
    assert.equal(r.usage?.outputTokens, 29);
    assert.equal(r.usage?.cacheReadTokens, 0);
  });

  test("tool call without arguments", () => {
    const r = anthropicCodec.decodeResponse(readFixtureJson("anthropic", "anthropic-tool-no-args.json"));
    assert.equal(r.content.length, 2);
    assert.deepEqual(r.content[1], { type: "tool-call", id: "toolu_01LRmxn9vGM1d2DZSDBowdZ1", name: "updateIssueList", arguments: "{}", kind: "function" });
    assert.deepEqual(r.finish, { reason: "tool_calls", native: "tool_use" });
  });

  test("tool call with nested input, response without stop_sequence", () => {
    const r = anthropicCodec.decodeResponse(readFixtureJson("anthropic", "anthropic-json-tool.1.json"));
    const call = r.content[0] as Extract<AssistantPart, { type: "tool-call" }>;
    assert.equal(call.name, "json");
    assert.equal((JSON.parse(call.arguments) as { elements: Array<{ temperature: number }> }).elements[3].temperature, -9);
  });

  test("thinking with signature, reasoning tokens", () => {
    const r = anthropicCodec.decodeResponse(readFixtureJson("anthropic", "anthropic-claude-opus-5-reasoning-high.1.json"));
    const thinking = r.content[0] as Extract<AssistantPart, { type: "reasoning" }>;
    assert.equal(thinking.producer, "anthropic");
    assert.ok(thinking.text?.startsWith("I need to find all roots"));
    assert.ok(thinking.signature?.startsWith("CAISqwQKhwEIEBgCKkAciZInI2gcL"));
    assert.equal(r.usage?.reasoningTokens, 139);
    assert.equal(r.usage?.outputTokens, 1699);
    const cleared = anthropicCodec.decodeResponse(readFixtureJson("anthropic", "anthropic-clear-thinking.1.json"));
    assert.deepEqual(cleared.extras, { anthropic: { context_management: { applied_edits: [] } } });
  });

  test("web search: server tool parts stay native, citations are decoded", () => {
    const r = anthropicCodec.decodeResponse(readFixtureJson("anthropic", "anthropic-web-search-tool.1.json"));
    assert.equal(r.content[0].type, "native");
    assert.equal(r.content[1].type, "native");
    const cited = r.content.find((p) => p.type === "text" && p.citations !== undefined) as Extract<AssistantPart, { type: "text" }>;
    assert.equal(cited.citations?.[0].type, "url");
    assert.equal(cited.citations?.[0].url, "https://acecomments.mu.nu/?post=411647");
    assert.equal(r.usage?.inputTokens, 27118);
  });
});

describe("decoded content of the recorded streams", () => {
  test("text stream: start, deltas assembled at part-end, ping native, usage and finish", () => {
    const events = roundTripStream("anthropic-text.chunks.txt");
    assert.deepEqual(events[0], { type: "start", id: "msg_01QC4g3HwBThD4BaNtBckFDJ", model: "claude-sonnet-4-5-20250929" });
    assert.ok(events.some((e) => e.type === "native" && (e.value as JsonObject).type === "ping"));
    assert.deepEqual(ends(events), [{ type: "text", text: "Hello! I'm doing well, thank you for asking. How are you doing today? Is there anything I can help you with?" }]);
    const finish = finishOf(events);
    assert.deepEqual(finish.finish, { reason: "stop", native: "end_turn" });
    assert.equal(finish.usage?.inputTokens, 12);
    assert.equal(finish.usage?.outputTokens, 30);
  });

  test("no-args tool call: empty input_json_delta, arguments stay empty text", () => {
    const events = roundTripStream("anthropic-tool-no-args.chunks.txt");
    const [text, call] = ends(events);
    assert.equal(text.type, "text");
    assert.deepEqual(call, { type: "tool-call", id: "toolu_01QE1WLsSVp5hy5Q3GmGTmjP", name: "updateIssueList", arguments: "", kind: "function" });
    assert.deepEqual(events.find((e) => e.type === "part-start" && e.index === 1), { type: "part-start", index: 1, part: { ...call, arguments: "" } });
    assert.equal(finishOf(events).finish.reason, "tool_calls");
  });

  test("tool arguments arrive in fragments and are only joined", () => {
    const events = roundTripStream("anthropic-json-other-tool.1.chunks.txt");
    const deltas = events.flatMap((e) => (e.type === "tool-args-delta" ? [e.delta] : []));
    assert.deepEqual(deltas, ["", '{"location": "San Francisco', '"}']);
    assert.equal((ends(events)[0] as Extract<AssistantPart, { type: "tool-call" }>).arguments, '{"location": "San Francisco"}');
  });

  test("thinking stream: reasoning deltas, signature, then text", () => {
    const events = roundTripStream("anthropic-clear-thinking.1.chunks.txt");
    const [thinking, text] = ends(events);
    assert.equal(thinking.type, "reasoning");
    if (thinking.type !== "reasoning") return;
    assert.equal(thinking.text, "The previous result was 925. Now I need to divide that by 5.\n\n925 ÷ 5 = 185");
    assert.ok(thinking.signature?.startsWith("EvQBCkYICxgCKkAx"));
    assert.equal(thinking.producer, "anthropic");
    assert.deepEqual(text, { type: "text", text: "925 ÷ 5 = 185" });
    assert.ok(events.some((e) => e.type === "reasoning-signature"));
  });

  test("prompt cache and server tools: cache usage, native blocks with assembled input", () => {
    const events = roundTripStream("anthropic-code-execution-20260120-prompt-cache.1.chunks.txt");
    const usage = finishOf(events).usage;
    assert.equal(usage?.inputTokens, 6 + 3337 + 6289);
    assert.equal(usage?.cacheReadTokens, 6289);
    assert.equal(usage?.cacheWriteTokens, 3337);
    assert.equal(usage?.reasoningTokens, 0);
    const first = ends(events)[0];
    assert.equal(first.type, "native");
    if (first.type === "native") assert.deepEqual(first.value.input, { command: 'for n in $(seq 1 12); do echo "$n: $((n*n))"; done' });
    assert.deepEqual(ends(events).at(-1), { type: "text", text: "The sum of the squares of the numbers 1 through 12 is **650**." });
  });

  test("web search stream: citations arrive as citation events on text parts", () => {
    const events = roundTripStream("anthropic-web-search-tool.1.chunks.txt");
    const citations = events.filter((e) => e.type === "citation");
    assert.ok(citations.length > 3);
    const cited = ends(events).find((p) => p.type === "text" && (p.citations?.length ?? 0) > 0) as Extract<AssistantPart, { type: "text" }>;
    assert.equal(cited.citations?.[0].url, "https://www.apple.com/newsroom/2025/09/the-all-new-apple-ginza-opens-this-friday-september-26-in-tokyo/");
  });

  test("a compatible server resending input tokens in message_delta", () => {
    const events = roundTripStream("anthropic-message-delta-input-tokens.chunks.txt");
    assert.equal(finishOf(events).usage?.inputTokens, 61);
    assert.equal(finishOf(events).usage?.outputTokens, 2);
  });
});
