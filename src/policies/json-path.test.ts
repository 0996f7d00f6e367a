import { test } from "node:test";
import assert from "node:assert/strict";
import { parseJsonPath, PathSyntaxError, resolveJsonPath } from "./json-path.ts";

const at = (root: unknown, path: string) => resolveJsonPath(root, parseJsonPath(path));

test("paths parse into steps: keys, indexes, wildcards, quoted keys, and the root", () => {
  assert.deepEqual(parseJsonPath("a.b[0].c"), [{ key: "a" }, { key: "b" }, { index: 0 }, { key: "c" }]);
  assert.deepEqual(parseJsonPath("to[*]"), [{ key: "to" }, { each: true }]);
  assert.deepEqual(parseJsonPath('$.headers["x.y"]'), [{ key: "headers" }, { key: "x.y" }]);
  assert.deepEqual(parseJsonPath("['a b']"), [{ key: "a b" }]);
  assert.deepEqual(parseJsonPath(""), []);
  assert.deepEqual(parseJsonPath("$"), []);
});

test("malformed paths are refused with the position", () => {
  for (const bad of ["a..b", ".a", "a[", "a[x]", "a[-1]", "a]b", "a[0]b"]) {
    assert.throws(() => parseJsonPath(bad), PathSyntaxError, bad);
  }
});

test("resolving: values reached, or undefined when any branch is absent", () => {
  const doc = { to: ["a@x.com", "b@x.com"], meta: { n: 1, none: null }, list: [{ id: 1 }, { id: 2 }, {}] };
  assert.deepEqual(at(doc, "to[*]"), ["a@x.com", "b@x.com"]);
  assert.deepEqual(at(doc, "to[1]"), ["b@x.com"]);
  assert.deepEqual(at(doc, "meta.n"), [1]);
  assert.deepEqual(at(doc, "meta.none"), [null], "null is a value, not an absence");
  assert.equal(at(doc, "meta.missing"), undefined);
  assert.equal(at(doc, "to[5]"), undefined);
  assert.equal(at(doc, "list[*].id"), undefined, "one element without the key makes the whole path absent");
  assert.deepEqual(at({ list: [{ id: 1 }, { id: 2 }] }, "list[*].id"), [1, 2]);
  assert.equal(at({ to: [] }, "to[*]"), undefined, "an empty array offers nothing to check");
  assert.equal(at({ to: "x" }, "to[*]"), undefined);
  assert.equal(at("plain text", "a"), undefined);
  assert.deepEqual(at("plain text", ""), ["plain text"]);
  assert.equal(at({ a: 1 }, "toString"), undefined, "inherited properties are not keys");
  assert.deepEqual(at({ m: [[1, 2], [3]] }, "m[*][*]"), [1, 2, 3]);
});
