import { generateClientId, generateClientSecret } from "../auth/client-secrets.ts";
import { displayPrefix, hashSecret } from "../auth/secrets.ts";
import { nowIso, opt, sameList, sameStringMap, stringList, stringMap, toJson } from "./columns.ts";
import type { DbHandle } from "./db.ts";
import { afterPosition, toPage, type Page, type PageRequest } from "./pagination.ts";
import type { OAuthClientsTable } from "./schema.ts";

/** An OAuth client as the admin API shows it: never a secret or its hash. */
export interface OAuthClientRecord {
  clientId: string;
  name: string;
  /** The secret's first characters, for recognition. */
  secretPrefix: string;
  proxies: string[];
  scopes: string[];
  /** provider -> credential id. */
  credentials: Record<string, string>;
  /** Lifetime of its access tokens; the server default when absent. */
  tokenTtlSeconds?: number;
  disabledAt?: string;
  /** Tokens issued before this are refused. */
  tokensValidAfter?: string;
  /** Until then the secret replaced by the last rotation is still accepted. */
  previousSecretExpiresAt?: string;
  lastUsedAt?: string;
  createdAt: string;
  updatedAt: string;
}

/** A client with its secret hashes: what the catalog holds to check a presented secret. */
export interface StoredOAuthClient extends OAuthClientRecord {
  secretHash: string;
  previousSecretHash?: string;
}

export interface NewOAuthClient {
  /** Generated when absent. */
  clientId?: string;
  name?: string;
  /** Plaintext (config-supplied); generated when absent. */
  secret?: string;
  proxies: string[];
  scopes: string[];
  credentials?: Record<string, string>;
  tokenTtlSeconds?: number;
  disabled?: boolean;
}

export interface OAuthClientChanges {
  name?: string;
  proxies?: string[];
  scopes?: string[];
  credentials?: Record<string, string>;
  /** null: back to the server default. */
  tokenTtlSeconds?: number | null;
  disabled?: boolean;
}

