import { createHash, createPrivateKey, createPublicKey, timingSafeEqual, type JsonWebKey, type KeyObject } from "node:crypto";
import type { JWK } from "jose";
import { publishedJwk, type SigningAlgorithm } from "../auth/signing-keys.ts";
import { loadCredentialSecrets } from "./credentials.ts";
import type { Store } from "./db.ts";
import { listIdentityProviders, type IdentityProviderRecord } from "./identity-providers.ts";
import { getCatalogVersion } from "./meta.ts";
import { listOAuthClients, touchOAuthClients, type StoredOAuthClient } from "./oauth-clients.ts";
import { listProxies } from "./proxies.ts";
import { loadAllPolicies } from "./policies.ts";
import { compileProxyPolicies, emptyPolicies, type CompiledProxyPolicies } from "../policies/compile-policies.ts";
import type { SecretBox } from "./secret-box.ts";
import { loadSigningKeys, type LoadedSigningKey } from "./signing-keys.ts";
import type { CredentialSecret, ProxyRecord, VirtualKeyRecord } from "./types.ts";
import { listVirtualKeys, touchVirtualKeys } from "./virtual-keys.ts";

export type KeyVerdict = { key: VirtualKeyRecord } | { error: "unknown" | "revoked" | "expired" };

interface KeyEntry {
  record: VirtualKeyRecord;
  digest: Buffer;
  /** Epoch ms, or Infinity for a key that never expires. */
  expiresAt: number;
}

/** An OAuth client with what checking its secret and its tokens needs, precomputed. */
export interface OAuthClientEntry {
  client: StoredOAuthClient;
  secretDigest: Buffer;
  /** The secret replaced by a rotation, while its grace period lasts. */
  previousDigest?: Buffer;
  /** Epoch ms; 0 when no grace period runs. */
  previousUntil: number;
  /** Epoch ms (a whole second): tokens issued before it are refused; 0 when none are. */
  tokensValidAfter: number;
}

/** A public key our tokens may carry in `kid`. */
export interface TrustedSigningKey {
  kid: string;
  alg: SigningAlgorithm;
  publicKey: KeyObject;
  /** Epoch ms after which it is no longer trusted (Infinity for the key that signs). */
  notAfter: number;
}

/** The key new tokens are signed with. */
export interface ActiveSigner {
  kid: string;
  alg: SigningAlgorithm;
  privateKey: KeyObject;
}

interface Snapshot {
  version: string;
  proxies: Map<string, ProxyRecord>;
  credentials: Map<string, CredentialSecret>;
  keys: Map<string, KeyEntry>;
  oauthClients: Map<string, OAuthClientEntry>;
  identityProviders: Map<string, IdentityProviderRecord>;
  identityProvidersByIssuer: Map<string, IdentityProviderRecord[]>;
  signingKeys: Map<string, TrustedSigningKey>;
  signer?: ActiveSigner;
  jwks: JWK[];
  /** Each proxy's policies, compiled once per load. */
  policies: Map<string, CompiledProxyPolicies>;
}

export interface CatalogOptions {
  /** How often uses of keys are written to `last_used_at`. */
  touchIntervalMs?: number;
}

/**
 * The in-memory view of proxies, credentials and keys that the request path reads: no database
 * round trip per request. Secrets are opened once per load. An admin change bumps the catalog
 * version; `watch` polls it so every instance reloads within an interval.
 */
export class Catalog {
  readonly #store: Store;
  readonly #box: SecretBox;
  #snapshot: Snapshot;
  #used = new Set<string>();
  #usedClients = new Set<string>();
  #generation = 0;
  #touchTimer: NodeJS.Timeout | undefined;
  #watchTimer: NodeJS.Timeout | undefined;
  #reloading: Promise<void> | undefined;
  readonly #touchIntervalMs: number;

  private constructor(store: Store, box: SecretBox, snapshot: Snapshot, options: CatalogOptions) {
    this.#store = store;
    this.#box = box;
    this.#snapshot = snapshot;
    this.#touchIntervalMs = options.touchIntervalMs ?? 1000;
  }

  /** Loads the catalog; throws when a stored secret cannot be opened with this box's key. */
  static async load(store: Store, box: SecretBox, options: CatalogOptions = {}): Promise<Catalog> {
    return new Catalog(store, box, await readSnapshot(store, box), options);
  }

  /** The catalog version this snapshot was read at. */
  get version(): string {
    return this.#snapshot.version;
  }

  proxy(id: string): ProxyRecord | undefined {
    return this.#snapshot.proxies.get(id);
  }

  credential(id: string): CredentialSecret | undefined {
    return this.#snapshot.credentials.get(id);
  }

  /** Moves on every reload: caches derived from the snapshot compare it to know they are stale. */
  get generation(): number {
    return this.#generation;
  }

