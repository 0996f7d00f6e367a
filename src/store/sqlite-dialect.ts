import { DatabaseSync, type SQLInputValue, type StatementSync } from "node:sqlite";
import { CompiledQuery, SqliteDialect, SqliteDriver, type DatabaseConnection, type Driver, type SqliteDatabase, type SqliteStatement } from "kysely";

/** Prepared statements kept per database; Kysely prepares on every query, parsing SQL costs more than running it. */
const STATEMENT_CACHE_SIZE = 256;

/**
 * A Kysely dialect over Node's built-in `node:sqlite` (no native add-on to build). Kysely's
 * SQLite driver expects better-sqlite3's shape; this adapts `DatabaseSync` to it.
 */
export function nodeSqliteDialect(path: string): SqliteDialect {
  return new NodeSqliteDialect(path);
}

class NodeSqliteDialect extends SqliteDialect {
  readonly #path: string;

  constructor(path: string) {
    super({ database: async () => openNodeSqlite(path) });
    this.#path = path;
  }

  override createDriver(): Driver {
    const path = this.#path;
    return new ImmediateTransactionDriver({ database: async () => openNodeSqlite(path) });
  }
}

/**
 * Transactions start as BEGIN IMMEDIATE: a deferred transaction that reads and then writes can
 * fail with SQLITE_BUSY when another process wrote in between, and busy_timeout cannot help it.
 */
class ImmediateTransactionDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw("begin immediate"));
  }
}

/** Opens the file with the pragmas a server wants: WAL, wait on locks, durable-enough syncs, FKs. */
export function openNodeSqlite(path: string): SqliteDatabase {
  const db = new DatabaseSync(path);
  db.exec("PRAGMA journal_mode = WAL");
  db.exec("PRAGMA busy_timeout = 5000");
  db.exec("PRAGMA synchronous = NORMAL");
  db.exec("PRAGMA foreign_keys = ON");
  const cache = new Map<string, SqliteStatement>();
  return {
    close: () => {
      cache.clear();
      db.close();
    },
    prepare(sql: string): SqliteStatement {
      let stmt = cache.get(sql);
      if (stmt) return stmt;
      stmt = adaptStatement(db.prepare(sql));
      if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value as string);
      cache.set(sql, stmt);
      return stmt;
    },
  };
}

function adaptStatement(stmt: StatementSync): SqliteStatement {
  return {
    // A statement that yields columns (SELECT, INSERT … RETURNING) is read with all().
    reader: stmt.columns().length > 0,
    all: (params) => stmt.all(...bind(params)),
    run: (params) => stmt.run(...bind(params)),
    iterate: (params) => stmt.iterate(...bind(params)),
  };
}

/** node:sqlite binds neither booleans nor undefined; Kysely may pass both. */
function bind(params: ReadonlyArray<unknown>): SQLInputValue[] {
  const out = new Array<SQLInputValue>(params.length);
  for (let i = 0; i < params.length; i++) {
    const v = params[i];
    out[i] = v === undefined ? null : typeof v === "boolean" ? (v ? 1 : 0) : (v as SQLInputValue);
  }
  return out;
}
