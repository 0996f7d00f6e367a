import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { accessToken } from "./auth-support.ts";
import { chat, FakeClock, meteredYaml, OTHER_KEY, startLimitProxy, startMeteredUpstream, type LimitProxy, type MeteredUpstream } from "./limits-support.ts";

/**
 * Each measure and window, end to end through the model router on the embedded store, with the
 * limit windows on a hand-moved clock. The upstream reports 20 input and 40 output tokens per
 * answer and its model costs 1 USD a token, so cost equals tokens. With `max_tokens: 50` a
 * request reserves somewhere between 51 and 90 (its input estimate is ~30): a budget of 150 then
 * admits two requests (60 used + up to 90 ≤ 150) and refuses the third (120 used + at least 51 > 150),
 * whatever the estimate's exact value.
 */

let up: MeteredUpstream;
before(async () => {
  up = await startMeteredUpstream({ prompt: 20, completion: 40 });
});
after(() => up.close());

async function withProxy(limits: string, clock: FakeClock, fn: (p: LimitProxy) => Promise<void>, extra = ""): Promise<void> {
  const p = await startLimitProxy(meteredYaml(up.url, limits, extra), { clock });
  try {
    await fn(p);
  } finally {
    await p.stop();
  }
}

const rl = (h: Headers) => ({ limit: h.get("x-ratelimit-limit"), remaining: h.get("x-ratelimit-remaining"), reset: h.get("x-ratelimit-reset"), policy: h.get("x-ratelimit-policy") });

test("requests per minute: the fourth is refused with 429 and Retry-After until the minute ends; headers count down", async () => {
  const clock = new FakeClock("2026-03-10T12:00:30Z");
  await withProxy("  - { id: rpm, scope: virtualKey, subject: app, measure: requests, window: minute, max: 3 }", clock, async (p) => {
    const seen = [];
    for (let i = 0; i < 3; i++) {
      const r = await chat(p.url);
      assert.equal(r.status, 200);
      seen.push(rl(r.headers));
    }
    assert.deepEqual(
      seen.map((h) => h.remaining),
      ["2", "1", "0"],
    );
    assert.deepEqual(seen[0], { limit: "3", remaining: "2", reset: "30", policy: "rpm;measure=requests;window=minute" });
    const refused = await chat(p.url);
    assert.equal(refused.status, 429);
    assert.equal(refused.headers.get("retry-after"), "30");
    assert.equal(refused.body.error.code, "rate_limit_exceeded");
    assert.equal(refused.body.error.type, "rate_limit_error");
    assert.match(refused.body.error.message, /Rate limit 'rpm' reached: the virtual key 'app' may use 3 requests per minute\. It resets at 2026-03-10T12:01:00\.000Z \(in 30 s\)/);
    assert.equal(up.requests.length >= 3, true);
    clock.advance(20_000);
    assert.equal((await chat(p.url)).headers.get("retry-after"), "10", "Retry-After counts down with the clock");
    clock.advance(10_000);
    const next = await chat(p.url);
    assert.equal(next.status, 200, "a new minute admits again");
    assert.deepEqual(rl(next.headers), { limit: "3", remaining: "2", reset: "60", policy: "rpm;measure=requests;window=minute" });
  });
});

test("tokens per hour: reserved from the estimate, settled with the real usage, refused with 402 when the next request might not fit; the next hour starts afresh", async () => {
  const clock = new FakeClock("2026-03-10T12:59:00Z");
  await withProxy("  - { id: tph, scope: proxy, subject: default, measure: tokens, window: hour, max: 160 }", clock, async (p) => {
    assert.equal((await chat(p.url, { maxTokens: 50 })).status, 200);
    const second = await chat(p.url, { maxTokens: 50 });
    assert.equal(second.status, 200);
    // After the first settled (60) and this one's reservation (its estimate, over 50), less than 50 is left.
    assert.ok(Number(second.headers.get("x-ratelimit-remaining")) < 50);
    const view = (await p.admin("/limits/tph")).body;
    assert.equal(view.used, 120, "each request settled at its real usage (20 + 40)");
    assert.equal(view.reserved, 0);
    assert.equal(view.remaining, 40);
    const refused = await chat(p.url, { maxTokens: 50 });
    assert.equal(refused.status, 402);
    assert.equal(refused.body.error.code, "budget_exceeded");
    assert.equal(refused.body.error.type, "insufficient_quota");
    assert.equal(refused.headers.get("retry-after"), null, "a budget is not a rate: no Retry-After");
    assert.equal(refused.headers.get("x-ratelimit-reset"), "60");
    assert.deepEqual(
      { ...refused.body.error.limit },
      { id: "tph", scope: "proxy", subject: "default", measure: "tokens", window: "hour", max: 160, used: 120, remaining: 40, resetsAt: "2026-03-10T13:00:00.000Z" },
    );
    assert.match(refused.body.error.message, /the LLM proxy 'default' may use 160 tokens per hour \(used or reserved: 120 tokens\) and this request needs up to \d+ tokens\. It resets at 2026-03-10T13:00:00\.000Z \(in 60 s\)\./);
    // A request small enough (its ~30 input tokens and one of output) still fits what is left.
    assert.equal((await chat(p.url, { maxTokens: 1 })).status, 200);
    clock.advance(60_000);
    const fresh = await chat(p.url, { maxTokens: 50 });
    assert.equal(fresh.status, 200);
    assert.equal(fresh.headers.get("x-ratelimit-reset"), "3600");
  });
});