  verifyVirtualKey(plaintext: string): KeyVerdict {
    return this.verifyVirtualKeyDigest(createHash("sha256").update(plaintext).digest());
  }

  /** As verifyVirtualKey, from the key's sha256 (the caller hashed it once for several lookups). */
  verifyVirtualKeyDigest(digest: Buffer, hex: string = digest.toString("hex")): KeyVerdict {
    const entry = this.#snapshot.keys.get(hex);
    // The map lookup is keyed by the digest; the equal-time compare keeps the final check free of
    // early-exit timing even so.
    if (!entry || !timingSafeEqual(entry.digest, digest)) return { error: "unknown" };
    if (entry.record.revokedAt) return { error: "revoked" };
    if (entry.expiresAt <= Date.now()) return { error: "expired" };
    return { key: entry.record };
  }

  oauthClient(clientId: string): OAuthClientEntry | undefined {
    return this.#snapshot.oauthClients.get(clientId);
  }

  identityProvider(id: string): IdentityProviderRecord | undefined {
    return this.#snapshot.identityProviders.get(id);
  }

  /** The identity providers that trust tokens of this issuer (several may, with other audiences). */
  identityProvidersForIssuer(issuer: string): readonly IdentityProviderRecord[] | undefined {
    return this.#snapshot.identityProvidersByIssuer.get(issuer);
  }

  /** A key our tokens may name, while it is trusted. */
  signingKey(kid: string): TrustedSigningKey | undefined {
    const key = this.#snapshot.signingKeys.get(kid);
    return key && key.notAfter > Date.now() ? key : undefined;
  }

  /** The key new access tokens are signed with. */
  signer(): ActiveSigner | undefined {
    return this.#snapshot.signer;
  }

  /** The public keys to publish (RFC 7517 key set members). */
  jwks(): readonly JWK[] {
    const now = Date.now();
    return this.#snapshot.jwks.filter((k) => (this.#snapshot.signingKeys.get(k.kid!)?.notAfter ?? 0) > now);
  }

