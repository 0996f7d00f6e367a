import { test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { findLongRuns, looksRandom, MIN_TOKEN, shannonEntropy } from "./high-entropy.ts";

const B62 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const random = (n: number, alphabet = B62) => Array.from(randomBytes(n), (b) => alphabet[b % alphabet.length]).join("");

test("shannonEntropy: bits per character", () => {
  assert.equal(shannonEntropy("aaaa"), 0);
  assert.equal(shannonEntropy("abab"), 1);
  assert.equal(shannonEntropy("abcdefgh"), 3);
});

test("looksRandom: random tokens of 32+ characters are caught (all of 200), 24 almost all", () => {
  let caught32 = 0;
  let caught24 = 0;
  for (let i = 0; i < 200; i++) {
    if (looksRandom(random(32))) caught32++;
    if (looksRandom(random(24))) caught24++;
  }
  assert.ok(caught32 >= 196, `32 chars: ${caught32}/200`);
  assert.ok(caught24 >= 180, `24 chars: ${caught24}/200`);
  assert.equal(looksRandom("tG8+q2Lk/9ZxVb4Rm1Pw7Yc0Ns3Hd6Jf5Ka2Ue8Q"), true, "base64 with + and /");
  assert.equal(looksRandom("k3v8wq2m1x0pz7r4t9n2c5b6m1x8q3w"), true, "single-case base36");
});

test("looksRandom: identifiers, words, paths, hashes, UUIDs and prefixed ids are not secrets", () => {
  for (const s of [
    "convert_to_anthropic_messages_prompt",
    "handleUserAuthenticationRequest2",
    "AbstractSingletonProxyFactoryBean",
    "EXAMPLE_CONSTANT_NAME_WITH_NUMBER_42",
    "customer_id_20240115_invoice_000123",
    "node_modules/@anthropic-ai/sdk/resources",
    "com/anthropics/anthropic-sdk-typescript/commit/1fd826175b5742df1dc9fd69db708be14",
    "3f786850e387550fdab836ed7e6dc881de23001b",
    "550e8400-e29b-41d4-a716-446655440000",
    "01ARZ3NDEKTSV4RRFFQ69G5FAV",
    "sha512-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU8aTxmK1pQ==",
    "msg_01VdEjxAP5ahtHKrrRdNBteQ",
    "toolu_01LRmxn9vGM1d2DZSDBowdZ1",
    "call_YunNGbIwdVJ2i0y0Mybva4Pw",
    "pneumonoultramicroscopicsilicovolcanoconiosis",
    "short1A",
    random(200),
  ]) {
    assert.equal(looksRandom(s), false, s);
  }
});

test("looksRandom: a word prefix that says key or token does not excuse the token", () => {
  assert.equal(looksRandom("apikey_Zx81Qp0LmN7vB2cD9kR4sT6w"), true);
});

test("findLongRuns: every maximal run of 24+ base64 characters, nothing shorter", () => {
  const long = "A1b2C3d4E5f6G7h8I9j0K1l2M3";
  const text = `short words here ${long} and-a-dashed-identifier-that-is-long, x+y/z ${long}`;
  const runs: string[] = [];
  findLongRuns(text, (s, e) => runs.push(text.slice(s, e)));
  assert.deepEqual(runs, [long, "and-a-dashed-identifier-that-is-long", long]);
  const exact = "a".repeat(MIN_TOKEN);
  const found: string[] = [];
  findLongRuns(`${exact} ${"b".repeat(MIN_TOKEN - 1)}`, (s, e) => found.push(String(e - s)));
  assert.deepEqual(found, [String(MIN_TOKEN)]);
});