test("cost in USD per day, priced by the cost calculator: refused with 402 once spent; the next UTC day starts afresh", async () => {
  const clock = new FakeClock("2026-03-10T23:59:50Z");
  await withProxy("  - { scope: virtualKey, subject: app, measure: costUsd, window: day, max: 150 }", clock, async (p) => {
    assert.equal((await chat(p.url, { maxTokens: 50 })).status, 200);
    assert.equal((await chat(p.url, { maxTokens: 50 })).status, 200);
    const refused = await chat(p.url, { maxTokens: 50 });
    assert.equal(refused.status, 402);
    assert.equal(refused.body.error.limit.id, "virtualKey.app.costUsd.day", "an id derived from the config line");
    assert.equal(refused.body.error.limit.used, 120, "60 tokens at 1 USD each, twice");
    assert.match(refused.body.error.message, /may use 150 USD per day \(used or reserved: 120 USD\)/);
    assert.equal(refused.body.error.limit.resetsAt, "2026-03-11T00:00:00.000Z");
    // The other key has no limit of its own.
    assert.equal((await chat(p.url, { key: OTHER_KEY, maxTokens: 50 })).status, 200);
    clock.advance(10_000);
    assert.equal((await chat(p.url, { maxTokens: 50 })).status, 200);
    // A cheap model costs a fraction of a cent: the cost limit counts it as such.
    await chat(p.url, { maxTokens: 50, model: "openai:cheap-model" });
    const view = (await p.admin("/limits/virtualKey.app.costUsd.day")).body;
    assert.ok(Math.abs(view.used - (60 + 60 / 1e6)) < 1e-9, `used ${view.used}`);
  });
});

test("a month resets on the 1st at midnight UTC; a lifetime limit never resets and says so", async () => {
  const clock = new FakeClock("2026-01-31T23:59:00Z");
  const limits = ["  - { id: monthly, scope: user, subject: alice, measure: requests, window: month, max: 1 }", "  - { id: forever, scope: user, subject: bob, measure: tokens, window: lifetime, max: 150 }"].join("\n");
  await withProxy(limits, clock, async (p) => {
    const alice = { headers: { "x-archestra-user-id": "alice" } };
    assert.equal((await chat(p.url, alice)).status, 200);
    const refused = await chat(p.url, alice);
    assert.equal(refused.status, 429, "a request count is a rate, whatever its window");
    assert.equal(refused.headers.get("retry-after"), "60");
    assert.equal(refused.body.error.limit.resetsAt, "2026-02-01T00:00:00.000Z");
    clock.set("2026-02-01T00:00:00Z");
    const feb = await chat(p.url, alice);
    assert.equal(feb.status, 200);
    assert.equal(feb.headers.get("x-ratelimit-reset"), String(28 * 86_400), "February has 28 days in 2026");

    const bob = { headers: { "x-archestra-user-id": "bob" }, maxTokens: 50 };
    assert.equal((await chat(p.url, bob)).status, 200);
    const lifetime = await chat(p.url, bob);
    assert.equal(lifetime.status, 200);
    assert.equal(lifetime.headers.get("x-ratelimit-reset"), null, "a lifetime limit never resets");
    assert.equal((await chat(p.url, bob)).status, 402);
    clock.advance(400 * 86_400_000);
    const still = await chat(p.url, bob);
    assert.equal(still.status, 402);
    assert.equal(still.body.error.limit.resetsAt, null);
    assert.match(still.body.error.message, /in total .* It does not reset/);
  });
});

