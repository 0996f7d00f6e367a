import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, test } from "node:test";
import { Redis } from "ioredis";
import pg from "pg";
import { ADMIN_TOKEN, chat, createTestDatabase, createTestRedis, LIMIT_KEY, meteredYaml, OTHER_KEY, startMeteredUpstream, type MeteredUpstream, type TestDatabase } from "./limits-support.ts";

/**
 * Two proxy processes (`node src/main.ts`) on one PostgreSQL database and one Redis share their
 * limits: a token budget held in PostgreSQL and a request limit held in Redis are not exceeded by
 * bursts split across both, and a limit made through one instance's admin API binds the other.
 */

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const BUDGET = 1000;
const RATE = 25;

let db: TestDatabase;
let redis: Awaited<ReturnType<typeof createTestRedis>>;
let up: MeteredUpstream;
let dir: string;
const procs: Array<{ child: ChildProcess; url: string; output: string[] }> = [];

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

async function startProcess(config: string): Promise<{ child: ChildProcess; url: string; output: string[] }> {
  const port = await freePort();
  const child = spawn(process.execPath, [join(root, "src/main.ts"), "--config", config], {
    cwd: dir,
    env: {
      PATH: process.env.PATH,
      PORTCULLIS_PORT: String(port),
      PORTCULLIS_SECRET: "instances-secret-0123456789",
      PORTCULLIS_ADMIN_TOKEN: ADMIN_TOKEN,
      REDIS_URL: redis.url,
      PORTCULLIS_REDIS_PREFIX: redis.prefix,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const output: string[] = [];
  child.stdout!.on("data", (d: Buffer) => output.push(d.toString()));
  child.stderr!.on("data", (d: Buffer) => output.push(d.toString()));
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 200 && child.exitCode === null; i++) {
    try {
      if ((await fetch(`${url}/healthz`)).ok) return { child, url, output };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`the proxy process did not start: ${output.join("")}`);
}

before(async () => {
  [db, redis] = await Promise.all([createTestDatabase(), createTestRedis()]);
  if (!db.url || !redis.url) return;
  up = await startMeteredUpstream({ prompt: 20, completion: 40 });
  up.delayMs = 150;
  dir = mkdtempSync(join(tmpdir(), "portcullis-instances-"));
  const config = join(dir, "portcullis.yaml");
  const limits = [
    `  - { id: shared-budget, scope: virtualKey, subject: app, measure: tokens, window: day, max: ${BUDGET} }`,
    `  - { id: shared-rate, scope: virtualKey, subject: other, measure: requests, window: day, max: ${RATE} }`,
  ].join("\n");
  writeFileSync(config, `database: { url: "${db.url}" }\n${meteredYaml(up.url, limits)}`);
  // One after the other: the first creates the schema and the config's entities.
  procs.push(await startProcess(config));
  procs.push(await startProcess(config));
});

after(async () => {
  for (const p of procs) p.child.kill("SIGTERM");
  await Promise.all(procs.map((p) => new Promise((r) => (p.child.exitCode !== null ? r(null) : p.child.once("exit", r)))));
  await up?.close();
  await db.drop();
  await redis.drop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const skipReason = () => db.skip ?? redis.skip;

test("a limit made through one process's admin API binds the other within its catalog poll", async (t) => {
  if (skipReason()) return t.skip(skipReason());
  const res = await fetch(`${procs[0].url}/api/limits`, {
    method: "POST",
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, "content-type": "application/json" },
    body: JSON.stringify({ id: "zed-blocked", scope: "user", subject: "zed", measure: "requests", window: "minute", max: 0 }),
  });
  assert.equal(res.status, 201);
  const zed = { key: LIMIT_KEY, headers: { "x-archestra-user-id": "zed" }, maxTokens: 1 };
  const refused = await chat(procs[0].url, zed);
  assert.equal(refused.status, 429, "at once on the instance that made it");
  assert.equal(refused.body.error.limit.id, "zed-blocked");
  // Polled with a model list through the passthrough: it counts as a request but spends no tokens.
  const poll = () => fetch(`${procs[1].url}/v1/openai/models`, { headers: { authorization: `Bearer ${LIMIT_KEY}`, "x-archestra-user-id": "zed" } });
  let status = 0;
  const deadline = Date.now() + 5000;
  while (Date.now() < deadline && (status = (await poll()).status) !== 429) await new Promise((r) => setTimeout(r, 100));
  assert.equal(status, 429, "the other instance picked it up");
  assert.equal((await chat(procs[1].url, zed)).body.error.limit.id, "zed-blocked");
});

test("a token budget in PostgreSQL: a burst split across both processes spends at most the budget plus one estimate", async (t) => {
  if (skipReason()) return t.skip(skipReason());
  const results = await Promise.all(Array.from({ length: 40 }, (_, i) => chat(procs[i % 2].url, { maxTokens: 50, text: `burst ${i}` })));
  const ok = results.filter((r) => r.status === 200).length;
  const refused = results.filter((r) => r.status === 402).length;
  assert.equal(ok + refused, 40, JSON.stringify(results.filter((r) => r.status !== 200 && r.status !== 402).map((r) => r.body)));
  assert.ok(refused > 0 && ok >= 10, `${ok} admitted, ${refused} refused`);
  const spent = ok * 60;
  assert.ok(spent <= BUDGET + 100, `spent ${spent}`);
  assert.ok(results.filter((r, i) => r.status === 200 && i % 2 === 0).length > 0 && results.filter((r, i) => r.status === 200 && i % 2 === 1).length > 0, "both processes admitted some");
  // Settlements are written right after the answers: give them a moment, then read the shared counter.
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    let row: { used: number; reserved: number } | undefined;
    for (let i = 0; i < 50; i++) {
      row = (await client.query("select used, reserved from limit_counters where limit_key = 'shared-budget|tokens|day'")).rows[0];
      if (row && row.reserved === 0 && row.used === spent) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.deepEqual(row, { used: spent, reserved: 0 });
    assert.equal((await client.query("select count(*)::int as n from limit_reservations")).rows[0].n, 0);
  } finally {
    await client.end();
  }
  // The rest is spent by requests one at a time, through either process, and never overspent.
  let n = 0;
  for (let refusals = 0; refusals < 2; ) {
    if ((await chat(procs[n % 2].url, { maxTokens: 50 })).status === 200) {
      n++;
      refusals = 0;
    } else {
      // The previous answer's settlement may still be on its way: its reservation counts until then.
      refusals++;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  for (const p of procs) assert.equal((await chat(p.url, { maxTokens: 50 })).status, 402, "both refuse now");
  assert.ok(spent + n * 60 <= BUDGET, `${spent} + ${n} × 60 within ${BUDGET}`);
  assert.ok(BUDGET - (spent + n * 60) < 100, "and they stopped only when the next might not fit");
});

test("a request limit in Redis: a burst split across both processes admits exactly the limit", async (t) => {
  if (skipReason()) return t.skip(skipReason());
  const results = await Promise.all(Array.from({ length: 60 }, (_, i) => chat(procs[i % 2].url, { key: OTHER_KEY, text: `rate ${i}` })));
  const ok = results.filter((r) => r.status === 200).length;
  assert.equal(ok, RATE);
  assert.equal(results.filter((r) => r.status === 429).length, 60 - RATE);
  const refusal = results.find((r) => r.status === 429)!;
  assert.equal(refusal.body.error.limit.id, "shared-rate");
  assert.ok(Number(refusal.headers.get("retry-after")) > 0);
  const peek = new Redis(redis.url!);
  try {
    const keys = await peek.keys(`${redis.prefix}limit:shared-rate|requests|day:*`);
    assert.equal(keys.length, 1, "one hash for the day's window, under this run's prefix");
    const counts = Object.values(await peek.hgetall(keys[0])).map(Number);
    assert.deepEqual(counts, [RATE]);
  } finally {
    peek.disconnect();
  }
  // Usage views on either instance read the same counters.
  for (const p of procs) {
    const res = await fetch(`${p.url}/api/limits/shared-rate`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    const view = (await res.json()) as { used: number; remaining: number };
    assert.deepEqual([view.used, view.remaining], [RATE, 0]);
  }
});
