import assert from "node:assert/strict";
import { test } from "node:test";
import { ProxyError } from "../../src/canonical/error.ts";
import type { JsonObject } from "../../src/canonical/extras.ts";
import { listFixtures, readFixtureChunks, readFixtureJson } from "../../test/helpers/fixtures.ts";
import { anthropicCodec } from "./anthropic-codec.ts";

/** Deterministic PRNG (mulberry32) so a failure can be replayed. */
function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ODD = [null, 0, -1, "", "x", true, [], {}, [null], { type: 5 }, { type: "unknown_thing" }];

/** Replaces one random value somewhere in `value` with an odd one (a copy; the input is kept). */
function mutate(value: unknown, rand: () => number): unknown {
  const copy = structuredClone(value);
  const paths: Array<[Record<string, unknown> | unknown[], string | number]> = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach((x, i) => (paths.push([v, i]), walk(x)));
    else if (v && typeof v === "object") for (const k of Object.keys(v)) (paths.push([v as Record<string, unknown>, k]), walk((v as Record<string, unknown>)[k]));
  };
  walk(copy);
  if (paths.length === 0) return copy;
  const [holder, key] = paths[Math.floor(rand() * paths.length)];
  (holder as Record<string | number, unknown>)[key] = ODD[Math.floor(rand() * ODD.length)];
  return copy;
}

const request: JsonObject = {
  model: "claude-opus-4-6",
  max_tokens: 100,
  system: [{ type: "text", text: "s" }],
  tools: [{ name: "f", input_schema: { type: "object" } }, { type: "web_search_20250305", name: "web_search" }],
  tool_choice: { type: "auto" },
  thinking: { type: "enabled", budget_tokens: 2000 },
  output_config: { effort: "high" },
  metadata: { user_id: "u" },
  messages: [
    { role: "user", content: [{ type: "text", text: "a" }, { type: "image", source: { type: "base64", media_type: "image/png", data: "x" } }] },
    { role: "assistant", content: [{ type: "thinking", thinking: "t", signature: "s" }, { type: "tool_use", id: "t1", name: "f", input: { a: 1 } }] },
    { role: "user", content: [{ type: "tool_result", tool_use_id: "t1", content: [{ type: "text", text: "r" }] }] },
  ],
};

test("mutated requests either decode (and encode) or fail with a ProxyError", () => {
  const rand = rng(42);
  for (let i = 0; i < 3000; i++) {
    const body = mutate(request, rand) as JsonObject;
    try {
      anthropicCodec.encodeRequest(anthropicCodec.decodeRequest(body));
    } catch (err) {
      assert.ok(err instanceof ProxyError, `case ${i}: ${String(err)}\n${JSON.stringify(body)}`);
      assert.equal(err.error.status, 400);
    }
  }
});

test("mutated responses and stream events never crash the decoders or encoders", () => {
  const rand = rng(7);
  const context = { request: { model: "m", messages: [], stream: true }, model: "m" };
  const responses = listFixtures("anthropic", ".json").map((f) => readFixtureJson("anthropic", f));
  const streams = listFixtures("anthropic", ".chunks.txt").map((f) => readFixtureChunks("anthropic", f));
  for (let i = 0; i < 1500; i++) {
    const body = mutate(responses[i % responses.length], rand) as JsonObject;
    anthropicCodec.encodeResponse(anthropicCodec.decodeResponse(body), context);
    const events = streams[i % streams.length];
    const bad = Math.floor(rand() * events.length);
    const decoder = anthropicCodec.streamDecoder();
    const encoder = anthropicCodec.streamEncoder(context);
    events.forEach((data, j) => encoder.encode(decoder.decode({ data: (j === bad ? mutate(data, rand) : data) as JsonObject })));
    decoder.end();
    encoder.end();
  }
});
