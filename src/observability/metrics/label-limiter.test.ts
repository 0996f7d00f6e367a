import assert from "node:assert/strict";
import { test } from "node:test";
import { LabelLimiter, OTHER } from "./label-limiter.ts";

test("the first N values are kept, later ones fold into 'other' and each fold is counted", () => {
  let folds = 0;
  const l = new LabelLimiter(2, () => folds++);
  assert.equal(l.label("a"), "a");
  assert.equal(l.label("b"), "b");
  assert.equal(l.label("c"), OTHER);
  assert.equal(l.label("a"), "a", "an admitted value stays itself");
  assert.equal(l.label("d"), OTHER);
  assert.equal(l.label(undefined), "");
  assert.equal(l.label(""), "");
  assert.equal(folds, 2);
  assert.equal(l.size, 2);
});
