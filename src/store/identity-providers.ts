import { nowIso, opt, stringList, toJson } from "./columns.ts";
import type { DbHandle } from "./db.ts";
import { afterPosition, toPage, type Page, type PageRequest } from "./pagination.ts";
import type { IdentityProvidersTable } from "./schema.ts";

/** An external OIDC issuer whose JWTs identify users to the proxies it may use. */
export interface IdentityProviderRecord {
  id: string;
  issuer: string;
  /** Accepted `aud` values (a token must name one). */
  audience: string[];
  /** Absent: discovered from `<issuer>/.well-known/openid-configuration`. */
  jwksUri?: string;
  /** The claim that names the user (`sub`, `email`, `preferred_username`, …). */
  userClaim: string;
  /** claim -> value the token must carry (an array claim must contain it). */
  requiredClaims?: Record<string, string>;
  /** Accepted JWS algorithms; the asymmetric defaults when absent. */
  algorithms?: string[];
  proxies: string[];
  clockToleranceSeconds?: number;
  createdAt: string;
  updatedAt: string;
}

export type NewIdentityProvider = Omit<IdentityProviderRecord, "createdAt" | "updatedAt">;

export function toIdentityProviderRecord(row: IdentityProvidersTable): IdentityProviderRecord {
  const record: IdentityProviderRecord = {
    id: row.id,
    issuer: row.issuer,
    audience: stringList(row.audience),
    userClaim: row.user_claim,
    proxies: stringList(row.proxies),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
  const jwksUri = opt(row.jwks_uri);
  if (jwksUri) record.jwksUri = jwksUri;
  if (row.required_claims !== null) record.requiredClaims = JSON.parse(row.required_claims) as Record<string, string>;
  if (row.algorithms !== null) record.algorithms = stringList(row.algorithms);
  if (row.clock_tolerance_seconds !== null) record.clockToleranceSeconds = Number(row.clock_tolerance_seconds);
  return record;
}

function toColumns(idp: NewIdentityProvider): Omit<IdentityProvidersTable, "id" | "created_at" | "updated_at"> {
  return {
    issuer: idp.issuer,
    audience: toJson(idp.audience),
    jwks_uri: idp.jwksUri ?? null,
    user_claim: idp.userClaim,
    required_claims: idp.requiredClaims ? toJson(idp.requiredClaims) : null,
    algorithms: idp.algorithms ? toJson(idp.algorithms) : null,
    proxies: toJson(idp.proxies),
    clock_tolerance_seconds: idp.clockToleranceSeconds ?? null,
  };
}

export async function listIdentityProviders({ db }: DbHandle): Promise<IdentityProviderRecord[]> {
  const rows = await db.selectFrom("identity_providers").selectAll().orderBy("created_at").orderBy("id").execute();
  return rows.map(toIdentityProviderRecord);
}

export async function pageIdentityProviders({ db }: DbHandle, page: PageRequest): Promise<Page<IdentityProviderRecord>> {
  let query = db.selectFrom("identity_providers").selectAll().orderBy("created_at").orderBy("id").limit(page.limit + 1);
  if (page.after) query = query.where(afterPosition("id", page.after));
  const rows = await query.execute();
  return toPage(rows, page.limit, (r) => ({ createdAt: r.created_at, id: r.id }), toIdentityProviderRecord);
}

export async function getIdentityProvider({ db }: DbHandle, id: string): Promise<IdentityProviderRecord | undefined> {
  const row = await db.selectFrom("identity_providers").selectAll().where("id", "=", id).executeTakeFirst();
  return row && toIdentityProviderRecord(row);
}

/** Creates one; undefined when the id is taken. */
export async function insertIdentityProvider({ db }: DbHandle, idp: NewIdentityProvider): Promise<IdentityProviderRecord | undefined> {
  const now = nowIso();
  const row: IdentityProvidersTable = { id: idp.id, ...toColumns(idp), created_at: now, updated_at: now };
  const result = await db.insertInto("identity_providers").values(row).onConflict((oc) => oc.column("id").doNothing()).executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0 ? toIdentityProviderRecord(row) : undefined;
}

/** Makes the stored one match `idp` entirely (an absent optional field is cleared). */
export async function upsertIdentityProvider(handle: DbHandle, idp: NewIdentityProvider): Promise<"created" | "updated" | "unchanged"> {
  const row = await handle.db.selectFrom("identity_providers").selectAll().where("id", "=", idp.id).executeTakeFirst();
  if (!row) return (await insertIdentityProvider(handle, idp)) ? "created" : "unchanged";
  const next = toColumns(idp);
  const same = (Object.keys(next) as Array<keyof typeof next>).every((k) => sameColumn(row[k], next[k]));
  if (same) return "unchanged";
  await handle.db.updateTable("identity_providers").set({ ...next, updated_at: nowIso() }).where("id", "=", idp.id).execute();
  return "updated";
}

/** PostgreSQL returns integers as numbers and SQLite may too; compare them as text. */
function sameColumn(a: unknown, b: unknown): boolean {
  return (a === null ? null : String(a)) === (b === null ? null : String(b));
}

export async function deleteIdentityProvider({ db }: DbHandle, id: string): Promise<boolean> {
  const result = await db.deleteFrom("identity_providers").where("id", "=", id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}
