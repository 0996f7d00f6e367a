import assert from "node:assert/strict";
import { test } from "node:test";
import { formatTraceparent, newSpanId, newTraceId, parseTraceparent } from "./trace-context.ts";

test("a valid traceparent is continued, sampled flag and tracestate included", () => {
  assert.deepEqual(parseTraceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", "congo=t61rcWkgMzE"), {
    traceId: "4bf92f3577b34da6a3ce929d0e0e4736",
    spanId: "00f067aa0ba902b7",
    sampled: true,
    traceState: "congo=t61rcWkgMzE",
  });
  assert.equal(parseTraceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00")?.sampled, false);
  // Upper case is normalised; a future version may carry more fields.
  assert.equal(parseTraceparent("00-4BF92F3577B34DA6A3CE929D0E0E4736-00F067AA0BA902B7-01")?.traceId, "4bf92f3577b34da6a3ce929d0e0e4736");
  assert.equal(parseTraceparent("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra")?.spanId, "00f067aa0ba902b7");
});

test("anything invalid starts a new trace instead", () => {
  for (const bad of [
    undefined,
    "",
    "garbage",
    "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
    "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",
    "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
    "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra",
    "00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01",
    "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-1",
  ]) {
    assert.equal(parseTraceparent(bad), undefined, String(bad));
  }
});

test("generated ids are well-formed, distinct and round-trip through the header", () => {
  const seen = new Set<string>();
  for (let i = 0; i < 1000; i++) {
    const t = newTraceId();
    const s = newSpanId();
    assert.match(t, /^[0-9a-f]{32}$/);
    assert.match(s, /^[0-9a-f]{16}$/);
    seen.add(t);
    assert.deepEqual(parseTraceparent(formatTraceparent(t, s, true)), { traceId: t, spanId: s, sampled: true });
  }
  assert.equal(seen.size, 1000);
});
