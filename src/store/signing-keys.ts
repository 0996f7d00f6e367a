import type { JWK } from "jose";
import { generateSigningKey, type SigningAlgorithm } from "../auth/signing-keys.ts";
import { opt, toJson } from "./columns.ts";
import type { DbHandle } from "./db.ts";
import { afterPosition, toPage, type Page, type PageRequest } from "./pagination.ts";
import type { SigningKeysTable } from "./schema.ts";
import type { SecretBox } from "./secret-box.ts";

/** A signing key's public side, as the admin API lists it. */
export interface SigningKeyRecord {
  kid: string;
  alg: SigningAlgorithm;
  publicJwk: JWK;
  createdAt: string;
  /** Set once a newer key signs instead. */
  retiredAt?: string;
  /** A retired key verifies tokens until then (its last token's expiry), and is then dropped. */
  notAfter?: string;
}

/** A key the catalog holds: the private key opened for the key that signs. */
export interface LoadedSigningKey extends SigningKeyRecord {
  privatePem?: string;
}

/** The sealed private key is bound to its kid: a key copied onto another row does not open. */
const sealContext = (kid: string) => `signing-key:${kid}`;

function toRecord(row: SigningKeysTable): SigningKeyRecord {
  const record: SigningKeyRecord = {
    kid: row.kid,
    alg: row.alg as SigningAlgorithm,
    publicJwk: JSON.parse(row.public_jwk) as JWK,
    createdAt: row.created_at,
  };
  const retiredAt = opt(row.retired_at);
  const notAfter = opt(row.not_after);
  if (retiredAt) record.retiredAt = retiredAt;
  if (notAfter) record.notAfter = notAfter;
  return record;
}

export async function pageSigningKeys({ db }: DbHandle, page: PageRequest): Promise<Page<SigningKeyRecord>> {
  let query = db.selectFrom("signing_keys").selectAll().orderBy("created_at").orderBy("kid").limit(page.limit + 1);
  if (page.after) query = query.where(afterPosition("kid", page.after));
  const rows = await query.execute();
  return toPage(rows, page.limit, (r) => ({ createdAt: r.created_at, id: r.kid }), toRecord);
}

/**
 * The keys still in use (active, or retired with tokens possibly outstanding), newest first; the
 * private key is opened only for the one that signs. Throws, naming the key, when the secret key
 * is not the one the private key was sealed with.
 */
export async function loadSigningKeys({ db }: DbHandle, box: SecretBox, now = Date.now()): Promise<LoadedSigningKey[]> {
  const rows = await db.selectFrom("signing_keys").selectAll().orderBy("created_at", "desc").orderBy("kid", "desc").execute();
  const live = rows.filter((r) => r.not_after === null || Date.parse(r.not_after) > now);
  return live.map((row, i) => {
    const key: LoadedSigningKey = toRecord(row);
    if (i === 0 && row.retired_at === null) {
      try {
        key.privatePem = box.open(row.private_key, sealContext(row.kid));
      } catch (err) {
        throw new Error(`Signing key '${row.kid}': ${(err as Error).message}`);
      }
    }
    return key;
  });
}

async function activeKeys({ db }: DbHandle): Promise<SigningKeysTable[]> {
  return db.selectFrom("signing_keys").selectAll().where("retired_at", "is", null).orderBy("created_at", "desc").orderBy("kid", "desc").execute();
}

/**
 * Makes a new key the one that signs. The keys it replaces stay published and trusted for
 * `retiredValidSeconds` (the longest token lifetime, plus clock skew), so no token issued
 * before the rotation stops working early. Keys past that are deleted.
 */
export async function rotateSigningKey(handle: DbHandle, box: SecretBox, alg: SigningAlgorithm, retiredValidSeconds: number): Promise<SigningKeyRecord> {
  const key = await generateSigningKey(alg);
  const now = new Date().toISOString();
  const row: SigningKeysTable = {
    kid: key.kid,
    alg: key.alg,
    public_jwk: toJson(key.publicJwk),
    private_key: box.seal(key.privatePem, sealContext(key.kid)),
    created_at: now,
    retired_at: null,
    not_after: null,
  };
  await handle.db.insertInto("signing_keys").values(row).execute();
  await settleActiveKey(handle, retiredValidSeconds);
  await handle.db.deleteFrom("signing_keys").where("not_after", "<", now).execute();
  return toRecord(row);
}

/**
 * Leaves exactly one active key, the newest: instances that generated a first key at the same
 * moment converge on the same one, and the others stay valid while tokens may carry them.
 */
async function settleActiveKey(handle: DbHandle, retiredValidSeconds: number): Promise<void> {
  const [, ...older] = await activeKeys(handle);
  if (older.length === 0) return;
  const now = Date.now();
  await handle.db
    .updateTable("signing_keys")
    .set({ retired_at: new Date(now).toISOString(), not_after: new Date(now + retiredValidSeconds * 1000).toISOString() })
    .where(
      "kid",
      "in",
      older.map((k) => k.kid),
    )
    .where("retired_at", "is", null)
    .execute();
}

/**
 * A key that signs exists, with the configured algorithm: generated on the first start, and
 * rotated when the configured algorithm changed. Returns whether it wrote anything.
 */
export async function ensureSigningKey(handle: DbHandle, box: SecretBox, alg: SigningAlgorithm, retiredValidSeconds: number): Promise<boolean> {
  const [active] = await activeKeys(handle);
  if (active && active.alg === alg) return false;
  await rotateSigningKey(handle, box, alg, retiredValidSeconds);
  return true;
}
