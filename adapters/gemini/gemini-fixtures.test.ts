import { test } from "node:test";
import assert from "node:assert/strict";
import type { AssistantPart, ToolCallPart } from "../../src/canonical/content.ts";
import type { CanonicalResponse, Finish, Usage } from "../../src/canonical/response.ts";
import type { StreamEvent } from "../../src/canonical/stream.ts";
import { listFixtures, readFixtureChunks, readFixtureJson } from "../../test/helpers/fixtures.ts";
import { geminiCodec } from "./gemini-codec.ts";

const context = { request: { model: "gemini-3-pro-preview", messages: [], stream: false }, model: "gemini-3-pro-preview" };

/** Decodes a recorded stream event by event, checking each re-encodes to itself; returns the events. */
function replay(file: string): StreamEvent[] {
  const decoder = geminiCodec.streamDecoder();
  const encoder = geminiCodec.streamEncoder(context);
  const events: StreamEvent[] = [];
  readFixtureChunks("gemini", file).forEach((line, i) => {
    const chunk = decoder.decode({ data: line });
    events.push(...chunk.events);
    assert.deepEqual(encoder.encode(chunk), [{ data: line }], `${file} line ${i + 1} round trip`);
  });
  assert.equal(decoder.end(), undefined, `${file} ends well-formed`);
  return events;
}

/** The parts a stream assembled (from part-end events), its final usage and finish. */
function assemble(events: StreamEvent[]): { parts: AssistantPart[]; usage?: Usage; finish?: Finish } {
  const parts: AssistantPart[] = [];
  let usage: Usage | undefined;
  let finish: Finish | undefined;
  const deltas = new Map<number, string>();
  for (const e of events) {
    if (e.type === "part-end") parts[e.index] = e.part;
    if (e.type === "tool-args-delta" || e.type === "text-delta") deltas.set(e.index, (deltas.get(e.index) ?? "") + e.delta);
    if (e.type === "usage") usage = e.usage;
    if (e.type === "finish") finish = e.finish;
  }
  // Argument deltas always add up to the arguments the part ends with.
  for (const p of parts) if (p?.type === "tool-call") assert.equal(deltas.get(parts.indexOf(p)) ?? "", p.arguments, `deltas of ${p.name}`);
  return { parts, usage, finish };
}

const strip = (parts: AssistantPart[]) => parts.map(({ origin: _o, ...p }) => p);

test("every recorded response re-encodes to itself", () => {
  for (const file of listFixtures("gemini", ".json")) {
    const body = readFixtureJson("gemini", file);
    assert.deepEqual(geminiCodec.encodeResponse(geminiCodec.decodeResponse(body), context), body, file);
  }
});

test("google-text: text, its signature as reasoning, usage with thoughts, STOP", () => {
  const r: CanonicalResponse = geminiCodec.decodeResponse(readFixtureJson("gemini", "google-text.json"));
  assert.equal(r.id, "Un6LacrVMcjUxs0PmJfWoQc");
  assert.equal(r.model, "gemini-3-pro-preview");
  assert.deepEqual(strip(r.content), [
    { type: "text", text: "There are **3** r's in strawberry.\n\nHere is the breakdown: st**r**awbe**rr**y." },
    { type: "reasoning", signature: "EtoFCtcFAb4+9vtfe4MXRxQjw48U1WKrR/7lYsgFkVi/bepqsSPjY0VU7HEzkeCBIfy1fu5t9aUZ4IZ65aWagqbBrV45fc97olcg", producer: "gemini" },
  ]);
  assert.deepEqual(r.finish, { reason: "stop", native: "STOP" });
  assert.deepEqual({ ...r.usage, extras: undefined }, { inputTokens: 9, outputTokens: 272, reasoningTokens: 244, totalTokens: 281, extras: undefined });
});

test("google-tool-call: a signed call with a stable generated id, finish tool_calls", () => {
  const r = geminiCodec.decodeResponse(readFixtureJson("gemini", "google-tool-call.json"));
  const call = r.content[0] as ToolCallPart;
  assert.equal(r.content.length, 1);
  assert.equal(call.type, "tool-call");
  assert.equal(call.name, "weather");
  assert.equal(call.arguments, '{"location":"San Francisco"}');
  assert.match(call.id, /^call_gm_/);
  assert.equal(call.id, (geminiCodec.decodeResponse(readFixtureJson("gemini", "google-tool-call.json")).content[0] as ToolCallPart).id);
  assert.ok(call.id.length <= 40);
  assert.ok(call.signature?.startsWith("EskgCsYgAb4+"));
  assert.deepEqual(r.finish, { reason: "tool_calls", native: "STOP" });
  assert.deepEqual([r.usage?.inputTokens, r.usage?.outputTokens, r.usage?.reasoningTokens], [29, 908, 893]);
});

test("every recorded stream event re-encodes to itself", () => {
  for (const file of listFixtures("gemini", ".chunks.txt")) replay(file);
});

