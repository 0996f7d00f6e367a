import assert from "node:assert/strict";
import { test } from "node:test";
import { FailedAttempts } from "./failed-attempts.ts";

test("an address is blocked after max failures within the window, until the oldest leaves it", () => {
  const f = new FailedAttempts({ max: 3, windowSeconds: 10 });
  assert.equal(f.active, false);
  f.record("1.2.3.4", 1_000);
  f.record("1.2.3.4", 2_000);
  assert.equal(f.retryAfter("1.2.3.4", 2_500), 0, "two failures are under the limit");
  f.record("1.2.3.4", 3_000);
  assert.equal(f.retryAfter("1.2.3.4", 3_000), 8, "the first failure leaves the window at 11 s");
  assert.equal(f.retryAfter("5.6.7.8", 3_000), 0, "other addresses are not affected");
  assert.equal(f.retryAfter("1.2.3.4", 10_999), 1);
  assert.equal(f.retryAfter("1.2.3.4", 11_000), 0, "sliding: one failure left the window");
  f.record("1.2.3.4", 11_500);
  assert.equal(f.retryAfter("1.2.3.4", 11_500), 1, "blocked again until the second one leaves");
  assert.equal(f.retryAfter("1.2.3.4", 30_000), 0);
  assert.equal(f.active, false, "an address whose failures all left the window is forgotten");
});

test("max 0 turns limiting off; the number of addresses is bounded", () => {
  const off = new FailedAttempts({ max: 0, windowSeconds: 10 });
  for (let i = 0; i < 50; i++) off.record("a", 1000 + i);
  assert.equal(off.retryAfter("a", 1100), 0);
  const small = new FailedAttempts({ max: 2, windowSeconds: 10 }, 3);
  for (const a of ["a", "b", "c", "d"]) small.record(a, 1000);
  small.record("d", 1001);
  assert.ok(small.retryAfter("d", 1001) > 0, "the newest address is tracked");
  small.record("a", 1002);
  assert.equal(small.retryAfter("a", 1002), 0, "the least recently failing address was forgotten");
});
