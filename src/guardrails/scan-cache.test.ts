import { test } from "node:test";
import assert from "node:assert/strict";
import { PII, SECRETS } from "./detector.ts";
import { CleanTextCache } from "./scan-cache.ts";

const clean = (n: number) => `an ordinary sentence number ${n} that is long enough to be worth remembering in the cache`;
const KEY_TEXT = "a text that holds a key sk-proj-Ab3dEf6hIj9kLmN0pQrStUvWxYz1234567890abcd and is long enough";

test("clean texts are remembered for the categories they were scanned for; texts with findings never are", () => {
  const cache = new CleanTextCache();
  assert.deepEqual(cache.scan(clean(1), SECRETS), []);
  assert.equal(cache.size, 1);
  assert.deepEqual(cache.scan(clean(1), SECRETS), []);
  assert.equal(cache.size, 1);
  assert.equal(cache.scan(KEY_TEXT, SECRETS).length, 1);
  assert.equal(cache.scan(KEY_TEXT, SECRETS).length, 1, "scanned again, found again");
  assert.equal(cache.size, 1, "the cache never holds a secret");
});

test("a text clean for secrets only is scanned again when PII is asked for", () => {
  const cache = new CleanTextCache();
  const text = "write to jane.doe@example.com about the quarterly numbers, it is long enough to be cached here";
  assert.deepEqual(cache.scan(text, SECRETS), []);
  assert.equal(cache.scan(text, SECRETS | PII).length, 1, "not served from the secrets-only memory");
});

test("bounded by entries and by characters; the least recently used goes first", () => {
  const cache = new CleanTextCache({ maxEntries: 2 });
  cache.scan(clean(1), SECRETS);
  cache.scan(clean(2), SECRETS);
  cache.scan(clean(1), SECRETS); // 1 is now the most recent
  cache.scan(clean(3), SECRETS);
  assert.equal(cache.size, 2);
  const byChars = new CleanTextCache({ maxChars: clean(1).length * 2 + 1 });
  for (let i = 0; i < 5; i++) byChars.scan(clean(i), SECRETS);
  assert.equal(byChars.size, 2);
});

test("short texts are not cached (scanning them is cheaper than the bookkeeping)", () => {
  const cache = new CleanTextCache({ minLength: 64 });
  cache.scan("hello there", SECRETS);
  assert.equal(cache.size, 0);
});
