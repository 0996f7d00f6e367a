import { test } from "node:test";
import assert from "node:assert/strict";
import { ibanLength } from "./iban.ts";

test("ibanLength: valid IBANs, compact or in groups of four, are accepted whole", () => {
  for (const iban of ["DE89370400440532013000", "GB82WEST12345698765432", "FR1420041010050500013M02606", "NL91ABNA0417164300", "DE89 3704 0044 0532 0130 00", "NO9386011117947"]) {
    assert.equal(ibanLength(iban), iban.length, iban);
  }
});

test("ibanLength: a wrong check digit, a wrong length or an unknown country is rejected", () => {
  assert.equal(ibanLength("DE89370400440532013001"), 0);
  assert.equal(ibanLength("DE8937040044053201300"), 0);
  assert.equal(ibanLength("QQ89370400440532013000"), 0);
});

test("ibanLength: a group the pattern swallowed after the IBAN is left out; a cut inside a word is refused", () => {
  assert.equal(ibanLength("DE89 3704 0044 0532 0130 00 ABCD"), "DE89 3704 0044 0532 0130 00".length);
  assert.equal(ibanLength("DE89370400440532013000ABCD"), 0);
});
