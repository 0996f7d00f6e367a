import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { openStore } from "../src/store/db.ts";
import { chat, FakeClock, meteredYaml, startLimitProxy, startMeteredUpstream, type MeteredUpstream } from "./limits-support.ts";

/** The embedded default keeps counters in memory and writes them to SQLite in batches: a restart keeps what was used. */

let up: MeteredUpstream;
before(async () => {
  up = await startMeteredUpstream({ prompt: 20, completion: 40 });
});
after(() => up.close());

const limits = [
  "  - { id: tokens, scope: virtualKey, subject: app, measure: tokens, window: month, max: 160 }",
  "  - { id: rpm, scope: proxy, subject: default, measure: requests, window: minute, max: 100 }",
].join("\n");

test("a restart keeps the month's usage: the budget spent before it stays spent", async () => {
  const clock = new FakeClock("2026-03-10T12:00:00Z");
  const first = await startLimitProxy(meteredYaml(up.url, limits), { clock });
  assert.equal((await chat(first.url, { maxTokens: 50 })).status, 200);
  assert.equal((await chat(first.url, { maxTokens: 50 })).status, 200);
  await first.stop(true);

  const second = await startLimitProxy(meteredYaml(up.url, limits), { clock, dir: first.dir });
  try {
    const view = (await second.admin("/limits/tokens")).body;
    assert.equal(view.used, 120);
    assert.equal((await second.admin("/limits/rpm")).body.used, 2, "the minute's request count too");
    const refused = await chat(second.url, { maxTokens: 50 });
    assert.equal(refused.status, 402, "120 of 160 were used before the restart");
    assert.equal(refused.body.error.limit.used, 120);
    // The next month starts afresh even though the old counters are stored.
    clock.set("2026-04-01T00:00:00Z");
    assert.equal((await chat(second.url, { maxTokens: 50 })).status, 200);
  } finally {
    await second.stop();
  }
});

test("settled use reaches the database within the flush interval, without a shutdown (what a crash can lose is bounded)", async () => {
  const clock = new FakeClock("2026-03-10T12:00:00Z");
  const p = await startLimitProxy(meteredYaml(up.url, limits), { clock });
  try {
    assert.equal((await chat(p.url, { maxTokens: 50 })).status, 200);
    // A second connection to the file, as a restarted process would open it.
    const reader = await openStore(`sqlite:${p.dir}/test.db`);
    try {
      const stored = async () => (await reader.db.selectFrom("limit_counters").select(["limit_key", "used"]).where("limit_key", "=", "tokens|tokens|month").executeTakeFirst())?.used;
      const deadline = Date.now() + 3000;
      while ((await stored()) === undefined && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      assert.equal(await stored(), 60);
    } finally {
      await reader.close();
    }
  } finally {
    await p.stop();
  }
});
