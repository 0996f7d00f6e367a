import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";

/** The server test databases are made on: `DATABASE_URL` when it is PostgreSQL's, else the local one. */
export const PG_URL = process.env.DATABASE_URL?.startsWith("postgres") ? process.env.DATABASE_URL : "postgres://postgres@127.0.0.1:5432/postgres";

export interface PostgresTestDatabase {
  /** A fresh, empty database of this run, or undefined when no server answers (see `skip`). */
  url?: string;
  skip?: string;
  drop(): Promise<void>;
}

/**
 * A PostgreSQL database made for this run (`label` names the suites in its name and in the
 * warning), or — said loudly — why there is none. `drop` removes it.
 */
export async function createPostgresDatabase(label: string): Promise<PostgresTestDatabase> {
  const name = `portcullis_${label.replace(/\W+/g, "_")}_${process.pid}_${randomBytes(4).toString("hex")}`;
  const admin = () => new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 3000 });
  const client = admin();
  try {
    await client.connect();
  } catch (err) {
    await client.end().catch(() => {});
    const skip = `PostgreSQL not reachable at ${PG_URL.replace(/:[^:@/]*@/, ":***@")} (${(err as Error).message})`;
    process.stderr.write(`\n!!!!!!!! WARNING: ${skip}: the PostgreSQL ${label} tests are SKIPPED !!!!!!!!\n\n`);
    return { skip, drop: async () => {} };
  }
  try {
    await client.query(`create database ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(PG_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = admin();
      await c.connect();
      try {
        // Closed pools finish disconnecting asynchronously; a forced drop would cut them mid-goodbye.
        for (let i = 0; i < 100; i++) {
          const { rows } = await c.query("select count(*)::int as n from pg_stat_activity where datname = $1", [name]);
          if (rows[0].n === 0) break;
          await new Promise((r) => setTimeout(r, 20));
        }
        await c.query(`drop database if exists ${name} with (force)`);
      } finally {
        await c.end();
      }
    },
  };
}

/** A database a suite runs against: SQLite in a temp dir, or a PostgreSQL database made for the run. */
export interface Backend {
  name: "sqlite" | "postgres";
  /** Set by `setup`: the URL of a fresh, empty database. */
  url?: string;
  /** Set by `setup` when the backend is unavailable (PostgreSQL not running): its tests are skipped, loudly. */
  skip?: string;
  setup(): Promise<void>;
  teardown(): Promise<void>;
}

/** SQLite at `file` (a path under a fresh temp dir; directories in it are left for the store to make). */
export function sqliteBackend(label: string, file = "portcullis.db"): Backend {
  let dir = "";
  return {
    name: "sqlite",
    async setup() {
      dir = mkdtempSync(join(tmpdir(), `portcullis-${label.replace(/\W+/g, "-")}-`));
      this.url = `sqlite:${join(dir, file)}`;
    },
    async teardown() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function postgresBackend(label: string): Backend {
  let db: PostgresTestDatabase | undefined;
  return {
    name: "postgres",
    async setup() {
      db = await createPostgresDatabase(label);
      this.url = db.url;
      this.skip = db.skip;
    },
    async teardown() {
      await db?.drop();
    },
  };
}
