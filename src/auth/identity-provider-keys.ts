import { createRemoteJWKSet, type JWTVerifyGetKey } from "jose";
import type { IdentityProviderRecord } from "../store/identity-providers.ts";
import { AuthFailure } from "./auth-failure.ts";

type RemoteKeySet = ReturnType<typeof createRemoteJWKSet>;

export interface IdentityProviderKeysOptions {
  /** Timeout of one JWKS or discovery fetch. */
  fetchTimeoutMs?: number;
  /** How often a key set is re-read in the background (a new key is fetched at once when a token names it). */
  refreshMs?: number;
  /** A failed discovery is retried after this long. */
  retryMs?: number;
  /** A token naming an unknown kid re-fetches the key set at most this often (jose's cooldown). */
  cooldownMs?: number;
}

interface Entry {
  /** What the set was made from (jwksUri, or the issuer when discovered): a change makes a new set. */
  source: string;
  keys: Promise<RemoteKeySet>;
  refreshedAt: number;
  failedAt?: number;
}

/**
 * The signing keys of each identity provider, from its JWKS URI or the one its OpenID discovery
 * document names. jose's remote key set caches the keys and re-fetches when a token names an
 * unknown `kid` (at most every 30 s). Sets never go stale on their own here: a stale set would be
 * re-fetched in the request path, failing requests while the IdP is down; instead they are
 * refreshed in the background and the last good keys serve meanwhile.
 */
export class IdentityProviderKeys {
  readonly #entries = new Map<string, Entry>();
  readonly #timeoutMs: number;
  readonly #refreshMs: number;
  readonly #retryMs: number;
  readonly #cooldownMs: number;

  constructor(options: IdentityProviderKeysOptions = {}) {
    this.#timeoutMs = options.fetchTimeoutMs ?? 5000;
    this.#refreshMs = options.refreshMs ?? 10 * 60_000;
    this.#retryMs = options.retryMs ?? 30_000;
    this.#cooldownMs = options.cooldownMs ?? 30_000;
  }

  /** The key lookup jose's jwtVerify takes, for this provider. */
  async keyFunction(idp: IdentityProviderRecord): Promise<JWTVerifyGetKey> {
    const source = idp.jwksUri ?? `discover:${idp.issuer}`;
    let entry = this.#entries.get(idp.id);
    const now = Date.now();
    if (!entry || entry.source !== source || (entry.failedAt !== undefined && now - entry.failedAt > this.#retryMs)) {
      const created: Entry = { source, keys: this.#keySet(idp), refreshedAt: now };
      created.keys.catch(() => {
        created.failedAt = Date.now();
      });
      entry = created;
      this.#entries.set(idp.id, entry);
    }
    const keys = await entry.keys;
    if (now - entry.refreshedAt > this.#refreshMs && !keys.reloading) {
      entry.refreshedAt = now;
      keys.reload().catch((err: Error) => console.warn(`portcullis: refreshing the signing keys of identity provider '${idp.id}' failed: ${err.message}`));
    }
    return keys;
  }

  /** Forgets providers that are gone (called when the catalog changed). */
  retain(keep: (id: string) => boolean): void {
    for (const id of this.#entries.keys()) if (!keep(id)) this.#entries.delete(id);
  }

  async #keySet(idp: IdentityProviderRecord): Promise<RemoteKeySet> {
    const uri = idp.jwksUri ?? (await this.#discover(idp));
    return createRemoteJWKSet(new URL(uri), { timeoutDuration: this.#timeoutMs, cacheMaxAge: Number.POSITIVE_INFINITY, cooldownDuration: this.#cooldownMs });
  }

  /** OpenID Connect Discovery 1.0 §4: the document lives under the issuer and must name the same issuer. */
  async #discover(idp: IdentityProviderRecord): Promise<string> {
    const url = `${idp.issuer.replace(/\/+$/, "")}/.well-known/openid-configuration`;
    let doc: { issuer?: unknown; jwks_uri?: unknown };
    try {
      const res = await fetch(url, { headers: { accept: "application/json" }, redirect: "manual", signal: AbortSignal.timeout(this.#timeoutMs) });
      if (res.status !== 200) throw new Error(`HTTP ${res.status}`);
      doc = (await res.json()) as typeof doc;
    } catch (err) {
      console.warn(`portcullis: OpenID discovery for identity provider '${idp.id}' at ${url} failed: ${(err as Error).message}`);
      throw unavailable();
    }
    if (doc.issuer !== idp.issuer || typeof doc.jwks_uri !== "string") {
      console.warn(`portcullis: the discovery document of identity provider '${idp.id}' names another issuer or no jwks_uri`);
      throw unavailable();
    }
    return doc.jwks_uri;
  }
}

const unavailable = () =>
  new AuthFailure(503, "identity_provider_unavailable", "Cannot verify the identity token now: the identity provider's signing keys are unavailable", { retryAfter: 5 });
