import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { DatabaseSync } from "node:sqlite";
import { Kysely } from "kysely";
import { nodeSqliteDialect, openNodeSqlite } from "./sqlite-dialect.ts";

interface T {
  items: { id: number; name: string; flag: number | null };
}

test("opens with WAL, a busy timeout, NORMAL syncs and foreign keys on", () => {
  const dir = mkdtempSync(join(tmpdir(), "portcullis-sqlite-"));
  const db = openNodeSqlite(join(dir, "x.db"));
  try {
    const pragma = (name: string) => Object.values(db.prepare(`pragma ${name}`).all([])[0] as object)[0];
    assert.equal(pragma("journal_mode"), "wal");
    assert.equal(pragma("busy_timeout"), 5000);
    assert.equal(pragma("synchronous"), 1); // NORMAL
    assert.equal(pragma("foreign_keys"), 1);
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("adapts node:sqlite to Kysely: readers, RETURNING, booleans, undefined, cached statements", async () => {
  const raw = openNodeSqlite(":memory:");
  assert.equal(raw.prepare("select 1"), raw.prepare("select 1"), "prepared once, reused");
  assert.equal(raw.prepare("select 1").reader, true);
  assert.equal(raw.prepare("create table z (a)").reader, false);
  raw.close();

  const db = new Kysely<T>({ dialect: nodeSqliteDialect(":memory:") });
  try {
    await db.schema.createTable("items").addColumn("id", "integer", (c) => c.primaryKey()).addColumn("name", "text").addColumn("flag", "integer").execute();
    const inserted = await db.insertInto("items").values({ id: 1, name: "a", flag: true as unknown as number }).returning(["id", "flag"]).executeTakeFirst();
    assert.deepEqual({ ...inserted }, { id: 1, flag: 1 });
    const result = await db.insertInto("items").values({ id: 2, name: "b", flag: undefined as unknown as null }).executeTakeFirst();
    assert.equal(result.numInsertedOrUpdatedRows, 1n);
    assert.equal(result.insertId, 2n);
    const rows = await db.selectFrom("items").selectAll().orderBy("id").execute();
    assert.deepEqual(rows.map((r) => ({ ...r })), [
      { id: 1, name: "a", flag: 1 },
      { id: 2, name: "b", flag: null },
    ]);
    const streamed: number[] = [];
    for await (const row of db.selectFrom("items").select("id").orderBy("id").stream()) streamed.push(row.id);
    assert.deepEqual(streamed, [1, 2]);
  } finally {
    await db.destroy();
  }
});

test("transactions begin immediate (holding the write lock from the start), commit, and roll back", async () => {
  const dir = mkdtempSync(join(tmpdir(), "portcullis-sqlite-"));
  const file = join(dir, "tx.db");
  const db = new Kysely<T>({ dialect: nodeSqliteDialect(file) });
  const other = new DatabaseSync(file);
  other.exec("pragma busy_timeout = 0");
  try {
    await db.schema.createTable("items").addColumn("id", "integer", (c) => c.primaryKey()).addColumn("name", "text").addColumn("flag", "integer").execute();
    await db.transaction().execute(async (trx) => {
      // Nothing written yet: a deferred BEGIN would hold no lock and let the other writer in.
      await trx.selectFrom("items").selectAll().execute();
      assert.throws(() => other.exec("begin immediate"), /database is locked/);
      await trx.insertInto("items").values({ id: 1, name: "kept", flag: null }).execute();
    });
    other.exec("begin immediate");
    other.exec("rollback");
    await assert.rejects(
      db.transaction().execute(async (trx) => {
        await trx.insertInto("items").values({ id: 2, name: "dropped", flag: null }).execute();
        throw new Error("abort");
      }),
      /abort/,
    );
    const names = (await db.selectFrom("items").select("name").execute()).map((r) => r.name);
    assert.deepEqual(names, ["kept"]);
  } finally {
    other.close();
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
});
