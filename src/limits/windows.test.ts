import assert from "node:assert/strict";
import { test } from "node:test";
import { secondsUntil, windowAt } from "./windows.ts";

const at = (iso: string) => Date.parse(iso);
const span = (w: Parameters<typeof windowAt>[0], iso: string) => {
  const s = windowAt(w, at(iso));
  return [new Date(s.start).toISOString(), Number.isFinite(s.end) ? new Date(s.end).toISOString() : "never"];
};

test("windows are calendar-aligned in UTC, start inclusive and end exclusive", () => {
  assert.deepEqual(span("minute", "2026-03-10T12:34:56.789Z"), ["2026-03-10T12:34:00.000Z", "2026-03-10T12:35:00.000Z"]);
  assert.deepEqual(span("minute", "2026-03-10T12:35:00.000Z"), ["2026-03-10T12:35:00.000Z", "2026-03-10T12:36:00.000Z"]);
  assert.deepEqual(span("hour", "2026-03-10T12:59:59.999Z"), ["2026-03-10T12:00:00.000Z", "2026-03-10T13:00:00.000Z"]);
  assert.deepEqual(span("day", "2026-03-10T23:59:59.999Z"), ["2026-03-10T00:00:00.000Z", "2026-03-11T00:00:00.000Z"]);
  assert.deepEqual(span("lifetime", "2026-03-10T12:00:00Z"), ["1970-01-01T00:00:00.000Z", "never"]);
});

test("a month runs from the 1st to the 1st, across year ends and leap Februaries", () => {
  assert.deepEqual(span("month", "2026-12-31T23:59:59Z"), ["2026-12-01T00:00:00.000Z", "2027-01-01T00:00:00.000Z"]);
  assert.deepEqual(span("month", "2028-02-29T12:00:00Z"), ["2028-02-01T00:00:00.000Z", "2028-03-01T00:00:00.000Z"]);
  assert.deepEqual(span("month", "2026-03-01T00:00:00Z"), ["2026-03-01T00:00:00.000Z", "2026-04-01T00:00:00.000Z"]);
});

test("seconds until a reset round up and are at least one; a lifetime window has none", () => {
  assert.equal(secondsUntil(at("2026-03-10T12:01:00Z"), at("2026-03-10T12:00:59.001Z")), 1);
  assert.equal(secondsUntil(at("2026-03-10T12:01:00Z"), at("2026-03-10T12:00:30Z")), 30);
  assert.equal(secondsUntil(at("2026-03-10T12:01:00Z"), at("2026-03-10T12:01:00Z")), 1);
  assert.equal(secondsUntil(Number.POSITIVE_INFINITY, 0), 0);
});
