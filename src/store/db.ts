import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { Kysely, PostgresDialect } from "kysely";
import pg from "pg";
import type { Schema } from "./schema.ts";
import { nodeSqliteDialect } from "./sqlite-dialect.ts";

export type Dialect = "sqlite" | "postgres";

export interface Store {
  db: Kysely<Schema>;
  dialect: Dialect;
  close(): Promise<void>;
}

/** What repositories need: a Store, or `{ db: trx }` inside a transaction. */
export type DbHandle = Pick<Store, "db">;

export const DEFAULT_DATABASE_URL = "sqlite:./data/portcullis.db";

/**
 * Opens the database a URL names: `sqlite:<path>` (its folder is created), `sqlite::memory:`,
 * or `postgres://…` / `postgresql://…`. A PostgreSQL server is asked once, so a wrong URL fails
 * at start with the driver's reason rather than on the first request.
 */
export async function openStore(url: string = DEFAULT_DATABASE_URL): Promise<Store> {
  if (url.startsWith("sqlite:")) return openSqlite(sqlitePath(url));
  if (url.startsWith("postgres://") || url.startsWith("postgresql://")) return openPostgres(url);
  throw new Error(`Unsupported database URL '${redact(url)}': use sqlite:<path>, sqlite::memory: or postgres://…`);
}

/** `sqlite:./a.db` -> `./a.db`; `sqlite:///abs/a.db` -> `/abs/a.db`; `sqlite::memory:` -> `:memory:`. */
export function sqlitePath(url: string): string {
  let path = url.slice("sqlite:".length);
  if (path.startsWith("//")) path = path.slice(2);
  if (!path) throw new Error("The sqlite: database URL names no file");
  return path;
}

async function openSqlite(path: string): Promise<Store> {
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  const db = new Kysely<Schema>({ dialect: nodeSqliteDialect(path) });
  return { db, dialect: "sqlite", close: () => db.destroy() };
}

async function openPostgres(url: string): Promise<Store> {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  // An idle client losing its server emits on the pool; unhandled, that would end the process.
  pool.on("error", (err) => console.error(`portcullis: PostgreSQL connection error: ${err.message}`));
  try {
    const client = await pool.connect();
    client.release();
  } catch (err) {
    await pool.end().catch(() => {});
    throw new Error(`Cannot connect to PostgreSQL at ${redact(url)}: ${(err as Error).message}`);
  }
  const db = new Kysely<Schema>({ dialect: new PostgresDialect({ pool }) });
  const close = async () => {
    await db.destroy();
    // Kysely ends the pool only if it ever used it; the connection check above opened it anyway.
    if (!pool.ended) await pool.end();
  };
  return { db, dialect: "postgres", close };
}

/** A URL safe to print: the password replaced. */
export function redact(url: string): string {
  return url.replace(/^([a-z]+:\/\/[^:/@]*):[^@/]*@/i, "$1:***@");
}