test("overlapping scopes all apply; the tightest sets the headers and the one that runs out refuses", async () => {
  const clock = new FakeClock("2026-03-10T12:00:00Z");
  const limits = [
    "  - { id: proxy-rpm, scope: proxy, subject: default, measure: requests, window: minute, max: 10 }",
    "  - { id: key-rpm, scope: virtualKey, subject: app, measure: requests, window: minute, max: 3 }",
    "  - { id: user-rpm, scope: user, subject: carol, measure: requests, window: minute, max: 5 }",
    "  - { id: proxy-tokens, scope: proxy, subject: default, measure: tokens, window: day, max: 100000 }",
  ].join("\n");
  await withProxy(limits, clock, async (p) => {
    const carol = { headers: { "x-archestra-user-id": "carol" } };
    const first = await chat(p.url, carol);
    assert.equal(first.headers.get("x-ratelimit-policy"), "key-rpm;measure=requests;window=minute", "3 a minute is tighter than 5 or 10");
    assert.equal(first.headers.get("x-ratelimit-remaining"), "2");
    await chat(p.url, carol);
    await chat(p.url, carol);
    const refused = await chat(p.url, carol);
    assert.equal(refused.status, 429);
    assert.equal(refused.body.error.limit.id, "key-rpm");
    // Another key is not limited by the first key's limit, but still by the user's and the proxy's.
    const other = await chat(p.url, { ...carol, key: OTHER_KEY });
    assert.equal(other.status, 200);
    assert.equal(other.headers.get("x-ratelimit-policy"), "user-rpm;measure=requests;window=minute", "carol has used 4 of 5 (the refused request counts nothing)");
    assert.equal(other.headers.get("x-ratelimit-remaining"), "1");
    assert.equal((await chat(p.url, { ...carol, key: OTHER_KEY })).status, 200, "the fifth of five");
    assert.equal((await chat(p.url, { ...carol, key: OTHER_KEY })).body.error.limit.id, "user-rpm");
    const views = new Map(((await p.admin("/limits")).body.data as Array<{ id: string; used: number }>).map((v) => [v.id, v.used]));
    assert.deepEqual(Object.fromEntries(views), { "proxy-rpm": 5, "key-rpm": 3, "user-rpm": 5, "proxy-tokens": 300 });
    // On another proxy the proxy limit does not apply.
    const teamB = await chat(p.url, { key: OTHER_KEY, proxyId: "team-b" });
    assert.equal(teamB.status, 200);
    assert.equal(teamB.headers.get("x-ratelimit-limit"), null, "no limit applies there: no headers");
  });
});

test("'*' counts each subject apart: one external agent spending its budget leaves the others theirs", async () => {
  const clock = new FakeClock("2026-03-10T12:00:00Z");
  await withProxy("  - { id: per-agent, scope: externalAgent, subject: '*', measure: tokens, window: day, max: 150 }", clock, async (p) => {
    const agent = (id: string) => ({ headers: { "x-archestra-agent-id": id }, maxTokens: 50 });
    assert.equal((await chat(p.url, agent("a"))).status, 200);
    assert.equal((await chat(p.url, agent("a"))).status, 200);
    const refused = await chat(p.url, agent("a"));
    assert.equal(refused.status, 402);
    assert.equal(refused.body.error.limit.subject, "a", "the refusal names the agent it counted");
    assert.match(refused.body.error.message, /the external agent 'a' may use 150 tokens per day/);
    assert.equal((await chat(p.url, agent("b"))).status, 200);
    // The meta header names the agent too.
    assert.equal((await chat(p.url, { headers: { "x-archestra-meta": "c/exec-1/sess-1" }, maxTokens: 50 })).status, 200);
    // A request with no agent id has no subject for this limit.
    assert.equal((await chat(p.url, { maxTokens: 50 })).headers.get("x-ratelimit-limit"), null);
    const view = (await p.admin("/limits/per-agent")).body;
    assert.deepEqual(
      view.subjects.map((s: { subject: string; used: number }) => [s.subject, s.used]),
      [
        ["a", 120],
        ["b", 60],
        ["c", 60],
      ],
    );
    assert.equal(view.used, undefined, "a '*' limit reports per subject");
  });
});

