/**
 * npm run bench:logs — the logs API on a million interactions, SQLite and PostgreSQL.
 *
 * Writes LOGS_ROWS interactions (default 1,000,000) over 30 days through the interaction log
 * writer (batched inserts with every index in place: the write rate is measured too), then times
 * each query of GET /api/interactions and GET /api/usage (median of 5 runs, after one warm-up).
 * PostgreSQL: DATABASE_URL or postgres://postgres@127.0.0.1:5432/postgres (a database is created
 * and dropped); skipped when unreachable. LOGS_DB=sqlite|postgres runs one.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import pg from "pg";
import { openStore, type Store } from "../src/store/db.ts";
import { InteractionLog, type InteractionRow } from "../src/store/interaction-log.ts";
import { aggregateUsage, getInteraction, listInteractions, type InteractionFilter, type UsageGroup } from "../src/store/interactions-query.ts";
import { migrate } from "../src/store/migrations/index.ts";

const ROWS = Number(process.env.LOGS_ROWS ?? 1_000_000);
const START = Date.UTC(2026, 0, 1);
const SPAN_MS = 30 * 86_400_000;
const PROVIDERS = ["openai", "anthropic", "gemini", "bedrock", "groq"];

/** Deterministic pseudo-random rows: 5 proxies, 200 agents, 2,000 users, ~1 session per 50 rows, ~1 execution per 10 rows. */
function row(i: number): InteractionRow {
  const h = (i * 2654435761) >>> 0;
  const provider = PROVIDERS[(h >>> 3) % 5];
  const status = h % 97 === 0 ? 500 : h % 53 === 0 ? 429 : h % 41 === 0 ? 400 : 200;
  return {
    id: `${String(i).padStart(8, "0")}-${(h % 65536).toString(16)}`,
    createdAt: new Date(START + Math.floor((i / ROWS) * SPAN_MS)).toISOString(),
    proxyId: `proxy-${(h >>> 11) % 5}`,
    route: h % 3 === 0 ? "passthrough" : "router",
    clientFormat: "openai-chat",
    upstreamFormat: "openai-chat",
    provider,
    model: `${provider}-model-${(h >>> 8) % 4}`,
    requestedModel: `${provider}:${provider}-model-${(h >>> 8) % 4}`,
    authMethod: "virtual-key",
    virtualKeyId: `vk-${h % 50}`,
    agentId: `agent-${(h >>> 4) % 200}`,
    userId: `user-${(h >>> 6) % 2000}@example.com`,
    sessionId: `session-${Math.floor(i / 50)}`,
    executionId: `exec-${Math.floor(i / 10)}`,
    status,
    stream: h % 2 === 0,
    finishReason: status === 200 ? "stop" : undefined,
    blocked: h % 1009 === 0,
    inputTokens: status === 200 ? 500 + (h % 3000) : undefined,
    outputTokens: status === 200 ? 50 + (h % 700) : undefined,
    cacheReadTokens: status === 200 ? h % 400 : undefined,
    costUsd: status === 200 ? ((h % 1000) + 1) * 1e-6 : null,
    ttftMs: 100 + (h % 900),
    durationMs: 300 + (h % 5000),
  };
}

async function fill(store: Store): Promise<number> {
  const log = new InteractionLog(store, { intervalMs: 50, batchSize: 1000, maxBuffered: 2_000_000 });
  const t0 = performance.now();
  for (let i = 0; i < ROWS; i += 10_000) {
    for (let j = i; j < Math.min(ROWS, i + 10_000); j++) log.record(row(j));
    await log.flush();
  }
  await log.close();
  return (performance.now() - t0) / 1000;
}

async function time(fn: () => Promise<unknown>): Promise<number> {
  await fn();
  const runs: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    await fn();
    runs.push(performance.now() - t0);
  }
  return runs.sort((a, b) => a - b)[2];
}

const day = (d: number) => new Date(START + d * 86_400_000).toISOString();

