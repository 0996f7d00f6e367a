import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import type { Kysely } from "kysely";
import { Redis } from "ioredis";
import type { Claim } from "../src/limits/counter-store.ts";
import { PostgresCounterStore } from "../src/limits/postgres-counter-store.ts";
import { RedisCounterStore } from "../src/limits/redis-counter-store.ts";
import { openStore, type Store } from "../src/store/db.ts";
import { addToCounters, loadCounters } from "../src/store/limits.ts";
import { migrate } from "../src/store/migrations/index.ts";
import { createTestDatabase, createTestRedis, type TestDatabase } from "./limits-support.ts";

/**
 * The shared counter stores against real servers: PostgreSQL (a database made for this run) and
 * Redis (a key prefix of this run's own). Without a server their cases are skipped, loudly.
 */

const T0 = Date.parse("2026-03-10T12:00:00Z");
const claim = (key: string, cap: number, amount: number, subject = "s", windowEnd = T0 + 60_000): Claim => ({ key, subject, windowStart: T0, windowEnd, cap, amount });

describe("PostgreSQL counters", () => {
  let db: TestDatabase;
  let store: Store;
  let other: Store;
  const counters = (s: Store, now = () => T0) => new PostgresCounterStore(s.db as unknown as Kysely<unknown>, { now, reservationTtlMs: 1000, sweepMs: 3_600_000 });
  const row = async (key: string, subject = "s") => (await counters(store).read(key, T0, subject, 1))[0];
  const reservations = async () => Number((await store.db.selectFrom("limit_reservations").select((eb) => eb.fn.countAll().as("n")).executeTakeFirstOrThrow()).n);

  before(async () => {
    db = await createTestDatabase();
    if (!db.url) return;
    store = await openStore(db.url);
    await migrate(store);
    other = await openStore(db.url);
  });
  after(async () => {
    await store?.close();
    await other?.close();
    await db.drop();
  });

  test("a claim is all or nothing: what fitted is released again when another claim did not", async (t) => {
    if (!db.url) return t.skip(db.skip);
    const c = counters(store);
    assert.deepEqual(await c.claim("r1", [claim("a", 10, 6), claim("b", 100, 6)], T0), { ok: true, states: [{ used: 0, reserved: 6 }, { used: 0, reserved: 6 }] });
    assert.equal(await reservations(), 2);
    const refused = await c.claim("r2", [claim("b", 100, 5), claim("a", 10, 5)], T0);
    assert.ok(!refused.ok);
    assert.deepEqual(refused.failed, [1]);
    assert.deepEqual(refused.states[1], { used: 0, reserved: 6 });
    assert.deepEqual(await row("b"), { subject: "s", used: 0, reserved: 6 }, "b's claim for r2 was given back");
    assert.equal(await reservations(), 2);
    await c.settle("r1", [claim("a", 10, 6), claim("b", 100, 6)], [4, 2], T0);
    assert.deepEqual(await row("a"), { subject: "s", used: 4, reserved: 0 });
    assert.deepEqual(await row("b"), { subject: "s", used: 2, reserved: 0 });
    assert.equal(await reservations(), 0);
    assert.equal((await c.claim("r3", [claim("a", 10, 6)], T0)).ok, true, "4 + 6 = 10 fits exactly");
    await c.settle("r3", [claim("a", 10, 6)], [6], T0);
    assert.equal((await c.claim("r4", [claim("a", 10, 0)], T0)).ok, false, "nothing left: a free request is refused too");
    await c.close();
  });

  test("a burst from two instances (two connection pools) never passes the cap", async (t) => {
    if (!db.url) return t.skip(db.skip);
    const [a, b] = [counters(store), counters(other)];
    // Two limits per request, named in both orders: rows are locked in one order, so no deadlock.
    const results = await Promise.all(
      Array.from({ length: 60 }, (_, i) => (i % 2 ? a : b).claim(`burst-${i}`, i % 3 ? [claim("burst", 25, 1), claim("burst2", 1000, 1)] : [claim("burst2", 1000, 1), claim("burst", 25, 1)], T0)),
    );
    assert.equal(results.filter((r) => r.ok).length, 25);
    assert.deepEqual(await row("burst"), { subject: "s", used: 0, reserved: 25 });
    assert.deepEqual(await row("burst2"), { subject: "s", used: 0, reserved: 25 }, "refused requests gave their other claim back");
    await a.close();
    await b.close();
  });

  test("a crashed instance's reservations expire and any instance's sweep releases them, once", async (t) => {
    if (!db.url) return t.skip(db.skip);
    const crashed = counters(store);
    const survivor = counters(other, () => T0 + 5000);
    await crashed.claim("lost", [claim("sweep", 100, 40)], T0);
    await survivor.claim("alive", [claim("sweep", 100, 30)], T0 + 5000);
    assert.deepEqual(await row("sweep"), { subject: "s", used: 0, reserved: 70 });
    await survivor.sweep(T0 + 5000);
    assert.deepEqual(await row("sweep"), { subject: "s", used: 0, reserved: 30 }, "the expired 40 is free again; the live 30 is still held");
    await survivor.sweep(T0 + 5000);
    assert.equal((await row("sweep")).reserved, 30, "a second sweep releases nothing twice");
    // The request that outlived its reservation settles late: its use counts, nothing is subtracted twice.
    await crashed.settle("lost", [claim("sweep", 100, 40)], [25], T0 + 6000);
    assert.deepEqual(await row("sweep"), { subject: "s", used: 25, reserved: 30 });
    await survivor.settle("alive", [claim("sweep", 100, 30)], [10], T0 + 6000);
    assert.deepEqual(await row("sweep"), { subject: "s", used: 35, reserved: 0 });
    await crashed.close();
    await survivor.close();
  });

  test("the usage view reads a window's subjects, largest first; ended windows are removed by the sweep", async (t) => {
    if (!db.url) return t.skip(db.skip);
    const c = counters(store);
    for (const [s, n] of [["x", 1], ["y", 3], ["z", 2]] as const) {
      await c.claim(`v-${s}`, [claim("view", 10, n, s, T0 + 1000)], T0);
      await c.settle(`v-${s}`, [claim("view", 10, n, s, T0 + 1000)], [n], T0);
    }
    assert.deepEqual(
      (await c.read("view", T0, undefined, 2)).map((r) => [r.subject, r.used]),
      [
        ["y", 3],
        ["z", 2],
      ],
    );
    await c.sweep(T0 + 2 * 3_600_000);
    assert.deepEqual(await c.read("view", T0, undefined, 10), []);
    await c.close();
  });

  test("the embedded store's persistence works on PostgreSQL too (adds, never overwrites)", async (t) => {
    if (!db.url) return t.skip(db.skip);
    const delta = { key: "persist", subject: "s", windowStart: T0, windowEnd: Number.POSITIVE_INFINITY, used: 2.5 };
    await addToCounters(store, [delta]);
    await addToCounters(store, [delta]);
    const rows = (await loadCounters(store, T0)).filter((r) => r.key === "persist");
    assert.deepEqual(rows, [{ ...delta, used: 5 }]);
  });
});