test("google-text stream: one text part, the trailing signature as reasoning, cumulative usage", () => {
  const { parts, usage, finish } = assemble(replay("google-text.chunks.txt"));
  assert.equal(parts.length, 2);
  assert.deepEqual(parts[0], { type: "text", text: 'There are **3** "r"s in strawberry.\n\nst**r**awbe**rr**y' });
  assert.equal(parts[1].type, "reasoning");
  assert.ok((parts[1] as { signature: string }).signature.startsWith("EqsFCqgFAb4+"));
  assert.deepEqual([usage?.inputTokens, usage?.outputTokens, usage?.reasoningTokens], [9, 208, 185]);
  assert.deepEqual(finish, { reason: "stop", native: "STOP" });
});

test("google-tool-call stream assembles what the non-stream response holds", () => {
  const { parts, finish } = assemble(replay("google-tool-call.chunks.txt"));
  const json = geminiCodec.decodeResponse(readFixtureJson("gemini", "google-tool-call.json"));
  assert.equal(parts.length, 1, "the trailing empty text part is no content");
  const [streamed, whole] = [parts[0] as ToolCallPart, json.content[0] as ToolCallPart];
  assert.deepEqual([streamed.name, streamed.arguments], [whole.name, whole.arguments]);
  assert.deepEqual(finish, { reason: "tool_calls", native: "STOP" });
});

test("Vertex no-args stream: thought summary, a no-arg call, three streamed parallel calls", () => {
  const { parts, usage, finish } = assemble(replay("google-stream-no-args-tool-call.chunks.txt"));
  assert.equal(parts[0].type, "reasoning");
  assert.match((parts[0] as { text: string }).text, /^\*\*Processing User Requests\*\*/);
  const calls = parts.filter((p): p is ToolCallPart => p.type === "tool-call");
  assert.deepEqual(
    calls.map((c) => [c.name, c.arguments]),
    [
      ["read_theme", ""],
      ["read_screen", '{"id":"A"}'],
      ["read_screen", '{"id":"B"}'],
      ["read_screen", '{"id":"C"}'],
    ],
  );
  assert.ok(calls[0].signature, "the first call carries the signature");
  assert.equal(new Set(calls.map((c) => c.id)).size, 4);
  assert.deepEqual([usage?.inputTokens, usage?.outputTokens, usage?.reasoningTokens], [249, 241, 183]);
  assert.deepEqual(finish, { reason: "tool_calls", native: "STOP" });
});

test("Vertex streamed arguments: two parallel calls, finish on the terminator chunk", () => {
  const { parts, finish } = assemble(replay("google-stream-tool-call-arguments.chunks.txt"));
  assert.deepEqual(
    parts.map((p) => (p.type === "tool-call" ? [p.name, p.arguments] : p.type)),
    [
      ["getWeather", '{"location":"Boston"}'],
      ["getWeather", '{"location":"San Francisco"}'],
    ],
  );
  assert.deepEqual(finish, { reason: "tool_calls", native: "STOP" });
});

test("Vertex array paths without a terminal functionCall", () => {
  const { parts } = assemble(replay("google-stream-tool-call-array-arguments-missing-terminal-function-call.chunks.txt"));
  assert.equal(parts.length, 1);
  assert.deepEqual(JSON.parse((parts[0] as ToolCallPart).arguments), {
    operations: [
      { action: "add", description: "Fresh red apple", itemid: "apple_001", price: 0.5 },
      { action: "add", description: "Ripe yellow banana", itemid: "banana_001", price: 0.3 },
    ],
  });
});

test("Vertex nested arguments are assembled exactly, a value split over two chunks included", () => {
  const { parts, usage } = assemble(replay("google-vertex-stream-tool-call-arguments-nested.1.chunks.txt"));
  const call = parts[0] as ToolCallPart;
  const args = JSON.parse(call.arguments) as { recipe: { ingredients: Array<{ amount: string; name: string }>; name: string; steps: string[] } };
  assert.equal(call.arguments, JSON.stringify(args), "compact JSON in the model's key order");
  assert.deepEqual(Object.keys(args.recipe), ["ingredients", "name", "steps"]);
  assert.equal(args.recipe.ingredients.length, 10);
  assert.deepEqual(args.recipe.ingredients[6], { amount: "1", name: "Egg" });
  assert.equal(args.recipe.name, "Lasagna");
  assert.equal(args.recipe.steps[0], "Preheat oven to 375°F (190°C).");
  assert.equal(args.recipe.steps[1], "Cook lasagna noodles according to package directions, drain and set aside.");
  assert.equal(args.recipe.steps[4], "In a 9x13 baking dish, spread a thin layer of meat sauce.");
  assert.equal(args.recipe.steps.length, 10);
  assert.ok((call.signature?.length ?? 0) > 5000);
  assert.deepEqual([usage?.inputTokens, usage?.outputTokens], [31, 1710]);
});
