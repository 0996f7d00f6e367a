import { generateVirtualKey, hashVirtualKey, virtualKeyPrefix } from "../auth/virtual-keys.ts";
import { uuidv7 } from "../util/uuidv7.ts";
import { nowIso, opt, sameList, sameStringMap, stringList, stringMap, toJson } from "./columns.ts";
import type { DbHandle } from "./db.ts";
import { afterPosition, toPage, type Page, type PageRequest } from "./pagination.ts";
import type { VirtualKeysTable } from "./schema.ts";
import type { NewVirtualKey, VirtualKeyRecord } from "./types.ts";

export function toVirtualKeyRecord(row: VirtualKeysTable): VirtualKeyRecord {
  const record: VirtualKeyRecord = {
    id: row.id,
    name: row.name,
    hash: row.hash,
    prefix: row.prefix,
    proxies: stringList(row.proxies),
    credentials: stringMap(row.credentials),
    createdAt: row.created_at,
  };
  const expiresAt = opt(row.expires_at);
  const revokedAt = opt(row.revoked_at);
  const lastUsedAt = opt(row.last_used_at);
  if (expiresAt) record.expiresAt = expiresAt;
  if (revokedAt) record.revokedAt = revokedAt;
  if (lastUsedAt) record.lastUsedAt = lastUsedAt;
  return record;
}

export async function listVirtualKeys({ db }: DbHandle): Promise<VirtualKeyRecord[]> {
  const rows = await db.selectFrom("virtual_keys").selectAll().orderBy("created_at").orderBy("id").execute();
  return rows.map(toVirtualKeyRecord);
}

export async function getVirtualKey({ db }: DbHandle, id: string): Promise<VirtualKeyRecord | undefined> {
  const row = await db.selectFrom("virtual_keys").selectAll().where("id", "=", id).executeTakeFirst();
  return row && toVirtualKeyRecord(row);
}

export async function getVirtualKeyByName({ db }: DbHandle, name: string): Promise<VirtualKeyRecord | undefined> {
  const row = await db.selectFrom("virtual_keys").selectAll().where("name", "=", name).executeTakeFirst();
  return row && toVirtualKeyRecord(row);
}

export async function countVirtualKeys({ db }: DbHandle): Promise<number> {
  const row = await db.selectFrom("virtual_keys").select((eb) => eb.fn.countAll().as("n")).executeTakeFirstOrThrow();
  return Number(row.n);
}

export interface CreatedVirtualKey {
  record: VirtualKeyRecord;
  /** The key itself: returned here once, never stored. */
  plaintext: string;
  /** Whether the key was generated (so it must be shown) rather than supplied. */
  generated: boolean;
}

/** Creates a key (generated unless supplied); undefined when its name or key is taken. */
export async function createVirtualKey({ db }: DbHandle, key: NewVirtualKey): Promise<CreatedVirtualKey | undefined> {
  const plaintext = key.key ?? generateVirtualKey();
  const now = nowIso();
  const row: VirtualKeysTable = {
    id: uuidv7(),
    name: key.name,
    hash: hashVirtualKey(plaintext),
    prefix: virtualKeyPrefix(plaintext),
    proxies: toJson(key.proxies),
    credentials: toJson(key.credentials ?? {}),
    expires_at: key.expiresAt ?? null,
    revoked_at: null,
    last_used_at: null,
    created_at: now,
    updated_at: now,
  };
  const result = await db.insertInto("virtual_keys").values(row).onConflict((oc) => oc.doNothing()).executeTakeFirst();
  if (Number(result.numInsertedOrUpdatedRows ?? 0n) === 0) return undefined;
  return { record: toVirtualKeyRecord(row), plaintext, generated: key.key === undefined };
}

/**
 * Makes the key named `key.name` match: proxies, credentials, expiry, and the key itself when one
 * is supplied (an absent key keeps the stored one). Revocation is left alone: a key revoked at run
 * time stays revoked when the config is applied again.
 */
export async function updateVirtualKeyByName(handle: DbHandle, key: NewVirtualKey): Promise<"updated" | "unchanged" | "missing"> {
  const existing = await getVirtualKeyByName(handle, key.name);
  if (!existing) return "missing";
  const changes: Partial<VirtualKeysTable> = {};
  if (!sameList(existing.proxies, key.proxies)) changes.proxies = toJson(key.proxies);
  if (!sameStringMap(existing.credentials, key.credentials)) changes.credentials = toJson(key.credentials ?? {});
  if (existing.expiresAt !== key.expiresAt) changes.expires_at = key.expiresAt ?? null;
  if (key.key !== undefined) {
    const hash = hashVirtualKey(key.key);
    if (hash !== existing.hash) {
      changes.hash = hash;
      changes.prefix = virtualKeyPrefix(key.key);
    }
  }
  if (Object.keys(changes).length === 0) return "unchanged";
  changes.updated_at = nowIso();
  await handle.db.updateTable("virtual_keys").set(changes).where("id", "=", existing.id).execute();
  return "updated";
}

/** Revokes a key (keeping the first revocation time); undefined when no such key exists. */
export async function revokeVirtualKey({ db }: DbHandle, id: string): Promise<VirtualKeyRecord | undefined> {
  const now = nowIso();
  await db.updateTable("virtual_keys").set({ revoked_at: now, updated_at: now }).where("id", "=", id).where("revoked_at", "is", null).execute();
  return getVirtualKey({ db }, id);
}

/** Records use of several keys at once (the catalog batches these off the request path). */
export async function touchVirtualKeys({ db }: DbHandle, ids: readonly string[], at: string): Promise<void> {
  if (ids.length === 0) return;
  await db.updateTable("virtual_keys").set({ last_used_at: at }).where("id", "in", ids).execute();
}

export async function pageVirtualKeys({ db }: DbHandle, page: PageRequest): Promise<Page<VirtualKeyRecord>> {
  let query = db.selectFrom("virtual_keys").selectAll().orderBy("created_at").orderBy("id").limit(page.limit + 1);
  if (page.after) query = query.where(afterPosition("id", page.after));
  const rows = await query.execute();
  return toPage(rows, page.limit, (r) => ({ createdAt: r.created_at, id: r.id }), toVirtualKeyRecord);
}

export interface VirtualKeyChanges {
  name?: string;
  proxies?: string[];
  credentials?: Record<string, string>;
  /** null: never expires. */
  expiresAt?: string | null;
}

/** Changes a key's settings (never the key itself); "name_taken" when another key has the name. */
export async function updateVirtualKey(handle: DbHandle, id: string, changes: VirtualKeyChanges): Promise<VirtualKeyRecord | "name_taken" | undefined> {
  const existing = await getVirtualKey(handle, id);
  if (!existing) return undefined;
  const set: Partial<VirtualKeysTable> = {};
  if (changes.name !== undefined && changes.name !== existing.name) {
    const other = await getVirtualKeyByName(handle, changes.name);
    if (other) return "name_taken";
    set.name = changes.name;
  }
  if (changes.proxies && !sameList(existing.proxies, changes.proxies)) set.proxies = toJson(changes.proxies);
  if (changes.credentials && !sameStringMap(existing.credentials, changes.credentials)) set.credentials = toJson(changes.credentials);
  if (changes.expiresAt !== undefined && (changes.expiresAt ?? undefined) !== existing.expiresAt) set.expires_at = changes.expiresAt;
  if (Object.keys(set).length > 0) {
    set.updated_at = nowIso();
    await handle.db.updateTable("virtual_keys").set(set).where("id", "=", id).execute();
  }
  return getVirtualKey(handle, id);
}