describe("SQLite persistence of the embedded counters", () => {
  let dir: string;
  let store: Store;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "portcullis-limits-sqlite-"));
    store = await openStore(`sqlite:${join(dir, "db.sqlite")}`);
    await migrate(store);
  });
  after(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test("deltas add up; only windows that have not ended are loaded", async () => {
    await addToCounters(store, [
      { key: "k", subject: "a", windowStart: T0, windowEnd: T0 + 60_000, used: 1 },
      { key: "k", subject: "a", windowStart: T0 - 60_000, windowEnd: T0, used: 7 },
      { key: "life", subject: "a", windowStart: 0, windowEnd: Number.POSITIVE_INFINITY, used: 3 },
    ]);
    await addToCounters(store, [{ key: "k", subject: "a", windowStart: T0, windowEnd: T0 + 60_000, used: 2 }]);
    const loaded = await loadCounters(store, T0 + 1);
    assert.deepEqual(
      loaded.map((r) => [r.key, r.windowStart, r.used]).sort(),
      [
        ["k", T0, 3],
        ["life", 0, 3],
      ].sort(),
    );
  });
});

describe("Redis request counters", () => {
  let redis: Awaited<ReturnType<typeof createTestRedis>>;
  let store: RedisCounterStore;
  let peek: Redis;
  before(async () => {
    redis = await createTestRedis();
    if (!redis.url) return;
    store = await RedisCounterStore.open(redis.url, { prefix: redis.prefix });
    peek = new Redis(redis.url);
  });
  after(async () => {
    await store?.close();
    peek?.disconnect();
    await redis.drop();
  });

  test("one script call claims every rate limit of a request, all or nothing", async (t) => {
    if (!redis.url) return t.skip(redis.skip);
    assert.deepEqual(await store.claim("r1", [claim("a", 2, 1), claim("b", 10, 1)], T0), { ok: true, states: [{ used: 1, reserved: 0 }, { used: 1, reserved: 0 }] });
    assert.equal((await store.claim("r2", [claim("a", 2, 1), claim("b", 10, 1)], T0)).ok, true);
    const refused = await store.claim("r3", [claim("b", 10, 1), claim("a", 2, 1)], T0);
    assert.deepEqual(refused, { ok: false, failed: [1], states: [{ used: 2, reserved: 0 }, { used: 2, reserved: 0 }] });
    assert.deepEqual(await store.read("b", T0, "s", 1), [{ subject: "s", used: 2, reserved: 0 }], "b counted nothing for the refused request");
    await store.settle("r2", [claim("a", 2, 1)], [0]);
    assert.deepEqual(await store.read("a", T0, "s", 1), [{ subject: "s", used: 1, reserved: 0 }], "an undone claim gives its count back");
  });

  test("keys carry the run's prefix and expire a minute after their window ends; lifetime keys never", async (t) => {
    if (!redis.url) return t.skip(redis.skip);
    // Our clock says the window ends in two minutes, whatever Redis's clock says.
    await store.claim("e1", [claim("exp", 5, 1, "s", T0 + 120_000), { ...claim("life", 5, 1), windowEnd: Number.POSITIVE_INFINITY }], T0);
    const ttl = await peek.pttl(`${redis.prefix}limit:exp:${T0}`);
    assert.ok(ttl > 175_000 && ttl <= 180_000, `${ttl}`);
    assert.equal(await peek.pttl(`${redis.prefix}limit:life:${T0}`), -1);
  });

  test("a burst of parallel claims counts exactly up to the cap; the usage view lists subjects", async (t) => {
    if (!redis.url) return t.skip(redis.skip);
    const second = await RedisCounterStore.open(redis.url!, { prefix: redis.prefix });
    t.after(() => second.close());
    const results = await Promise.all(Array.from({ length: 100 }, (_, i) => (i % 2 ? store : second).claim(`b${i}`, [claim("burst", 37, 1, `agent-${i % 3}`), claim("all", 50, 1)], T0)));
    assert.equal(results.filter((r) => r.ok).length, 50, "the shared limit of 50 decides once every agent is under 37");
    const rows = await store.read("burst", T0, undefined, 10);
    assert.equal(rows.reduce((n, r) => n + r.used, 0), 50);
    assert.deepEqual(
      rows.map((r) => r.subject).sort(),
      ["agent-0", "agent-1", "agent-2"],
    );
  });

  test("a wrong REDIS_URL fails at start, naming the server", async () => {
    await assert.rejects(RedisCounterStore.open("redis://127.0.0.1:1"), /Cannot connect to Redis at redis:\/\/127\.0\.0\.1:1/);
  });
});
