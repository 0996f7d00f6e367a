import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { metricValue, scrape } from "./observability-support.ts";
import { ROUTES } from "./policies-routes.ts";
import { EXFILTRATE, latestRow, startPolicyFixture, TRIFECTA, type PolicyFixture } from "./policies-support.ts";

let f: PolicyFixture;
before(async () => {
  f = await startPolicyFixture();
});
after(() => f.close());

const anthropic = ROUTES.find((r) => r.name === "passthrough /v1/anthropic")!;
const routerChat = ROUTES.find((r) => r.name === "router chat → openai")!;

test("llm_blocked_tools_total counts blocked calls per provider, model and proxy", async () => {
  const labels = { provider: "anthropic", proxy_id: "default" };
  const before = metricValue(await scrape(f.proxy.url), "llm_blocked_tools_total", labels);
  const twoCalls = { calls: [...EXFILTRATE.calls, { id: "call_del", name: "delete_repo", args: { repo: "x" } }] };
  anthropic.upstream(f).enqueue(anthropic.answer(twoCalls, true));
  await anthropic.send(f, TRIFECTA, true);
  anthropic.upstream(f).enqueue(anthropic.answer(EXFILTRATE, false));
  await anthropic.send(f, TRIFECTA, false);
  await f.proxy.interactions.flush();
  assert.equal(metricValue(await scrape(f.proxy.url), "llm_blocked_tools_total", labels) - before, 3);

  // A call that is allowed counts nothing.
  const openaiBefore = metricValue(await scrape(f.proxy.url), "llm_blocked_tools_total", { provider: "openai" });
  routerChat.upstream(f).enqueue(routerChat.answer({ calls: [{ id: "w", name: "get_weather", args: { city: "Oslo" } }] }, false));
  assert.equal((await routerChat.send(f, TRIFECTA, false)).calls.length, 1);
  assert.equal(metricValue(await scrape(f.proxy.url), "llm_blocked_tools_total", { provider: "openai" }), openaiBefore);
});

test("the trace span carries each decision: policy id, action, tool, reason, blocked", async () => {
  f.spans.reset();
  routerChat.upstream(f).enqueue(routerChat.answer(EXFILTRATE, false));
  await routerChat.send(f, TRIFECTA, false);
  const row = await latestRow(f.proxy);
  await f.proxy.observability.tracer!.flush();
  const span = f.spans.spans.find((s) => s.attributes["portcullis.interaction.id"] === row.id);
  assert.ok(span, "the interaction's span was exported");
  assert.equal(span.attributes["portcullis.policy.blocked"], true);
  const decisions = span.events.filter((e) => e.name === "portcullis.policy.decision").map((e) => e.attributes);
  assert.deepEqual(decisions, [
    {
      "portcullis.policy.kind": "trusted-data",
      "portcullis.policy.action": "mark_as_untrusted",
      "portcullis.policy.blocked": false,
      "gen_ai.tool.name": "fetch_url",
      "portcullis.policy.reason": "no trusted-data policy trusts this tool's results",
    },
    {
      "portcullis.policy.kind": "tool-invocation",
      "portcullis.policy.action": "block_when_context_is_untrusted",
      "portcullis.policy.blocked": true,
      "portcullis.policy.id": "mail-untrusted",
      "gen_ai.tool.name": "send_email",
      "portcullis.policy.reason": "no mail out of an untrusted conversation",
    },
  ]);
});

test("the interaction row keeps the decisions, the taint boundary and the client's original body", async () => {
  anthropic.upstream(f).enqueue(anthropic.answer(EXFILTRATE, false));
  await anthropic.send(f, TRIFECTA, false);
  const row = await latestRow(f.proxy);
  assert.equal(row.blocked, 1);
  assert.equal(row.finish_reason, "stop", "the recorded finish is the one the client got");
  // The Anthropic conversation: user, assistant(read_inbox), tool result, assistant(fetch_url), tool result = index 4.
  assert.deepEqual(JSON.parse(row.taint!), { source: "tool-result", messageIndex: 4, tool: "fetch_url", toolCallId: "call_fetch1" });
});