  /** A proxy's security policies, compiled (a proxy without any gets the defaults: nothing trusted, guardrails off). */
  policiesFor(proxyId: string): CompiledProxyPolicies {
    let p = this.#snapshot.policies.get(proxyId);
    if (p) return p;
    p = emptyPolicies(proxyId);
    // Only proxies that exist are remembered: a stranger's made-up ids must not grow the map.
    if (this.#snapshot.proxies.has(proxyId)) this.#snapshot.policies.set(proxyId, p);
    return p;
  }

  /** The credential for a provider: the key's own mapping first, then the proxy's. */
  resolveCredential(proxyId: string, keyMapping: Record<string, string> | undefined, provider: string): CredentialSecret | undefined {
    const id = keyMapping?.[provider] ?? this.#snapshot.proxies.get(proxyId)?.credentials[provider];
    return id === undefined ? undefined : this.#snapshot.credentials.get(id);
  }

  /** Providers the caller can reach through this proxy (a mapped credential that exists). */
  providersFor(proxyId: string, keyMapping: Record<string, string> | undefined): string[] {
    const out: string[] = [];
    const { credentials } = this.#snapshot;
    const add = (mapping: Record<string, string> | undefined) => {
      for (const provider in mapping) {
        if (!out.includes(provider) && credentials.has(mapping[provider])) out.push(provider);
      }
    };
    add(keyMapping);
    add(this.#snapshot.proxies.get(proxyId)?.credentials);
    return out;
  }

  /** Notes that a key was used; written to the database in a batch, off the request path. */
  markUsed(keyId: string): void {
    this.#used.add(keyId);
    this.#scheduleTouch();
  }

  /** Notes that an OAuth client obtained a token; written like key uses. */
  markClientUsed(clientId: string): void {
    this.#usedClients.add(clientId);
    this.#scheduleTouch();
  }

  #scheduleTouch(): void {
    if (!this.#touchTimer) {
      this.#touchTimer = setTimeout(() => void this.flushUsage(), this.#touchIntervalMs);
      this.#touchTimer.unref();
    }
  }

  /** Writes pending key uses now. */
  async flushUsage(): Promise<void> {
    if (this.#touchTimer) clearTimeout(this.#touchTimer);
    this.#touchTimer = undefined;
    const ids = [...this.#used];
    const clientIds = [...this.#usedClients];
    this.#used.clear();
    this.#usedClients.clear();
    const at = new Date().toISOString();
    try {
      await touchVirtualKeys(this.#store, ids, at);
      await touchOAuthClients(this.#store, clientIds, at);
    } catch (err) {
      console.error(`portcullis: recording key use failed: ${(err as Error).message}`);
    }
  }

  /**
   * Re-reads everything; the old snapshot serves requests until the new one is complete. Reloads
   * queue rather than join: one asked for after a write must read after that write.
   */
  reload(): Promise<void> {
    const previous = this.#reloading;
    const next = (async () => {
      if (previous) await previous.catch(() => {});
      this.#snapshot = await readSnapshot(this.#store, this.#box);
      this.#generation++;
    })();
    this.#reloading = next;
    const settle = () => {
      if (this.#reloading === next) this.#reloading = undefined;
    };
    next.then(settle, settle);
    return next;
  }

  /** Reloads when the catalog version in the database differs from the one loaded. */
  async refresh(): Promise<boolean> {
    const version = await getCatalogVersion(this.#store);
    if (version === this.#snapshot.version) return false;
    await this.reload();
    return true;
  }

  /** Polls the catalog version so changes made by other instances arrive within `intervalMs`. */
  watch(intervalMs = 1000): void {
    this.unwatch();
    let busy = false;
    this.#watchTimer = setInterval(async () => {
      if (busy) return;
      busy = true;
      try {
        await this.refresh();
      } catch (err) {
        console.error(`portcullis: catalog reload failed, serving the previous one: ${(err as Error).message}`);
      } finally {
        busy = false;
      }
    }, intervalMs);
    this.#watchTimer.unref();
  }

  unwatch(): void {
    if (this.#watchTimer) clearInterval(this.#watchTimer);
    this.#watchTimer = undefined;
  }

  /** Stops polling and writes pending key uses. */
  async close(): Promise<void> {
    this.unwatch();
    if (this.#reloading) await this.#reloading.catch(() => {});
    await this.flushUsage();
  }
}

async function readSnapshot(store: Store, box: SecretBox): Promise<Snapshot> {
  // The version is read first: a change racing with this read leaves the version behind, so the
  // next poll reloads again rather than missing it.
  const version = await getCatalogVersion(store);
  const [proxies, credentials, keys, clients, idps, signingKeys, policies] = await Promise.all([
    listProxies(store),
    loadCredentialSecrets(store, box),
    listVirtualKeys(store),
    listOAuthClients(store),
    listIdentityProviders(store),
    loadSigningKeys(store, box),
    loadAllPolicies(store),
  ]);
  return {
    version,
    oauthClients: new Map(clients.map((c) => [c.clientId, clientEntry(c)])),
    identityProviders: new Map(idps.map((i) => [i.id, i])),
    identityProvidersByIssuer: groupBy(idps, (i) => i.issuer),
    signingKeys: new Map(signingKeys.map((k) => [k.kid, trustedKey(k)])),
    signer: signerOf(signingKeys),
    jwks: signingKeys.map((k) => publishedJwk(k.kid, k.alg, k.publicJwk)),
    proxies: new Map(proxies.map((p) => [p.id, p])),
    policies: new Map([...policies].map(([id, p]) => [id, compileProxyPolicies(p, (m) => console.error(`portcullis: ${m}`))])),
    credentials: new Map(credentials.map((c) => [c.id, c])),
    keys: new Map(
      keys.map((k) => [
        k.hash,
        { record: k, digest: Buffer.from(k.hash, "hex"), expiresAt: k.expiresAt ? Date.parse(k.expiresAt) : Number.POSITIVE_INFINITY },
      ]),
    ),
  };
}

function clientEntry(client: StoredOAuthClient): OAuthClientEntry {
  const entry: OAuthClientEntry = {
    client,
    secretDigest: Buffer.from(client.secretHash, "hex"),
    previousUntil: 0,
    // Rounded up to the second: a token's `iat` has whole seconds, so one issued in the second of
    // the revocation may predate it. The token endpoint dates new tokens from this second on.
    tokensValidAfter: client.tokensValidAfter ? Math.ceil(Date.parse(client.tokensValidAfter) / 1000) * 1000 : 0,
  };
  if (client.previousSecretHash && client.previousSecretExpiresAt) {
    entry.previousDigest = Buffer.from(client.previousSecretHash, "hex");
    entry.previousUntil = Date.parse(client.previousSecretExpiresAt);
  }
  return entry;
}

function trustedKey(key: LoadedSigningKey): TrustedSigningKey {
  return {
    kid: key.kid,
    alg: key.alg,
    publicKey: createPublicKey({ key: key.publicJwk as JsonWebKey, format: "jwk" }),
    notAfter: key.notAfter ? Date.parse(key.notAfter) : Number.POSITIVE_INFINITY,
  };
}

function signerOf(keys: readonly LoadedSigningKey[]): ActiveSigner | undefined {
  const active = keys.find((k) => k.privatePem !== undefined);
  return active && { kid: active.kid, alg: active.alg, privateKey: createPrivateKey(active.privatePem!) };
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}
