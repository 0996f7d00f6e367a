import { nowIso, sameStringMap, stringMap, toJson } from "./columns.ts";
import type { DbHandle } from "./db.ts";
import { afterPosition, toPage, type Page, type PageRequest } from "./pagination.ts";
import type { ProxiesTable } from "./schema.ts";
import type { ProxyRecord } from "./types.ts";

export const DEFAULT_PROXY_ID = "default";

export interface NewProxy {
  id: string;
  name: string;
  credentials?: Record<string, string>;
}

export function toProxyRecord(row: ProxiesTable): ProxyRecord {
  return { id: row.id, name: row.name, credentials: stringMap(row.credentials), createdAt: row.created_at };
}

export async function listProxies({ db }: DbHandle): Promise<ProxyRecord[]> {
  const rows = await db.selectFrom("proxies").selectAll().orderBy("created_at").orderBy("id").execute();
  return rows.map(toProxyRecord);
}

export async function getProxy({ db }: DbHandle, id: string): Promise<ProxyRecord | undefined> {
  const row = await db.selectFrom("proxies").selectAll().where("id", "=", id).executeTakeFirst();
  return row && toProxyRecord(row);
}

/** Creates a proxy; undefined when the id is taken. */
export async function insertProxy({ db }: DbHandle, proxy: NewProxy): Promise<ProxyRecord | undefined> {
  const now = nowIso();
  const row: ProxiesTable = { id: proxy.id, name: proxy.name, credentials: toJson(proxy.credentials ?? {}), created_at: now, updated_at: now };
  const result = await db.insertInto("proxies").values(row).onConflict((oc) => oc.column("id").doNothing()).executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0 ? toProxyRecord(row) : undefined;
}

/** Makes the stored proxy match; reports what it did (nothing when it already matched). */
export async function upsertProxy(handle: DbHandle, proxy: NewProxy): Promise<"created" | "updated" | "unchanged"> {
  const existing = await getProxy(handle, proxy.id);
  if (!existing) return (await insertProxy(handle, proxy)) ? "created" : "unchanged";
  const credentials = proxy.credentials ?? {};
  if (existing.name === proxy.name && sameStringMap(existing.credentials, credentials)) return "unchanged";
  await handle.db
    .updateTable("proxies")
    .set({ name: proxy.name, credentials: toJson(credentials), updated_at: nowIso() })
    .where("id", "=", proxy.id)
    .execute();
  return "updated";
}

export async function pageProxies({ db }: DbHandle, page: PageRequest): Promise<Page<ProxyRecord>> {
  let query = db.selectFrom("proxies").selectAll().orderBy("created_at").orderBy("id").limit(page.limit + 1);
  if (page.after) query = query.where(afterPosition("id", page.after));
  const rows = await query.execute();
  return toPage(rows, page.limit, (r) => ({ createdAt: r.created_at, id: r.id }), toProxyRecord);
}

/** Deletes a proxy and the policies that belong to it (a proxy re-created with its id starts clean). */
export async function deleteProxy({ db }: DbHandle, id: string): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    await trx.deleteFrom("policies").where("proxy_id", "=", id).execute();
    await trx.deleteFrom("policy_settings").where("proxy_id", "=", id).execute();
    const result = await trx.deleteFrom("proxies").where("id", "=", id).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  });
}
