import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { JsonObject } from "../../src/canonical/extras.ts";
import type { StreamChunk, StreamEvent } from "../../src/canonical/stream.ts";
import { listFixtures, readFixtureChunks, readFixtureJson } from "../../test/helpers/fixtures.ts";
import type { NativeEvent } from "../types.ts";
import { bedrockCodec } from "./bedrock-codec.ts";

const context = { request: { model: "anthropic.claude-3-7-sonnet", messages: [], stream: false }, model: "anthropic.claude-3-7-sonnet" };

/** A recorded line `{"<event type>": payload}` as the NativeEvent the framing produces. */
function toNative(line: JsonObject): NativeEvent {
  const [event] = Object.keys(line);
  return { event, data: line[event] as JsonObject };
}

function decodeAll(events: NativeEvent[]): { chunks: StreamChunk[]; all: StreamEvent[] } {
  const decoder = bedrockCodec.streamDecoder();
  const chunks = events.map((e) => decoder.decode(e));
  const tail = decoder.end();
  if (tail) chunks.push(tail);
  return { chunks, all: chunks.flatMap((c) => c.events) };
}

describe("bedrock fixtures: every recorded payload round-trips", () => {
  for (const file of listFixtures("bedrock", ".json")) {
    it(`${file}: encodeResponse(decodeResponse(x)) equals x`, () => {
      const body = readFixtureJson("bedrock", file);
      assert.deepEqual(bedrockCodec.encodeResponse(bedrockCodec.decodeResponse(body), context), body);
    });
  }
  for (const file of listFixtures("bedrock", ".chunks.txt")) {
    it(`${file}: each event re-encodes to itself`, () => {
      const events = readFixtureChunks("bedrock", file).map(toNative);
      const decoder = bedrockCodec.streamDecoder();
      const encoder = bedrockCodec.streamEncoder(context);
      for (const e of events) assert.deepEqual(encoder.encode(decoder.decode(e)), [e], `event ${JSON.stringify(e)}`);
      assert.equal(decoder.end(), undefined);
      assert.deepEqual(encoder.end(), []);
    });
  }
});

describe("bedrock fixtures: decoded content", () => {
  it("amazon-bedrock-text.json: text, end_turn, usage", () => {
    const r = bedrockCodec.decodeResponse(readFixtureJson("bedrock", "amazon-bedrock-text.json"));
    assert.equal(r.content.length, 1);
    assert.equal(r.content[0].type, "text");
    assert.match((r.content[0] as { text: string }).text, /^Let me count the "r"s in "strawberry":/);
    assert.deepEqual(r.finish, { reason: "stop", native: "end_turn" });
    assert.deepEqual({ ...r.usage, extras: undefined }, { inputTokens: 22, outputTokens: 57, totalTokens: 79, cacheReadTokens: 0, cacheWriteTokens: 0, extras: undefined });
    assert.deepEqual(r.extras?.bedrock?.metrics, { latencyMs: 1864 });
    assert.ok(r.id.startsWith("bedrock-"));
  });

  it("amazon-bedrock-reasoning.json: reasoning with signature (producer bedrock), then text", () => {
    const r = bedrockCodec.decodeResponse(readFixtureJson("bedrock", "amazon-bedrock-reasoning.json"));
    assert.equal(r.content.length, 2);
    const [reasoning, text] = r.content;
    assert.equal(reasoning.type, "reasoning");
    if (reasoning.type !== "reasoning") return;
    assert.equal(reasoning.producer, "bedrock");
    assert.ok(reasoning.signature?.startsWith("EvYBCkgICxABGAIqQA9E9VC377"));
    assert.equal(reasoning.text, "Let me count the r's in \"strawberry\":\n\ns-t-r-a-w-b-e-r-r-y\n\nThere are 3 r's.");
    assert.deepEqual(text, { type: "text", text: "There are **3** r's in \"strawberry\":\n\n1. st**r**awbe**r****r**y" });
    assert.equal(r.usage?.inputTokens, 51);
    assert.equal(r.usage?.outputTokens, 78);
  });

  it("amazon-bedrock-text.chunks.txt: start, one text part assembled, usage then finish", () => {
    const { all } = decodeAll(readFixtureChunks("bedrock", "amazon-bedrock-text.chunks.txt").map(toNative));
    assert.equal(all[0].type, "start");
    assert.deepEqual(all[1], { type: "part-start", index: 0, part: { type: "text", text: "" } });
    const text = all.flatMap((e) => (e.type === "text-delta" ? [e.delta] : [])).join("");
    assert.equal(text, 'Let me count the "r"s in "strawberry":\n\ns-t-**r**-a-w-b-e-**r**-**r**-y\n\nThere are **3** r\'s in "strawberry."');
    const end = all.find((e) => e.type === "part-end");
    assert.deepEqual(end, { type: "part-end", index: 0, part: { type: "text", text } });
    const tail = all.slice(-2);
    assert.deepEqual(tail[0], { type: "usage", usage: { inputTokens: 22, outputTokens: 55, totalTokens: 77, extras: { bedrock: { serverToolUsage: {} } } } });
    assert.equal(tail[1].type, "finish");
    if (tail[1].type === "finish") {
      assert.deepEqual(tail[1].finish, { reason: "stop", native: "end_turn" });
      assert.equal(tail[1].usage?.outputTokens, 55);
    }
    assert.equal(all.filter((e) => e.type === "finish").length, 1);
  });

  it("amazon-bedrock-reasoning.chunks.txt: reasoning part with its signature, then a text part", () => {
    const { all } = decodeAll(readFixtureChunks("bedrock", "amazon-bedrock-reasoning.chunks.txt").map(toNative));
    const ends = all.filter((e) => e.type === "part-end");
    assert.equal(ends.length, 2);
    const [r, t] = ends.map((e) => (e.type === "part-end" ? e.part : undefined));
    assert.equal(r?.type, "reasoning");
    if (r?.type === "reasoning") {
      assert.equal(r.producer, "bedrock");
      assert.equal(r.text, "Let me count the r's in \"strawberry\":\n\ns-t-r-a-w-b-e-r-r-y\n\nr appears at positions 3, 8, and 9.\n\nSo there are 3 r's.");
      assert.ok(r.signature?.startsWith("Ep0CCkgICxABGAIqQOWPB6"));
      assert.ok(r.signature?.endsWith("GAE="));
    }
    assert.deepEqual(t, { type: "text", text: "There are **3** r's in \"strawberry\":\n\n1. st**r**awbe**r****r**y" });
    assert.deepEqual(
      all.filter((e) => e.type === "part-start").map((e) => (e.type === "part-start" ? [e.index, e.part.type] : [])),
      [
        [0, "reasoning"],
        [1, "text"],
      ],
    );
    assert.ok(all.some((e) => e.type === "reasoning-signature" && e.index === 0));
    const finish = all.at(-1);
    assert.ok(finish?.type === "finish" && finish.usage?.totalTokens === 145);
  });
});
