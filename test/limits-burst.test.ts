import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { chat, createTestDatabase, meteredYaml, startLimitProxy, startMeteredUpstream, type LimitProxy, type MeteredUpstream, type TestDatabase } from "./limits-support.ts";

/**
 * The overshoot bound: a burst of parallel requests against a budget spends at most the budget
 * plus one request's estimate, because each request reserves its estimate before it goes
 * upstream. The upstream holds every answer 150 ms, so the whole burst is in flight together;
 * each answer uses 60 tokens (1 USD a token), each request reserves ~80 (`max_tokens: 50`).
 */

const BURST = 40;
const BUDGET = 1000;
/** The most a request of the burst can reserve: ~30 input tokens (estimated) and 50 output. */
const ONE_ESTIMATE = 100;

let up: MeteredUpstream;
before(async () => {
  up = await startMeteredUpstream({ prompt: 20, completion: 40 });
  up.delayMs = 150;
});
after(() => up.close());

const limits = [
  `  - { id: tokens, scope: virtualKey, subject: app, measure: tokens, window: day, max: ${BUDGET} }`,
  `  - { id: usd, scope: proxy, subject: default, measure: costUsd, window: month, max: ${BUDGET} }`,
].join("\n");

async function burst(proxies: LimitProxy[]): Promise<{ ok: number; refused: number; statuses: number[] }> {
  const answered = up.answered.length;
  const results = await Promise.all(Array.from({ length: BURST }, (_, i) => chat(proxies[i % proxies.length].url, { maxTokens: 50, text: `request ${i}` })));
  const statuses = results.map((r) => r.status);
  const ok = statuses.filter((s) => s === 200).length;
  assert.equal(up.answered.length - answered, ok, "every admitted request reached the upstream, no refused one did");
  for (const r of results) if (r.status !== 200) assert.equal(r.body.error.code, "budget_exceeded");
  return { ok, refused: statuses.filter((s) => s === 402).length, statuses };
}

function checkBound(result: { ok: number; refused: number }, used: number): void {
  const spent = result.ok * 60;
  assert.equal(used, spent, "the counters hold exactly what the admitted requests used");
  assert.ok(spent <= BUDGET + ONE_ESTIMATE, `spent ${spent} > ${BUDGET} + one estimate`);
  assert.ok(result.refused > 0, "the burst was larger than the budget");
  assert.equal(result.ok + result.refused, BURST);
  // Reservations of ~80 on a budget of 1000 admit about a dozen at once, not fewer.
  assert.ok(result.ok >= 10, `admitted ${result.ok}`);
}

test("embedded store: a parallel burst spends at most the budget plus one request's estimate", async () => {
  const p = await startLimitProxy(meteredYaml(up.url, limits));
  try {
    const result = await burst([p]);
    await p.limits.drain();
    const views = (await p.admin("/limits")).body.data as Array<{ id: string; used: number; reserved: number }>;
    for (const v of views) {
      assert.equal(v.reserved, 0, `${v.id}: nothing stays reserved after the burst`);
      checkBound(result, v.used);
    }
    // After the burst settled, what is left is used up by later requests, one by one, and no further.
    let later = 0;
    while ((await chat(p.url, { maxTokens: 50 })).status === 200) later++;
    const used = ((await p.admin("/limits/tokens")).body.used as number) ?? 0;
    assert.ok(used <= BUDGET, `sequential requests never pass the budget: ${used}`);
    assert.ok(BUDGET - used < ONE_ESTIMATE, `and they stop only when the next might not fit (left ${BUDGET - used}, ${later} more admitted)`);
  } finally {
    await p.stop();
  }
});

describe("PostgreSQL: two instances on one database share the budget", () => {
  let db: TestDatabase;
  before(async () => {
    db = await createTestDatabase();
  });
  after(() => db.drop());

  test("a burst split across two instances spends at most the budget plus one estimate", async (t) => {
    if (!db.url) return t.skip(db.skip);
    const a = await startLimitProxy(meteredYaml(up.url, limits), { databaseUrl: db.url });
    const b = await startLimitProxy(meteredYaml(up.url, limits), { databaseUrl: db.url });
    try {
      assert.equal(a.limits.stores.store.kind, "postgres");
      const result = await burst([a, b]);
      await Promise.all([a.limits.drain(), b.limits.drain()]);
      for (const p of [a, b]) {
        const views = (await p.admin("/limits")).body.data as Array<{ id: string; used: number; reserved: number }>;
        assert.equal(views.length, 2);
        for (const v of views) {
          assert.equal(v.reserved, 0, `${v.id}: every reservation was settled`);
          checkBound(result, v.used);
        }
      }
      const rows = await a.store.db.selectFrom("limit_reservations").selectAll().execute();
      assert.deepEqual(rows, [], "no reservation rows are left behind");
    } finally {
      await a.stop();
      await b.stop();
    }
  });
});
