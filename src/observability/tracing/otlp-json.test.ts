import assert from "node:assert/strict";
import { test } from "node:test";
import { encodeTraces, unixNanos } from "./otlp-json.ts";
import type { FinishedSpan } from "./span.ts";

test("epoch milliseconds become decimal nanoseconds beyond 2^53, without float rounding of the whole", () => {
  // A double near 1.76e12 ms resolves ~0.24 µs: fractions it can hold come out exact.
  assert.equal(unixNanos(1_760_000_000_123.25), "1760000000123250000");
  assert.equal(unixNanos(1_760_000_000_123.75), "1760000000123750000");
  assert.equal(unixNanos(1_760_000_000_000), "1760000000000000000");
});

test("spans encode to the OTLP/JSON mapping: hex ids, string int64s, typed attribute values", () => {
  const span: FinishedSpan = {
    traceId: "4bf92f3577b34da6a3ce929d0e0e4736",
    spanId: "00f067aa0ba902b7",
    parentSpanId: "53995c3f42cd8ad8",
    name: "chat gpt-4o",
    kind: 3,
    startMs: 1_760_000_000_000.5,
    endMs: 1_760_000_000_100.25,
    attributes: { s: "x", i: 42, d: { double: 0.5 }, b: true, a: ["stop"] },
    events: [{ name: "e", timeMs: 1_760_000_000_050, attributes: { k: "v" } }],
    status: { code: 2, message: "boom" },
  };
  const body = JSON.parse(encodeTraces([span], { "service.name": "portcullis" }, { name: "portcullis", version: "0.1.0" }));
  const out = body.resourceSpans[0].scopeSpans[0].spans[0];
  assert.deepEqual(body.resourceSpans[0].resource.attributes, [{ key: "service.name", value: { stringValue: "portcullis" } }]);
  assert.deepEqual(body.resourceSpans[0].scopeSpans[0].scope, { name: "portcullis", version: "0.1.0" });
  assert.equal(out.traceId, span.traceId);
  assert.equal(out.parentSpanId, span.parentSpanId);
  assert.equal(out.startTimeUnixNano, "1760000000000500000");
  assert.equal(out.endTimeUnixNano, "1760000000100250000");
  assert.deepEqual(out.attributes, [
    { key: "s", value: { stringValue: "x" } },
    { key: "i", value: { intValue: "42" } },
    { key: "d", value: { doubleValue: 0.5 } },
    { key: "b", value: { boolValue: true } },
    { key: "a", value: { arrayValue: { values: [{ stringValue: "stop" }] } } },
  ]);
  assert.deepEqual(out.events, [{ timeUnixNano: "1760000000050000000", name: "e", attributes: [{ key: "k", value: { stringValue: "v" } }] }]);
  assert.deepEqual(out.status, { code: 2, message: "boom" });
});
