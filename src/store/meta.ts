import { sql } from "kysely";
import type { DbHandle } from "./db.ts";

export const CATALOG_VERSION = "catalog_version";
export const ADMIN_TOKEN_HASH = "admin_token_hash";

export async function getMeta({ db }: DbHandle, key: string): Promise<string | undefined> {
  const row = await db.selectFrom("meta").select("value").where("key", "=", key).executeTakeFirst();
  return row?.value;
}

export async function setMeta({ db }: DbHandle, key: string, value: string): Promise<void> {
  await db
    .insertInto("meta")
    .values({ key, value })
    .onConflict((oc) => oc.column("key").doUpdateSet({ value }))
    .execute();
}

/** Sets the value unless the key exists; true when this call set it (the winner of a race). */
export async function setMetaIfAbsent({ db }: DbHandle, key: string, value: string): Promise<boolean> {
  const result = await db.insertInto("meta").values({ key, value }).onConflict((oc) => oc.column("key").doNothing()).executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0;
}

export async function getCatalogVersion(handle: DbHandle): Promise<string> {
  return (await getMeta(handle, CATALOG_VERSION)) ?? "0";
}

/**
 * Announces a change to proxies, credentials or keys: every instance's catalog polls this value
 * and reloads when it moves. Incremented in the database, so concurrent writers never collide.
 */
export async function bumpCatalogVersion({ db }: DbHandle): Promise<void> {
  const result = await db
    .updateTable("meta")
    .set({ value: sql<string>`cast(cast(value as bigint) + 1 as text)` })
    .where("key", "=", CATALOG_VERSION)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) await setMetaIfAbsent({ db }, CATALOG_VERSION, "1");
}
