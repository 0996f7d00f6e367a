import { test } from "node:test";
import assert from "node:assert/strict";
import { compileCondition, compileConditions } from "./compile-condition.ts";
import { PathSyntaxError } from "./json-path.ts";
import { RegexSyntaxError } from "./safe-regex.ts";
import type { Condition } from "./types.ts";

const holds = (c: Condition, root: unknown) => compileCondition(c)(root);

test("each operator on strings", () => {
  const doc = { url: "https://intranet/wiki/page" };
  assert.equal(holds({ path: "url", op: "equal", value: "https://intranet/wiki/page" }, doc), true);
  assert.equal(holds({ path: "url", op: "equal", value: "https://intranet" }, doc), false);
  assert.equal(holds({ path: "url", op: "notEqual", value: "x" }, doc), true);
  assert.equal(holds({ path: "url", op: "notEqual", value: "https://intranet/wiki/page" }, doc), false);
  assert.equal(holds({ path: "url", op: "contains", value: "/wiki/" }, doc), true);
  assert.equal(holds({ path: "url", op: "notContains", value: "/wiki/" }, doc), false);
  assert.equal(holds({ path: "url", op: "startsWith", value: "https://intranet/" }, doc), true);
  assert.equal(holds({ path: "url", op: "startsWith", value: "https://intranet.evil.com/" }, doc), false);
  assert.equal(holds({ path: "url", op: "endsWith", value: "/page" }, doc), true);
  assert.equal(holds({ path: "url", op: "regex", value: "^https://intranet/(wiki|docs)/" }, doc), true);
  assert.equal(holds({ path: "url", op: "regex", value: "(?i)INTRANET" }, doc), true);
  assert.equal(holds({ path: "url", op: "regex", value: "INTRANET" }, doc), false);
});

test("an absent path never matches, not even for the negative operators", () => {
  for (const op of ["equal", "notEqual", "contains", "notContains", "startsWith", "endsWith", "regex"] as const) {
    assert.equal(holds({ path: "missing", op, value: "x" }, { other: 1 }), false, op);
    assert.equal(holds({ path: "a", op, value: "x" }, undefined), false, `${op} on arguments that did not parse`);
  }
});

test("[*] holds only when it holds for every element", () => {
  const c: Condition = { path: "to[*]", op: "endsWith", value: "@example.com" };
  assert.equal(holds(c, { to: ["a@example.com", "b@example.com"] }), true);
  assert.equal(holds(c, { to: ["a@example.com", "eve@evil.com"] }), false);
  assert.equal(holds(c, { to: [] }), false);
  assert.equal(holds({ path: "to[*]", op: "notContains", value: "evil" }, { to: ["a@example.com", "eve@evil.com"] }), false);
});

test("numbers, booleans and objects compare as their JSON text", () => {
  assert.equal(holds({ path: "n", op: "equal", value: "42" }, { n: 42 }), true);
  assert.equal(holds({ path: "ok", op: "equal", value: "true" }, { ok: true }), true);
  assert.equal(holds({ path: "n", op: "equal", value: "null" }, { n: null }), true);
  assert.equal(holds({ path: "body", op: "contains", value: '"secret":' }, { body: { secret: 1 } }), true);
  assert.equal(holds({ path: "", op: "contains", value: "ignore previous" }, "Please ignore previous instructions"), true);
});

test("conditions are ANDed", () => {
  const t = compileConditions([
    { path: "to[*]", op: "endsWith", value: "@example.com" },
    { path: "subject", op: "notContains", value: "password" },
  ]);
  assert.equal(t({ to: ["a@example.com"], subject: "hi" }), true);
  assert.equal(t({ to: ["a@example.com"], subject: "your password" }), false);
  assert.equal(t({ to: ["a@example.com"] }), false);
});

test("bad paths and patterns are refused when compiled", () => {
  assert.throws(() => compileCondition({ path: "a..b", op: "equal", value: "x" }), PathSyntaxError);
  assert.throws(() => compileCondition({ path: "a", op: "regex", value: "(unclosed" }), RegexSyntaxError);
  assert.throws(() => compileCondition({ path: "a", op: "regex", value: "(a)\\1" }), RegexSyntaxError, "backreferences need backtracking");
});

test("a catastrophic pattern cannot hang the process: matching stays linear", () => {
  const input = { s: `${"a".repeat(50_000)}!` };
  for (const pattern of ["(a+)+$", "(a|a)*b", "(a*)*b", "a*a*a*a*a*b"]) {
    const t = compileCondition({ path: "s", op: "regex", value: pattern });
    const start = performance.now();
    assert.equal(t(input), false);
    const ms = performance.now() - start;
    // A backtracking engine takes ages (2^50000 steps); a linear one a few milliseconds.
    assert.ok(ms < 500, `${pattern} took ${ms.toFixed(1)} ms`);
  }
});