test("an OAuth client's limit counts the requests made with its access tokens", async () => {
  const clock = new FakeClock("2026-03-10T12:00:00Z");
  const secret = "limits-bot-secret-0123456789abcdef";
  const extra = `oauthClients:\n  - { clientId: bot, clientSecret: "${secret}", proxies: [default], credentials: { openai: openai-main } }`;
  await withProxy("  - { id: bot-rpm, scope: oauthClient, subject: bot, measure: requests, window: minute, max: 1 }", clock, async (p) => {
    const token = await accessToken(p.url, "bot", secret);
    assert.equal((await chat(p.url, { key: token })).status, 200);
    const refused = await chat(p.url, { key: token });
    assert.equal(refused.status, 429);
    assert.match(refused.body.error.message, /the OAuth client 'bot' may use 1 request per minute/);
    assert.equal((await chat(p.url)).status, 200, "a virtual key is not that client");
  }, extra);
});

test("a model filter limits only the models it matches", async () => {
  const clock = new FakeClock("2026-03-10T12:00:00Z");
  await withProxy("  - { id: metered-only, scope: proxy, subject: default, measure: requests, window: minute, max: 1, model: 'openai:metered-*' }", clock, async (p) => {
    assert.equal((await chat(p.url)).status, 200);
    assert.equal((await chat(p.url)).status, 429);
    const cheap = await chat(p.url, { model: "openai:cheap-model" });
    assert.equal(cheap.status, 200, "another model is not limited");
    assert.equal(cheap.headers.get("x-ratelimit-limit"), null);
  });
});

test("settlement: a failed upstream call uses nothing, a stream settles with its usage, a cut stream or an answer without usage is charged its input estimate and the output delivered", async () => {
  const clock = new FakeClock("2026-03-10T12:00:00Z");
  await withProxy("  - { id: tokens, scope: proxy, subject: default, measure: tokens, window: day, max: 100000 }", clock, async (p) => {
    const used = async () => {
      await p.limits.drain();
      const v = (await p.admin("/limits/tokens")).body;
      assert.equal(v.reserved, 0, "nothing stays reserved");
      return v.used as number;
    };
    up.failNext = 1;
    assert.equal((await chat(p.url, { maxTokens: 50 })).status, 500);
    assert.equal(await used(), 0, "the provider refused: nothing to count");

    const streamed = await chat(p.url, { maxTokens: 50, stream: true });
    assert.equal(streamed.status, 200);
    assert.equal(await used(), 60, "the stream's usage chunk");

    up.omitUsage = true;
    try {
      assert.equal((await chat(p.url, { maxTokens: 50 })).status, 200);
      const afterUnreported = await used();
      const charged = afterUnreported - 60;
      // "metered answer" is 14 characters: ~5 tokens of output, plus the input estimate (~30).
      assert.ok(charged >= 20 && charged < 60, `an answer without usage is charged its estimate: ${charged}`);

      up.cutStreams = true;
      const cut = await fetch(`${p.url}/v1/model-router/default/chat/completions`, {
        method: "POST",
        headers: { authorization: `Bearer pk-test-limits-0123456789abcdefghijklmnopqr`, "content-type": "application/json" },
        body: JSON.stringify({ model: "openai:metered-model", messages: [{ role: "user", content: "hi" }], max_tokens: 4000, stream: true }),
      });
      await cut.text().catch(() => "");
      const cutCharge = (await used()) - afterUnreported;
      // 300 characters delivered: 100 tokens of output at most, plus the input estimate; far below the 4000 reserved.
      assert.ok(cutCharge >= 100 && cutCharge < 200, `a cut stream is charged what it delivered: ${cutCharge}`);
    } finally {
      up.omitUsage = false;
      up.cutStreams = false;
    }
  });
});

test("a model without a known price costs nothing, and is refused like the rest once the budget is spent", async () => {
  const clock = new FakeClock("2026-03-10T12:00:00Z");
  await withProxy("  - { id: usd, scope: proxy, subject: default, measure: costUsd, window: day, max: 100 }", clock, async (p) => {
    const unpriced = await chat(p.url, { model: "openai:no-such-model-xyz" });
    assert.equal(unpriced.status, 200);
    assert.equal((await p.admin("/limits/usd")).body.used, 0);
    assert.equal((await chat(p.url, { maxTokens: 50 })).status, 200);
    assert.equal((await chat(p.url, { maxTokens: 40 })).status, 402, "60 used, and 40 output tokens alone would pass 100");
    const spent = await p.admin("/limits/usd", { method: "PATCH", body: { max: 60 } });
    assert.equal(spent.body.remaining, 0);
    assert.equal((await chat(p.url, { model: "openai:no-such-model-xyz" })).status, 402, "nothing is left, so nothing passes");
  });
});
