import assert from "node:assert/strict";
import { test } from "node:test";
import { ExecutionTracker } from "./execution-tracker.ts";

test("an execution is counted once however many calls it makes", () => {
  const t = new ExecutionTracker();
  assert.equal(t.firstSeen("e1"), true);
  assert.equal(t.firstSeen("e1"), false);
  assert.equal(t.firstSeen("e2"), true);
  assert.equal(t.firstSeen("e1"), false);
});

test("a live execution survives rotations; one idle for two windows is forgotten", () => {
  let now = 0;
  const t = new ExecutionTracker({ windowMs: 100, now: () => now });
  assert.equal(t.firstSeen("busy"), true);
  assert.equal(t.firstSeen("idle"), true);
  for (now = 50; now <= 1000; now += 50) assert.equal(t.firstSeen("busy"), false, `busy at ${now}`);
  assert.equal(t.firstSeen("idle"), true, "idle for many windows: a new execution as far as the counter can tell");
});

test("memory stays bounded under a flood of distinct ids", () => {
  const t = new ExecutionTracker({ maxPerGeneration: 1000 });
  for (let i = 0; i < 100_000; i++) t.firstSeen(`flood-${i}`);
  assert.ok(t.size <= 2000, `${t.size} ids held`);
  // Recent ids are still recognised.
  assert.equal(t.firstSeen("flood-99999"), false);
});
