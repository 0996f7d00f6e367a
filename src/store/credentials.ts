import { nowIso, sameList, sameStringMap, stringList, stringMap, toJson } from "./columns.ts";
import type { DbHandle } from "./db.ts";
import { afterPosition, toPage, type Page, type PageRequest } from "./pagination.ts";
import type { CredentialsTable } from "./schema.ts";
import type { SecretBox } from "./secret-box.ts";
import type { CredentialInfo, CredentialSecret, NewCredential } from "./types.ts";

/** The credential id is the sealed secret's associated data: a secret moved to another row fails to open. */
const secretContext = (id: string) => `credential:${id}`;

const hintOf = (apiKey: string | undefined) => (apiKey && apiKey.length >= 8 ? apiKey.slice(-4) : undefined);

export function toCredentialInfo(row: CredentialsTable): CredentialInfo {
  const info: CredentialInfo = { id: row.id, provider: row.provider, createdAt: row.created_at };
  if (row.base_url !== null) info.baseUrl = row.base_url;
  if (row.options !== null) info.options = stringMap(row.options);
  if (row.models !== null) info.models = stringList(row.models);
  if (row.hint !== null) info.hint = row.hint;
  return info;
}

export async function listCredentials({ db }: DbHandle): Promise<CredentialInfo[]> {
  const rows = await db.selectFrom("credentials").selectAll().orderBy("created_at").orderBy("id").execute();
  return rows.map(toCredentialInfo);
}

export async function getCredential({ db }: DbHandle, id: string): Promise<CredentialInfo | undefined> {
  const row = await db.selectFrom("credentials").selectAll().where("id", "=", id).executeTakeFirst();
  return row && toCredentialInfo(row);
}

/** Every credential with its secret opened; throws (naming the credential) when the key is wrong. */
export async function loadCredentialSecrets({ db }: DbHandle, box: SecretBox): Promise<CredentialSecret[]> {
  const rows = await db.selectFrom("credentials").selectAll().execute();
  return rows.map((row) => {
    const credential: CredentialSecret = toCredentialInfo(row);
    if (row.secret !== null) credential.apiKey = openSecret(box, row.id, row.secret);
    return credential;
  });
}

function openSecret(box: SecretBox, id: string, sealed: string): string {
  try {
    return box.open(sealed, secretContext(id));
  } catch (err) {
    throw new Error(`Credential '${id}': ${(err as Error).message}`);
  }
}

function toRow(box: SecretBox, c: NewCredential, createdAt: string): CredentialsTable {
  return {
    id: c.id,
    provider: c.provider,
    secret: c.apiKey ? box.seal(c.apiKey, secretContext(c.id)) : null,
    hint: hintOf(c.apiKey) ?? null,
    base_url: c.baseUrl ?? null,
    options: c.options ? toJson(c.options) : null,
    models: c.models ? toJson(c.models) : null,
    created_at: createdAt,
    updated_at: nowIso(),
  };
}

/** Creates a credential; undefined when the id is taken. */
export async function insertCredential({ db }: DbHandle, box: SecretBox, credential: NewCredential): Promise<CredentialInfo | undefined> {
  const row = toRow(box, credential, nowIso());
  const result = await db.insertInto("credentials").values(row).onConflict((oc) => oc.column("id").doNothing()).executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0 ? toCredentialInfo(row) : undefined;
}

/**
 * Makes the stored credential match `credential` (every field; an absent one is cleared). The
 * secret is re-sealed only when it changed, so an unchanged config leaves the row untouched.
 */
export async function upsertCredential(handle: DbHandle, box: SecretBox, credential: NewCredential): Promise<"created" | "updated" | "unchanged"> {
  const row = await handle.db.selectFrom("credentials").selectAll().where("id", "=", credential.id).executeTakeFirst();
  if (!row) return (await insertCredential(handle, box, credential)) ? "created" : "unchanged";
  const stored = toCredentialInfo(row);
  const storedKey = row.secret === null ? undefined : openSecret(box, row.id, row.secret);
  const secretSame = (storedKey ?? "") === (credential.apiKey ?? "");
  const same =
    secretSame &&
    stored.provider === credential.provider &&
    stored.baseUrl === credential.baseUrl &&
    sameStringMap(stored.options, credential.options) &&
    (stored.options === undefined) === (credential.options === undefined) &&
    sameList(stored.models, credential.models) &&
    (stored.models === undefined) === (credential.models === undefined);
  if (same) return "unchanged";
  const next = toRow(box, credential, row.created_at);
  if (secretSame) {
    next.secret = row.secret;
    next.hint = row.hint;
  }
  await handle.db.updateTable("credentials").set(next).where("id", "=", credential.id).execute();
  return "updated";
}

export async function pageCredentials({ db }: DbHandle, page: PageRequest): Promise<Page<CredentialInfo>> {
  let query = db.selectFrom("credentials").selectAll().orderBy("created_at").orderBy("id").limit(page.limit + 1);
  if (page.after) query = query.where(afterPosition("id", page.after));
  const rows = await query.execute();
  return toPage(rows, page.limit, (r) => ({ createdAt: r.created_at, id: r.id }), toCredentialInfo);
}

/** Changes to a credential: an absent field is kept, null clears it; a new apiKey is sealed (a rotation). */
export interface CredentialChanges {
  apiKey?: string | null;
  baseUrl?: string | null;
  options?: Record<string, string> | null;
  models?: string[] | null;
}

export async function patchCredential(handle: DbHandle, box: SecretBox, id: string, changes: CredentialChanges): Promise<CredentialInfo | undefined> {
  const set: Partial<CredentialsTable> = {};
  if (changes.apiKey !== undefined) {
    set.secret = changes.apiKey === null ? null : box.seal(changes.apiKey, secretContext(id));
    set.hint = changes.apiKey === null ? null : (hintOf(changes.apiKey) ?? null);
  }
  if (changes.baseUrl !== undefined) set.base_url = changes.baseUrl;
  if (changes.options !== undefined) set.options = changes.options === null ? null : toJson(changes.options);
  if (changes.models !== undefined) set.models = changes.models === null ? null : toJson(changes.models);
  set.updated_at = nowIso();
  const result = await handle.db.updateTable("credentials").set(set).where("id", "=", id).executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) return undefined;
  return getCredential(handle, id);
}

export async function deleteCredential({ db }: DbHandle, id: string): Promise<boolean> {
  const result = await db.deleteFrom("credentials").where("id", "=", id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}