export function toStoredOAuthClient(row: OAuthClientsTable): StoredOAuthClient {
  const client: StoredOAuthClient = {
    clientId: row.client_id,
    name: row.name,
    secretPrefix: row.secret_prefix,
    secretHash: row.secret_hash,
    proxies: stringList(row.proxies),
    scopes: stringList(row.scopes),
    credentials: stringMap(row.credentials),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
  const set = <K extends keyof StoredOAuthClient>(key: K, value: StoredOAuthClient[K] | null) => {
    const v = opt(value);
    if (v !== undefined) client[key] = v;
  };
  set("tokenTtlSeconds", row.token_ttl_seconds === null ? null : Number(row.token_ttl_seconds));
  set("disabledAt", row.disabled_at);
  set("tokensValidAfter", row.tokens_valid_after);
  set("lastUsedAt", row.last_used_at);
  // A previous secret whose grace period is over is no longer part of the client.
  if (row.previous_secret_hash !== null && row.previous_secret_expires_at !== null && Date.parse(row.previous_secret_expires_at) > Date.now()) {
    client.previousSecretHash = row.previous_secret_hash;
    client.previousSecretExpiresAt = row.previous_secret_expires_at;
  }
  return client;
}

/** The public view: the hashes removed. */
export function oauthClientView({ secretHash: _s, previousSecretHash: _p, ...record }: StoredOAuthClient): OAuthClientRecord {
  return record;
}

export async function listOAuthClients({ db }: DbHandle): Promise<StoredOAuthClient[]> {
  const rows = await db.selectFrom("oauth_clients").selectAll().orderBy("created_at").orderBy("client_id").execute();
  return rows.map(toStoredOAuthClient);
}

export async function pageOAuthClients({ db }: DbHandle, page: PageRequest): Promise<Page<OAuthClientRecord>> {
  let query = db.selectFrom("oauth_clients").selectAll().orderBy("created_at").orderBy("client_id").limit(page.limit + 1);
  if (page.after) query = query.where(afterPosition("client_id", page.after));
  const rows = await query.execute();
  return toPage(rows, page.limit, (r) => ({ createdAt: r.created_at, id: r.client_id }), (r) => oauthClientView(toStoredOAuthClient(r)));
}

export async function getOAuthClient({ db }: DbHandle, clientId: string): Promise<StoredOAuthClient | undefined> {
  const row = await db.selectFrom("oauth_clients").selectAll().where("client_id", "=", clientId).executeTakeFirst();
  return row && toStoredOAuthClient(row);
}

export interface CreatedOAuthClient {
  client: StoredOAuthClient;
  /** The secret itself: returned here once, never stored. */
  secret: string;
  generated: boolean;
}

/** Creates a client (id and secret generated unless supplied); undefined when the id is taken. */
export async function createOAuthClient({ db }: DbHandle, client: NewOAuthClient): Promise<CreatedOAuthClient | undefined> {
  const secret = client.secret ?? generateClientSecret();
  const clientId = client.clientId ?? generateClientId();
  const now = nowIso();
  const row: OAuthClientsTable = {
    client_id: clientId,
    name: client.name ?? clientId,
    secret_hash: hashSecret(secret),
    secret_prefix: displayPrefix(secret),
    previous_secret_hash: null,
    previous_secret_expires_at: null,
    proxies: toJson(client.proxies),
    scopes: toJson(client.scopes),
    credentials: toJson(client.credentials ?? {}),
    token_ttl_seconds: client.tokenTtlSeconds ?? null,
    disabled_at: client.disabled ? now : null,
    tokens_valid_after: null,
    last_used_at: null,
    created_at: now,
    updated_at: now,
  };
  const result = await db.insertInto("oauth_clients").values(row).onConflict((oc) => oc.column("client_id").doNothing()).executeTakeFirst();
  if (Number(result.numInsertedOrUpdatedRows ?? 0n) === 0) return undefined;
  return { client: toStoredOAuthClient(row), secret, generated: client.secret === undefined };
}

/** Applies changes; undefined when no such client exists. Disabling also revokes the tokens issued so far. */
export async function updateOAuthClient(handle: DbHandle, clientId: string, changes: OAuthClientChanges): Promise<StoredOAuthClient | undefined> {
  const existing = await getOAuthClient(handle, clientId);
  if (!existing) return undefined;
  const set = columnChanges(existing, changes);
  if (Object.keys(set).length > 0) {
    set.updated_at = nowIso();
    await handle.db.updateTable("oauth_clients").set(set).where("client_id", "=", clientId).execute();
  }
  return getOAuthClient(handle, clientId);
}

function columnChanges(existing: StoredOAuthClient, changes: OAuthClientChanges): Partial<OAuthClientsTable> {
  const set: Partial<OAuthClientsTable> = {};
  if (changes.name !== undefined && changes.name !== existing.name) set.name = changes.name;
  if (changes.proxies && !sameList(existing.proxies, changes.proxies)) set.proxies = toJson(changes.proxies);
  if (changes.scopes && !sameList(existing.scopes, changes.scopes)) set.scopes = toJson(changes.scopes);
  if (changes.credentials && !sameStringMap(existing.credentials, changes.credentials)) set.credentials = toJson(changes.credentials);
  if (changes.tokenTtlSeconds !== undefined && (changes.tokenTtlSeconds ?? undefined) !== existing.tokenTtlSeconds) {
    set.token_ttl_seconds = changes.tokenTtlSeconds;
  }
  if (changes.disabled === true && !existing.disabledAt) {
    const now = nowIso();
    set.disabled_at = now;
    set.tokens_valid_after = now;
  } else if (changes.disabled === false && existing.disabledAt) {
    set.disabled_at = null;
  }
  return set;
}

export interface SecretRotation {
  /** The new secret (generated when absent). */
  secret?: string;
  /** How long the old secret keeps working, for a rollout without downtime (0: not at all). */
  graceSeconds?: number;
  /** Refuse the access tokens issued so far (a leaked secret). */
  revokeTokens?: boolean;
}

/** Replaces the client's secret; undefined when no such client exists. */
export async function rotateOAuthClientSecret(
  handle: DbHandle,
  clientId: string,
  rotation: SecretRotation,
): Promise<{ client: StoredOAuthClient; secret: string } | undefined> {
  const existing = await getOAuthClient(handle, clientId);
  if (!existing) return undefined;
  const secret = rotation.secret ?? generateClientSecret();
  const now = new Date();
  const grace = rotation.graceSeconds ?? 0;
  const set: Partial<OAuthClientsTable> = {
    secret_hash: hashSecret(secret),
    secret_prefix: displayPrefix(secret),
    previous_secret_hash: grace > 0 ? existing.secretHash : null,
    previous_secret_expires_at: grace > 0 ? new Date(now.getTime() + grace * 1000).toISOString() : null,
    updated_at: now.toISOString(),
  };
  if (rotation.revokeTokens) set.tokens_valid_after = now.toISOString();
  await handle.db.updateTable("oauth_clients").set(set).where("client_id", "=", clientId).execute();
  const client = await getOAuthClient(handle, clientId);
  return client && { client, secret };
}

export async function deleteOAuthClient({ db }: DbHandle, clientId: string): Promise<boolean> {
  const result = await db.deleteFrom("oauth_clients").where("client_id", "=", clientId).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/**
 * Makes the client a config names match it: proxies, scopes, credentials, token lifetime, and the
 * secret when one is supplied (an absent one keeps the stored secret). Disabling and rotations
 * made at run time are left alone, like revocation of virtual keys.
 */
export async function updateOAuthClientFromConfig(handle: DbHandle, client: NewOAuthClient & { clientId: string }): Promise<"updated" | "unchanged" | "missing"> {
  const existing = await getOAuthClient(handle, client.clientId);
  if (!existing) return "missing";
  const set = columnChanges(existing, {
    name: client.name ?? client.clientId,
    proxies: client.proxies,
    scopes: client.scopes,
    credentials: client.credentials ?? {},
    tokenTtlSeconds: client.tokenTtlSeconds ?? null,
  });
  if (client.secret !== undefined) {
    const hash = hashSecret(client.secret);
    if (hash !== existing.secretHash) {
      set.secret_hash = hash;
      set.secret_prefix = displayPrefix(client.secret);
      set.previous_secret_hash = null;
      set.previous_secret_expires_at = null;
    }
  }
  if (Object.keys(set).length === 0) return "unchanged";
  set.updated_at = nowIso();
  await handle.db.updateTable("oauth_clients").set(set).where("client_id", "=", client.clientId).execute();
  return "updated";
}

/** Records that clients obtained tokens (written off the token endpoint's answer). */
export async function touchOAuthClients({ db }: DbHandle, clientIds: readonly string[], at: string): Promise<void> {
  if (clientIds.length === 0) return;
  await db.updateTable("oauth_clients").set({ last_used_at: at }).where("client_id", "in", clientIds).execute();
}
