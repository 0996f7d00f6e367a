/** Helpers shared by the observability and logs API tests (not a test file itself). */

import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Parses the Prometheus text exposition format (what GET /metrics answers) into samples. */
export function parsePrometheus(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split("\n")) {
    if (!line || line.startsWith("#")) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+\d+)?$/.exec(line);
    if (!m) throw new Error(`not a sample line: ${line}`);
    const labels: Record<string, string> = {};
    const body = m[2] ?? "";
    const re = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"\s*,?/g;
    let l: RegExpExecArray | null;
    while ((l = re.exec(body))) labels[l[1]] = l[2].replace(/\\n/g, "\n").replace(/\\"/g, '"').replace(/\\\\/g, "\\");
    samples.push({ name: m[1], labels, value: m[3] === "+Inf" ? Infinity : m[3] === "-Inf" ? -Infinity : Number(m[3]) });
  }
  return samples;
}

/** The sum of the samples named `name` whose labels include `labels` (0 when none match). */
export function metricValue(samples: readonly Sample[], name: string, labels: Record<string, string> = {}): number {
  let total = 0;
  for (const s of samples) {
    if (s.name !== name) continue;
    if (Object.entries(labels).every(([k, v]) => s.labels[k] === v)) total += s.value;
  }
  return total;
}

/** Distinct values a label takes among the samples named `name`. */
export function labelValues(samples: readonly Sample[], name: string, label: string): Set<string> {
  return new Set(samples.filter((s) => s.name === name && label in s.labels).map((s) => s.labels[label]));
}

export async function scrape(url: string): Promise<Sample[]> {
  const res = await fetch(`${url}/metrics`);
  if (!res.ok) throw new Error(`GET /metrics answered ${res.status}`);
  return parsePrometheus(await res.text());
}

/** A number equal to `expected` up to floating-point noise. */
export function near(actual: number, expected: number, message?: string): void {
  if (Math.abs(actual - expected) > 1e-12 + Math.abs(expected) * 1e-9) throw new Error(`${message ?? "value"}: ${actual} != ${expected}`);
}


/** A database the suite runs against: SQLite in a temp dir, or a PostgreSQL database made for the run. */
export interface Backend {
  name: "sqlite" | "postgres";
  /** Set by `setup`: the URL of a fresh, empty database. */
  url?: string;
  /** Set by `setup` when the backend is unavailable (PostgreSQL not running): its tests are skipped, loudly. */
  skip?: string;
  setup(): Promise<void>;
  teardown(): Promise<void>;
}

const PG_URL = process.env.DATABASE_URL?.startsWith("postgres") ? process.env.DATABASE_URL : "postgres://postgres@127.0.0.1:5432/postgres";

export function backends(): Backend[] {
  return [sqliteBackend(), postgresBackend()];
}

function sqliteBackend(): Backend {
  let dir = "";
  return {
    name: "sqlite",
    async setup() {
      dir = mkdtempSync(join(tmpdir(), "portcullis-obs-"));
      this.url = `sqlite:${join(dir, "portcullis.db")}`;
    },
    async teardown() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function postgresBackend(): Backend {
  const name = `portcullis_obs_${process.pid}_${randomBytes(4).toString("hex")}`;
  const admin = () => new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 3000 });
  let created = false;
  return {
    name: "postgres",
    async setup() {
      const client = admin();
      try {
        await client.connect();
      } catch (err) {
        this.skip = `PostgreSQL not reachable at ${PG_URL.replace(/:[^:@/]*@/, ":***@")} (${(err as Error).message})`;
        process.stderr.write(`\n!!!!!!!! WARNING: ${this.skip}: the PostgreSQL observability tests are SKIPPED !!!!!!!!\n\n`);
        return;
      }
      try {
        await client.query(`create database ${name}`);
        created = true;
      } finally {
        await client.end();
      }
      const url = new URL(PG_URL);
      url.pathname = `/${name}`;
      this.url = url.toString();
    },
    async teardown() {
      if (!created) return;
      const client = admin();
      await client.connect();
      try {
        for (let i = 0; i < 100; i++) {
          const { rows } = await client.query("select count(*)::int as n from pg_stat_activity where datname = $1", [name]);
          if (rows[0].n === 0) break;
          await new Promise((r) => setTimeout(r, 20));
        }
        await client.query(`drop database if exists ${name} with (force)`);
      } finally {
        await client.end();
      }
    },
  };
}
