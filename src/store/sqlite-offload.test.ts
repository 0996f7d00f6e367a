import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { sql } from "kysely";
import { openStore, type Store } from "./db.ts";
import { InteractionLog, type InteractionRow } from "./interaction-log.ts";
import { aggregateUsage, getInteraction } from "./interactions-query.ts";
import { migrate } from "./migrations/index.ts";
import { SqliteOffload } from "./sqlite-offload.ts";

let dir: string;
let path: string;
let store: Store;
before(async () => {
  dir = mkdtempSync(join(tmpdir(), "portcullis-offload-"));
  path = join(dir, "offload.db");
  store = await openStore(`sqlite:${path}`);
  await migrate(store);
});
after(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const row = (prefix: string, i: number, extra: Partial<InteractionRow> = {}): InteractionRow => ({
  id: `${prefix}-${String(i).padStart(7, "0")}`,
  createdAt: new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString(),
  proxyId: `p${i % 3}`,
  route: "router",
  clientFormat: "openai-chat",
  provider: "openai",
  model: "gpt-4o-mini",
  agentId: `agent-${i % 7}`,
  status: 200,
  stream: false,
  inputTokens: 10 + (i % 5),
  outputTokens: 3,
  costUsd: 0.001,
  ...extra,
});

const count = async (prefix: string) =>
  Number((await store.db.selectFrom("interactions").select((eb) => eb.fn.countAll().as("n")).where("id", "like", `${prefix}-%`).executeTakeFirstOrThrow()).n);

test("the log's inserts run on the worker; rows and bodies are readable from the main connection", async () => {
  const offload = new SqliteOffload(path);
  const log = new InteractionLog(store, { intervalMs: 10, offload });
  for (let i = 0; i < 1200; i++) log.record(row("w", i, i === 5 ? { requestBody: Buffer.from('{"hello":"worker"}'), responseBody: { ok: true } } : {}));
  await log.close();
  assert.equal(await count("w"), 1200);
  const five = await getInteraction(store, "w-0000005");
  assert.equal(five?.requestBody, '{"hello":"worker"}');
  assert.equal(five?.responseBody, '{"ok":true}');
  await offload.close();
});

test("a failed write keeps its rows, is reported, and is retried without duplicates", async () => {
  const offload = new SqliteOffload(path);
  const reports: string[] = [];
  // The bodies table is briefly missing: the transaction fails as a whole.
  await sql`alter table interaction_bodies rename to interaction_bodies_away`.execute(store.db);
  const log = new InteractionLog(store, { intervalMs: 10, offload, report: (m) => reports.push(m) });
  for (let i = 0; i < 50; i++) log.record(row("r", i, { requestBody: "x" }));
  for (let i = 0; i < 200 && !reports.some((m) => /failed/.test(m)); i++) await new Promise((r) => setTimeout(r, 10));
  assert.ok(reports.some((m) => /no such table: interaction_bodies/.test(m)), reports.join("\n"));
  assert.equal(await count("r"), 0, "nothing half-written");
  await sql`alter table interaction_bodies_away rename to interaction_bodies`.execute(store.db);
  await log.close();
  assert.equal(await count("r"), 50);
  await offload.close();
});

test("usage aggregates on the worker equal the main-thread result, and the event loop keeps turning", async () => {
  const offload = new SqliteOffload(path);
  const log = new InteractionLog(store, { intervalMs: 10, batchSize: 1000, maxBuffered: 200_000, offload });
  for (let i = 0; i < 60_000; i++) log.record(row("big", i));
  await log.close();
  const q = { filter: {}, groupBy: ["proxy", "agent"] as const, limit: 1000 };
  const here = await aggregateUsage({ db: store.db, dialect: "sqlite" }, { ...q, groupBy: [...q.groupBy] });
  const there = await aggregateUsage({ db: store.db, dialect: "sqlite", offload }, { ...q, groupBy: [...q.groupBy] });
  assert.deepEqual(there, here);

  // The longest pause of a 1 ms ticker while each runs.
  const maxGap = async (fn: () => Promise<unknown>) => {
    let last = performance.now();
    let gap = 0;
    const timer = setInterval(() => {
      const now = performance.now();
      gap = Math.max(gap, now - last);
      last = now;
    }, 1);
    const t0 = performance.now();
    await fn();
    const took = performance.now() - t0;
    clearInterval(timer);
    return { gap: Math.max(gap, performance.now() - last), took };
  };
  const blocking = await maxGap(() => aggregateUsage({ db: store.db, dialect: "sqlite" }, { ...q, groupBy: [...q.groupBy] }));
  const offloaded = await maxGap(() => aggregateUsage({ db: store.db, dialect: "sqlite", offload }, { ...q, groupBy: [...q.groupBy] }));
  assert.ok(blocking.gap >= blocking.took * 0.8, `in-thread: the loop stalls for the query (${blocking.gap.toFixed(1)} of ${blocking.took.toFixed(1)} ms)`);
  assert.ok(offloaded.gap < Math.max(10, blocking.gap / 3), `offloaded: longest pause ${offloaded.gap.toFixed(1)} ms vs ${blocking.gap.toFixed(1)} ms in-thread`);
  await offload.close();
});

test("after close, nothing more is accepted", async () => {
  const offload = new SqliteOffload(path);
  await offload.read({ sql: "select 1 as one", parameters: [] });
  await offload.close();
  await assert.rejects(offload.read({ sql: "select 1", parameters: [] }), /closed/);
});
