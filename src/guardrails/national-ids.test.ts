import { test } from "node:test";
import assert from "node:assert/strict";
import { validAadhaar, validBrazilCpf, validCanadaSin, validFrenchNir, validSpanishId, validUkNino, validUsSsn } from "./national-ids.ts";

test("US SSN: issuing rules (no area 000/666/9xx, group 00, serial 0000)", () => {
  assert.equal(validUsSsn("123-45-6789"), true);
  for (const bad of ["000-45-6789", "666-45-6789", "900-45-6789", "123-00-6789", "123-45-0000"]) assert.equal(validUsSsn(bad), false, bad);
});

test("UK NINO: reserved prefixes are refused", () => {
  assert.equal(validUkNino("AB123456C"), true);
  for (const bad of ["BG123456C", "GB123456C", "NK123456C", "TN123456C", "ZZ123456C"]) assert.equal(validUkNino(bad), false, bad);
});

test("Spanish DNI and NIE: the letter is the number mod 23", () => {
  assert.equal(validSpanishId("12345678Z"), true);
  assert.equal(validSpanishId("12345678-Z"), true);
  assert.equal(validSpanishId("X1234567L"), true);
  assert.equal(validSpanishId("12345678A"), false);
  assert.equal(validSpanishId("X1234567A"), false);
});

test("Brazilian CPF: both check digits; repeated digits refused", () => {
  assert.equal(validBrazilCpf("529.982.247-25"), true);
  assert.equal(validBrazilCpf("529.982.247-26"), false);
  assert.equal(validBrazilCpf("111.111.111-11"), false);
});

test("Canadian SIN: Luhn, and never 0 or 8 first", () => {
  assert.equal(validCanadaSin("130 692 544"), true);
  assert.equal(validCanadaSin("130 692 545"), false);
  assert.equal(validCanadaSin("046 454 286"), false, "Luhn-valid but 0 is not issued");
});

test("French NIR: key = 97 - number mod 97, Corsica 2A/2B counted as 19/18", () => {
  assert.equal(validFrenchNir("1 84 12 76 451 089 46"), true);
  assert.equal(validFrenchNir("184127645108947"), false);
  assert.equal(validFrenchNir("285122A12345695"), true);
  assert.equal(validFrenchNir("285122A12345694"), false);
});

test("Aadhaar: Verhoeff check digit", () => {
  assert.equal(validAadhaar("2345 6789 0124"), true);
  assert.equal(validAadhaar("2345 6789 0123"), false);
  assert.equal(validAadhaar("2345 6789 0142"), false, "Verhoeff catches transpositions");
});
