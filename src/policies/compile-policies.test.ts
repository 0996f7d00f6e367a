import { test } from "node:test";
import assert from "node:assert/strict";
import { chooseRule, compileProxyPolicies, rulesFor } from "./compile-policies.ts";
import { DEFAULT_GUARDRAILS, type ToolInvocationPolicy, type TrustedDataPolicy } from "./types.ts";

const compile = (toolInvocation: ToolInvocationPolicy[], trustedData: TrustedDataPolicy[] = [], report?: (m: string) => void) =>
  compileProxyPolicies({ proxyId: "p", contextUntrusted: false, trustedData, toolInvocation, guardrails: DEFAULT_GUARDRAILS }, report);

const choose = (policies: ReturnType<typeof compile>, tool: string, value: unknown) => chooseRule(rulesFor(policies.toolInvocationRules, tool), () => value)?.id;

const internal: ToolInvocationPolicy = { id: "internal", tool: "send_email", when: [{ path: "to[*]", op: "endsWith", value: "@example.com" }], action: "allow_when_context_is_untrusted" };
const ceo: ToolInvocationPolicy = { id: "ceo", tool: "send_email", when: [{ path: "to[*]", op: "equal", value: "ceo@example.com" }], action: "block_when_context_is_untrusted" };
const fallback: ToolInvocationPolicy = { id: "fallback", tool: "send_email", action: "block_when_context_is_untrusted" };
const never: ToolInvocationPolicy = { id: "never", tool: "send_email", when: [{ path: "bcc", op: "contains", value: "@" }], action: "block_always" };

test("the first matching conditional rule wins over the unconditional one, whatever the order written", () => {
  const p = compile([fallback, internal, ceo]);
  assert.equal(choose(p, "send_email", { to: ["a@example.com"] }), "internal");
  assert.equal(choose(p, "send_email", { to: ["ceo@example.com"] }), "internal", "first matching conditional, in order");
  assert.equal(choose(compile([ceo, internal, fallback]), "send_email", { to: ["ceo@example.com"] }), "ceo");
  assert.equal(choose(p, "send_email", { to: ["eve@evil.com"] }), "fallback");
  assert.equal(choose(p, "send_email", undefined), "fallback", "arguments that did not parse match no condition");
  assert.equal(choose(p, "other_tool", {}), undefined);
});

test("a matching block_always wins over every other rule; one that does not match is passed over", () => {
  const p = compile([internal, fallback, never]);
  assert.equal(choose(p, "send_email", { to: ["a@example.com"], bcc: "eve@evil.com" }), "never");
  assert.equal(choose(p, "send_email", { to: ["a@example.com"] }), "internal");
  const always = compile([internal, { id: "off", tool: "send_email", action: "block_always" }]);
  assert.equal(choose(always, "send_email", { to: ["a@example.com"] }), "off");
});

test("the value is parsed at most once, and not at all when no rule has conditions", () => {
  let calls = 0;
  const value = () => (calls++, { to: ["eve@evil.com"] });
  const p = compile([internal, ceo, fallback, never]);
  chooseRule(rulesFor(p.toolInvocationRules, "send_email"), value);
  assert.equal(calls, 1);
  calls = 0;
  chooseRule(rulesFor(compile([fallback]).toolInvocationRules, "send_email"), value);
  assert.equal(calls, 0);
});

test("namespace tools are found by their qualified name, then the bare name; `*` covers tools no rule names", () => {
  const p = compile([
    { id: "q", tool: "mcp__github__create_issue", action: "allow_when_context_is_untrusted" },
    { id: "bare", tool: "delete_repo", action: "block_always" },
    { id: "any", tool: "*", action: "block_when_context_is_untrusted" },
  ]);
  assert.equal(chooseRule(rulesFor(p.toolInvocationRules, "create_issue", "mcp__github"), () => ({}))?.id, "q");
  assert.equal(chooseRule(rulesFor(p.toolInvocationRules, "delete_repo", "mcp__github"), () => ({}))?.id, "bare");
  assert.equal(chooseRule(rulesFor(p.toolInvocationRules, "create_issue"), () => ({}))?.id, "any");
  assert.equal(rulesFor(compile([]).toolInvocationRules, "x"), undefined);
});

test("a condition that no longer compiles fails safe: blocking rules match, allowing rules do not", () => {
  const reports: string[] = [];
  const bad = [{ path: "a", op: "regex" as const, value: "(" }];
  const p = compile(
    [
      { id: "allow", tool: "t", when: bad, action: "allow_when_context_is_untrusted" },
      { id: "block", tool: "u", when: bad, action: "block_always" },
    ],
    [{ id: "trust", tool: "r", when: bad, action: "mark_as_trusted" }],
    (m) => reports.push(m),
  );
  assert.equal(choose(p, "t", { a: "x" }), undefined);
  assert.equal(choose(p, "u", {}), "block");
  assert.equal(chooseRule(rulesFor(p.trustedDataRules, "r"), () => ({ a: "x" })), undefined);
  assert.equal(reports.length, 3);
  assert.ok(reports.some((r) => /^policy block: .*matches every u call/.test(r)), reports.join("\n"));
  assert.equal(p.blocksResults, false);
  assert.equal(compile([], [{ id: "b", tool: "x", action: "block_always" }]).blocksResults, true);
});