async function queries(store: Store): Promise<Array<[string, number]>> {
  const list = (filter: InteractionFilter, order: "asc" | "desc" = "desc") => () => listInteractions(store, { filter, limit: 50, order });
  const usage = (groupBy: UsageGroup[], filter: InteractionFilter) => () => aggregateUsage(store, { filter, groupBy, limit: 1000 });
  // A cursor from the middle of the log (a deep page).
  const mid = row(Math.floor(ROWS / 2));
  const results: Array<[string, number]> = [];
  const cases: Array<[string, () => Promise<unknown>]> = [
    ["list: newest page, no filter", list({})],
    ["list: oldest page (asc)", list({}, "asc")],
    ["list: deep page by cursor", () => listInteractions(store, { filter: {}, limit: 50, order: "desc", after: { createdAt: mid.createdAt, id: mid.id } })],
    ["list: proxy", list({ proxyId: "proxy-3" })],
    ["list: provider (1 in 5)", list({ provider: "gemini" })],
    ["list: model", list({ model: "openai-model-2" })],
    ["list: agent", list({ agentId: "agent-117" })],
    ["list: user", list({ userId: "user-1234@example.com" })],
    ["list: session", list({ sessionId: `session-${Math.floor(ROWS / 100)}` })],
    ["list: execution", list({ executionId: `exec-${Math.floor(ROWS / 20)}` })],
    ["list: status 5xx", list({ status: { min: 500, max: 599 } })],
    ["list: blocked", list({ blocked: true })],
    ["list: proxy + one day", list({ proxyId: "proxy-1", from: day(10), to: day(11) })],
    ["list: proxy+provider+status 200", list({ proxyId: "proxy-2", provider: "groq", status: 200 })],
    ["list: agent + status 429, a week", list({ agentId: "agent-5", status: 429, from: day(7), to: day(14) })],
    ["get by id (with bodies)", () => getInteraction(store, mid.id)],
    ["usage by proxy, 1 day", usage(["proxy"], { from: day(3), to: day(4) })],
    ["usage by proxy, 7 days", usage(["proxy"], { from: day(3), to: day(10) })],
    ["usage by proxy, 30 days (all rows)", usage(["proxy"], {})],
    ["usage by agent+model, 7 days", usage(["agent", "model"], { from: day(3), to: day(10) })],
    ["usage by user, 1 day, one proxy", usage(["user"], { proxyId: "proxy-4", from: day(20), to: day(21) })],
  ];
  for (const [name, fn] of cases) results.push([name, await time(fn)]);
  return results;
}

async function run(name: string, url: string): Promise<void> {
  const store = await openStore(url);
  try {
    await migrate(store);
    const seconds = await fill(store);
    // What autovacuum does on its own soon after a bulk load: give the planner its statistics.
    if (store.dialect === "postgres") await sql`analyze interactions`.execute(store.db);
    console.log(`\n${name}: wrote ${ROWS.toLocaleString()} interactions in ${seconds.toFixed(1)} s (${Math.round(ROWS / seconds).toLocaleString()} rows/s, batched, all indexes)`);
    for (const [q, ms] of await queries(store)) console.log(`  ${q.padEnd(40)} ${ms.toFixed(2).padStart(9)} ms`);
  } finally {
    await store.close();
  }
}

const only = process.env.LOGS_DB;
if (!only || only === "sqlite") {
  const dir = mkdtempSync(join(tmpdir(), "portcullis-logs-bench-"));
  try {
    await run("SQLite", `sqlite:${join(dir, "logs.db")}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
if (!only || only === "postgres") {
  const base = process.env.DATABASE_URL?.startsWith("postgres") ? process.env.DATABASE_URL : "postgres://postgres@127.0.0.1:5432/postgres";
  const name = `portcullis_logs_bench_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: base, connectionTimeoutMillis: 3000 });
  try {
    await admin.connect();
  } catch (err) {
    console.log(`\nPostgreSQL: skipped (${(err as Error).message})`);
    process.exit(0);
  }
  await admin.query(`create database ${name}`);
  try {
    const url = new URL(base);
    url.pathname = `/${name}`;
    await run("PostgreSQL", url.toString());
  } finally {
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}
