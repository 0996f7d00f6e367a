import { test } from "node:test";
import assert from "node:assert/strict";
import { applyEdits, PlaceholderBook, PLACEHOLDER } from "./placeholders.ts";

test("placeholders are numbered per kind in order of first appearance; a value keeps its placeholder", () => {
  const book = new PlaceholderBook();
  assert.equal(book.placeholderFor("sk-a", "SECRET"), "[SECRET_1]");
  assert.equal(book.placeholderFor("a@x.io", "EMAIL"), "[EMAIL_1]");
  assert.equal(book.placeholderFor("sk-b", "SECRET"), "[SECRET_2]");
  assert.equal(book.placeholderFor("sk-a", "SECRET"), "[SECRET_1]");
  assert.equal(book.placeholderOf("a@x.io"), "[EMAIL_1]");
});

test("only placeholders that replaced a value upstream are restorable", () => {
  const book = new PlaceholderBook();
  const p = book.placeholderFor("a@x.io", "EMAIL");
  const logged = book.placeholderFor("b@x.io", "EMAIL");
  assert.equal(book.hasReplaced, false);
  book.markReplaced(p);
  assert.equal(book.restorable(p), "a@x.io");
  assert.equal(book.restorable(logged), undefined);
  assert.equal(book.restorable("[EMAIL_9]"), undefined);
});

test("applyEdits: sorted, non-overlapping, the same string when there are none", () => {
  const text = "0123456789";
  assert.equal(applyEdits(text, []), text);
  assert.equal(applyEdits(text, [{ start: 6, end: 8, text: "B" }, { start: 1, end: 3, text: "A" }]), "0A345B89");
});

test("PLACEHOLDER matches every kind the guardrails write and nothing else", () => {
  const text = "[SECRET_1] [EMAIL_22] [PHONE_3] [CREDIT_CARD_4] [IBAN_5] [NATIONAL_ID_6] [SECRET] [FOO_1] [secret_1]";
  assert.deepEqual([...text.matchAll(PLACEHOLDER)].map((m) => m[0]), ["[SECRET_1]", "[EMAIL_22]", "[PHONE_3]", "[CREDIT_CARD_4]", "[IBAN_5]", "[NATIONAL_ID_6]"]);
});
