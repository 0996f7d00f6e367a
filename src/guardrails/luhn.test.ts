import { test } from "node:test";
import assert from "node:assert/strict";
import { digitsOf, luhnValid } from "./luhn.ts";

test("luhnValid: test card numbers pass, a changed digit fails", () => {
  for (const n of ["4111111111111111", "5555555555554444", "378282246310005", "6011111111111117", "130692544"]) assert.equal(luhnValid(n), true, n);
  for (const n of ["4111111111111112", "5555555555554445", "378282246310006", ""]) assert.equal(luhnValid(n), false, n);
});

test("digitsOf drops separators", () => {
  assert.equal(digitsOf("4111 1111-1111.1111"), "4111111111111111");
});
