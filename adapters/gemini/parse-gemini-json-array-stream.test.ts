import { test } from "node:test";
import assert from "node:assert/strict";
import { ProxyError } from "../../src/canonical/error.ts";
import { readFixtureChunks } from "../../test/helpers/fixtures.ts";
import { GeminiJsonArrayParser, GeminiJsonArrayWriter } from "./parse-gemini-json-array-stream.ts";

const events = readFixtureChunks("gemini", "google-text.chunks.txt");

function wire(space?: number): string {
  const w = new GeminiJsonArrayWriter(space);
  return events.map((data) => w.write({ data })).join("") + w.end();
}

test("the writer's array is valid JSON holding every event", () => {
  assert.deepEqual(JSON.parse(wire(2)), events);
  assert.ok(wire(2).includes("\n,\r\n"));
  assert.equal(new GeminiJsonArrayWriter().end(), "[]");
});

test("elements come out as soon as they are complete, however the bytes are split", () => {
  const bytes = new TextEncoder().encode(wire(2));
  for (const size of [1, 7, 64, 1000, bytes.length]) {
    const parser = new GeminiJsonArrayParser();
    const got: unknown[] = [];
    for (let i = 0; i < bytes.length; i += size) for (const f of parser.push(bytes.subarray(i, i + size))) got.push(f.event.data);
    parser.end();
    assert.deepEqual(got, events, `split every ${size} bytes`);
  }
});

test("raw text of each element is kept; strings with braces and escapes do not confuse it", () => {
  const parser = new GeminiJsonArrayParser();
  const frames = parser.push('[{"a":"}{\\"]","b":[1,{"c":2}]}\n,\r\n{"d":"é"}\n]');
  assert.deepEqual(frames.map((f) => f.raw), ['{"a":"}{\\"]","b":[1,{"c":2}]}', '{"d":"é"}']);
  assert.deepEqual(parser.end(), []);
});

test("an error element, a cut stream and a non-JSON body", () => {
  const p = new GeminiJsonArrayParser();
  assert.deepEqual(p.push('[{"error":{"code":429,"message":"quota","status":"RESOURCE_EXHAUSTED"}}]')[0].event.data, { error: { code: 429, message: "quota", status: "RESOURCE_EXHAUSTED" } });
  const cut = new GeminiJsonArrayParser();
  cut.push('[{"candidates":[{"content":');
  assert.throws(() => cut.end(), (e: unknown) => e instanceof ProxyError && e.error.status === 502);
  assert.throws(() => new GeminiJsonArrayParser().push("<html>"), ProxyError);
});
