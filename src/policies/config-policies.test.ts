import { test } from "node:test";
import assert from "node:assert/strict";
import { derivedPolicyId, policiesSectionProblem, toConfigPolicySets } from "./config-policies.ts";
import { policiesSection } from "./policy-schema.ts";

test("ids are derived from proxy, kind and tool, numbered for a tool's later rules", () => {
  const section = policiesSection.parse([
    {
      proxy: "default",
      trustedData: [{ tool: "read_inbox", action: "mark_as_untrusted" }],
      toolInvocation: [
        { tool: "send_email", when: [{ path: "to[*]", op: "endsWith", value: "@example.com" }], action: "allow_when_context_is_untrusted" },
        { tool: "send_email", action: "block_when_context_is_untrusted" },
        { id: "mine", tool: "delete_repo", action: "block_always", reason: "never" },
        { tool: "*", action: "block_when_context_is_untrusted" },
      ],
    },
  ]);
  const [set] = toConfigPolicySets(section);
  assert.deepEqual(
    set.policies.map((p) => p.id),
    ["default.trustedData.read_inbox", "default.toolInvocation.send_email", "default.toolInvocation.send_email.2", "mine", "default.toolInvocation.any"],
  );
  assert.equal(set.settings, undefined, "no settings named: the stored ones are left alone");
  assert.equal("when" in set.policies[0], false);
  assert.match(derivedPolicyId("p", "trustedData", "weird tool/name", 1), /^p\.trustedData\.[0-9a-f]{12}$/);
});

test("settings: named fields set, the rest defaults; YAML scalars are read as text", () => {
  const [set] = toConfigPolicySets(policiesSection.parse([{ proxy: "p", contextUntrusted: "true", guardrails: { secrets: "redact" }, trustedData: [{ tool: "t", when: [{ path: "n", op: "equal", value: 42 }], action: "mark_as_trusted" }] }]));
  assert.deepEqual(set.settings, { contextUntrusted: true, guardrails: { secrets: "redact", pii: "off", restore: false } });
  assert.deepEqual(set.policies[0].when, [{ path: "n", op: "equal", value: "42" }]);
});

test("bad conditions, duplicate ids and proxies named twice are refused with their field", () => {
  const bad = policiesSection.safeParse([{ proxy: "p", toolInvocation: [{ tool: "t", when: [{ path: "a[", op: "regex", value: "(" }], action: "block_always" }] }]);
  assert.equal(bad.success, false);
  assert.deepEqual(
    bad.error!.issues.map((i) => i.path.join(".")),
    ["0.toolInvocation.0.when.0.path", "0.toolInvocation.0.when.0.value"],
  );
  assert.equal(policiesSection.safeParse([{ proxy: "p", toolInvocation: [{ tool: "t", action: "mark_as_trusted" }] }]).success, false, "a trusted-data action in the tool-invocation list");
  const twice = policiesSection.parse([{ proxy: "p" }, { proxy: "p" }]);
  assert.match(policiesSectionProblem(twice)!, /^policies\[1\]\.proxy: proxy 'p' already has its policies in policies\[0\]/);
  const dup = policiesSection.parse([{ proxy: "p", toolInvocation: [{ tool: "t", action: "block_always" }, { id: "p.toolInvocation.t", tool: "u", action: "block_always" }] }]);
  assert.equal(policiesSectionProblem(dup), "policies[0].toolInvocation[1].id: duplicate id 'p.toolInvocation.t'");
});
