import assert from "node:assert/strict";
import { test } from "node:test";
import { TokenCache } from "./token-cache.ts";

test("an entry lives until the token expires or the maximum age, whichever is first", () => {
  const cache = new TokenCache<string>(10, 1000);
  cache.set("a", "A", 10_500, 10_000);
  cache.set("b", "B", 99_000, 10_000);
  assert.equal(cache.get("a", 10_499), "A");
  assert.equal(cache.get("a", 10_500), undefined, "expired with the token");
  assert.equal(cache.get("b", 10_999), "B");
  assert.equal(cache.get("b", 11_000), undefined, "expired at the maximum age");
  cache.set("c", "C", 5_000, 10_000);
  assert.equal(cache.get("c", 10_000), undefined, "an expired token is not cached at all");
});

test("it is bounded: expired entries go first, then the oldest", () => {
  const cache = new TokenCache<number>(10, 60_000);
  for (let i = 0; i < 10; i++) cache.set(`k${i}`, i, i < 3 ? 1_100 : 99_999, 1_000);
  cache.set("new", 10, 99_999, 2_000);
  assert.equal(cache.size, 8, "the three expired ones were dropped");
  for (let i = 0; i < 3; i++) cache.set(`more${i}`, i, 99_999, 2_000);
  assert.equal(cache.size, 10);
  cache.set("overflow", 1, 99_999, 2_000);
  assert.ok(cache.size <= 10);
  assert.equal(cache.get("k3", 2_000), undefined, "the oldest live entry was evicted");
  assert.equal(cache.get("overflow", 2_000), 1);
  cache.clear();
  assert.equal(cache.size, 0);
});
