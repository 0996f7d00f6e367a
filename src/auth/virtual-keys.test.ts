import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { test } from "node:test";
import { generateVirtualKey, hashVirtualKey, virtualKeyPrefix } from "./virtual-keys.ts";

test("generated keys are pk- and 32 random bytes in base64url", () => {
  const keys = new Set(Array.from({ length: 200 }, generateVirtualKey));
  assert.equal(keys.size, 200);
  for (const k of keys) {
    assert.match(k, /^pk-[A-Za-z0-9_-]{43}$/);
    assert.equal(Buffer.from(k.slice(3), "base64url").length, 32);
  }
});

test("the hash is sha256 hex of the key", () => {
  assert.equal(hashVirtualKey("pk-abc"), createHash("sha256").update("pk-abc").digest("hex"));
  assert.notEqual(hashVirtualKey("pk-abc"), hashVirtualKey("pk-abd"));
});

test("the prefix shows the start of a key, and at most a quarter of a short one", () => {
  const key = generateVirtualKey();
  assert.equal(virtualKeyPrefix(key), key.slice(0, 11));
  assert.equal(virtualKeyPrefix("0123456789abcdef"), "0123");
  assert.equal(virtualKeyPrefix("abc"), "");
});
