import { createHash, randomBytes } from "node:crypto";
import type { Store } from "../store/db.ts";
import { ADMIN_TOKEN_HASH, getMeta, setMeta, setMetaIfAbsent } from "../store/meta.ts";

const MIN_LENGTH = 16;

export function hashAdminToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/**
 * Makes sure the admin API has a token, storing only its hash: `PORTCULLIS_ADMIN_TOKEN` when set
 * (it replaces any stored one); otherwise one generated on the first start and returned in
 * `printOnce`; otherwise the stored one stays.
 */
export async function ensureAdminToken(store: Store, env: NodeJS.ProcessEnv): Promise<{ printOnce: string[] }> {
  const given = env.PORTCULLIS_ADMIN_TOKEN;
  if (given) {
    if (given.length < MIN_LENGTH) throw new Error(`PORTCULLIS_ADMIN_TOKEN is too short: use ${MIN_LENGTH} characters at least`);
    const hash = hashAdminToken(given);
    if ((await getMeta(store, ADMIN_TOKEN_HASH)) !== hash) await setMeta(store, ADMIN_TOKEN_HASH, hash);
    return { printOnce: [] };
  }
  const token = `pca-${randomBytes(32).toString("base64url")}`;
  // Only the instance whose insert wins prints: its token is the one stored.
  if (await setMetaIfAbsent(store, ADMIN_TOKEN_HASH, hashAdminToken(token))) {
    return { printOnce: [`Admin API token (shown once, store it now): ${token}`] };
  }
  return { printOnce: [] };
}
