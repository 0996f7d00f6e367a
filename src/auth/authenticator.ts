import { timingSafeEqual } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import type { ActiveSigner, OAuthClientEntry } from "../store/catalog.ts";
import type { IdentityProviderRecord } from "../store/identity-providers.ts";
import type { StoredOAuthClient } from "../store/oauth-clients.ts";
import type { VirtualKeyRecord } from "../store/types.ts";
import { signAccessToken, verifyAccessToken } from "./access-tokens.ts";
import { AuthFailure, invalidCredential, refusedCredential } from "./auth-failure.ts";
import { classifyPresentedKey, type KeyClassifierView } from "./classify-presented-key.ts";
import { clientAddressResolver, DEFAULT_CLIENT_ADDRESS_HEADER, type ClientAddressOptions } from "./client-address.ts";
import { DEFAULT_FAILED_ATTEMPT_LIMITS, FailedAttempts, type FailedAttemptLimits } from "./failed-attempts.ts";
import { IdentityProviderKeys, type IdentityProviderKeysOptions } from "./identity-provider-keys.ts";
import { peekJwt } from "./peek-jwt.ts";
import { secretDigest } from "./secrets.ts";
import { TokenCache } from "./token-cache.ts";
import { verifyIdpToken } from "./verify-idp-token.ts";

/** What the authenticator reads: the in-memory catalog (no database round trip). */
export interface AuthCatalog extends KeyClassifierView {
  /** Moves whenever the catalog reloads. */
  readonly generation: number;
  oauthClient(clientId: string): OAuthClientEntry | undefined;
  identityProvider(id: string): IdentityProviderRecord | undefined;
  signer(): ActiveSigner | undefined;
  markClientUsed(clientId: string): void;
  /** Reloads when the stored catalog moved on (another instance changed something); true if it did. */
  refresh?(): Promise<boolean>;
}

/** An unknown kid or client forces a catalog check at most this often (it costs a query). */
const FORCED_REFRESH_INTERVAL_MS = 1000;

export const DEFAULT_ACCESS_TOKEN_TTL_SECONDS = 900;

export interface AuthenticatorOptions {
  /** Our issuer URL (`iss` of our tokens, RFC 8414 metadata); may be set once the server listens. */
  issuer?: string;
  accessTokenTtlSeconds?: number;
  failedAttempts?: FailedAttemptLimits;
  clientAddress?: Partial<ClientAddressOptions>;
  identityProviderKeys?: IdentityProviderKeysOptions;
  /** Verified tokens kept at most (each until it expires, or 5 minutes). */
  tokenCacheSize?: number;
}

/** Who a presented key turned out to be; `foreign` is a key that is not ours (see classifyPresentedKey). */
export type Identity =
  | { method: "virtual-key"; key: VirtualKeyRecord }
  | { method: "oauth-client"; client: StoredOAuthClient; scopes: readonly string[] }
  | { method: "idp-user"; idp: IdentityProviderRecord; userId: string }
  | { method: "foreign"; jwt?: true };

/** A token whose signature and claims were verified: what the cache keeps. */
type VerifiedToken = { kind: "oauth"; clientId: string; scopes: readonly string[]; issuedAt: number } | { kind: "idp"; idpId: string; userId: string };

const NO_DIGEST = Buffer.alloc(32);

/**
 * Tells callers apart: virtual keys, our OAuth access tokens, identity provider JWTs, and keys
 * that are not ours. Verification reads only the in-memory catalog; a verified token is cached
 * (by its hash) so its signature is checked once, while what it may do — its client still
 * enabled, its provider still configured — is looked up on every request, so a change made
 * through the admin API applies as soon as the catalog reloads (within a second everywhere).
 */
export class Authenticator {
  readonly #catalog: AuthCatalog;
  readonly #tokens: TokenCache<VerifiedToken>;
  readonly #idpKeys: IdentityProviderKeys;
  readonly #ttlSeconds: number;
  readonly #address: (peer: string | undefined, headers: IncomingHttpHeaders) => string;
  #generation: number;
  #issuer: string | undefined;
  #lastForcedRefresh = 0;
  /** Failed attempts per client address (in memory, per instance). */
  readonly failures: FailedAttempts;

  constructor(catalog: AuthCatalog, options: AuthenticatorOptions = {}) {
    this.#catalog = catalog;
    this.#generation = catalog.generation;
    this.#issuer = options.issuer;
    this.#ttlSeconds = options.accessTokenTtlSeconds ?? DEFAULT_ACCESS_TOKEN_TTL_SECONDS;
    this.#tokens = new TokenCache(options.tokenCacheSize);
    this.#idpKeys = new IdentityProviderKeys(options.identityProviderKeys);
    this.failures = new FailedAttempts(options.failedAttempts ?? DEFAULT_FAILED_ATTEMPT_LIMITS);
    this.#address = clientAddressResolver({
      trustedProxies: options.clientAddress?.trustedProxies ?? [],
      header: options.clientAddress?.header ?? DEFAULT_CLIENT_ADDRESS_HEADER,
    });
  }

  get issuer(): string {
    if (this.#issuer === undefined) throw new Error("the OAuth issuer is not set");
    return this.#issuer;
  }

  set issuer(value: string) {
    this.#issuer = value.replace(/\/+$/, "");
  }

  get accessTokenTtlSeconds(): number {
    return this.#ttlSeconds;
  }

  /** The client's address (see clientAddressResolver); undefined when the socket's is not known. */
  clientAddress(headers: IncomingHttpHeaders, peer: string | undefined): string | undefined {
    return peer === undefined ? undefined : this.#address(peer, headers);
  }

  /** Seconds the client must wait before authenticating again; 0 when it may now. */
  retryAfter(headers: IncomingHttpHeaders, peer?: string): number {
    if (!this.failures.active) return 0;
    const address = this.clientAddress(headers, peer);
    return address === undefined ? 0 : this.failures.retryAfter(address);
  }

  /**
   * Counts a failed attempt against the client's address. Without a known address nothing is
   * counted: one shared bucket would let a single guesser lock everyone out.
   */
  recordFailure(headers: IncomingHttpHeaders, peer?: string): void {
    const address = this.clientAddress(headers, peer);
    if (address !== undefined) this.failures.record(address);
  }

  /**
   * Who presents this key. Synchronous for virtual keys, foreign keys and tokens verified before;
   * a promise while a token's signature is checked. Throws AuthFailure (401 with the reason, or
   * 503 when an identity provider's keys cannot be fetched).
   */
  identify(key: string): Identity | Promise<Identity> {
    this.#sync();
    const digest = secretDigest(key);
    const hex = digest.toString("hex");
    const verified = this.#tokens.get(hex);
    if (verified) return this.#authorize(verified);
    const presented = classifyPresentedKey(key, this.#catalog, this.#issuer, digest, hex);
    switch (presented.kind) {
      case "virtual-key":
        return { method: "virtual-key", key: presented.key };
      case "foreign":
        return presented.jwt ? { method: "foreign", jwt: true } : { method: "foreign" };
      case "invalid-ours":
        throw presented.guess ? invalidCredential("invalid_api_key", presented.message) : refusedCredential("invalid_api_key", presented.message);
      case "oauth-token":
        return this.#verifyOurs(key, hex);
      case "idp-token":
        return this.#verifyIdp(key, hex, presented.providers);
    }
  }

  /**
   * Another instance may have just created a client or rotated the signing key: its change
   * reaches this one within a second, but a token or a client id naming it can come sooner.
   * Checks the stored catalog now, at most once a second (so junk cannot turn into queries).
   */
  async catchUp(): Promise<void> {
    const now = Date.now();
    if (!this.#catalog.refresh || now - this.#lastForcedRefresh < FORCED_REFRESH_INTERVAL_MS) return;
    this.#lastForcedRefresh = now;
    try {
      if (await this.#catalog.refresh()) this.#sync();
    } catch (err) {
      console.error(`portcullis: catalog refresh failed: ${(err as Error).message}`);
    }
  }

  /** The client whose secret this is (the current one, or the previous during its grace period). */
  authenticateClient(clientId: string, secret: string): OAuthClientEntry | undefined {
    const entry = this.#catalog.oauthClient(clientId);
    const digest = secretDigest(secret);
    if (!entry) {
      // Same work as for a known client: response time says nothing about which ids exist.
      timingSafeEqual(digest, NO_DIGEST);
      return undefined;
    }
    if (timingSafeEqual(entry.secretDigest, digest)) return entry;
    if (entry.previousDigest && entry.previousUntil > Date.now() && timingSafeEqual(entry.previousDigest, digest)) return entry;
    return undefined;
  }

  /** Signs an access token for the client (already authenticated, enabled, scopes granted). */
  async issueAccessToken(entry: OAuthClientEntry, scopes: readonly string[]): Promise<{ token: string; expiresIn: number }> {
    const signer = this.#catalog.signer();
    if (!signer) throw new AuthFailure(503, "temporarily_unavailable", "No signing key is available yet");
    const ttlSeconds = entry.client.tokenTtlSeconds ?? this.#ttlSeconds;
    // Never dated before a revocation of the client's tokens (see OAuthClientEntry.tokensValidAfter).
    const issuedAt = Math.max(Math.floor(Date.now() / 1000), entry.tokensValidAfter / 1000);
    const clientId = entry.client.clientId;
    const token = await signAccessToken(signer, { issuer: this.issuer, clientId, scopes, ttlSeconds, issuedAt });
    this.#catalog.markClientUsed(clientId);
    this.#sync();
    // This instance will see the token first: it need not verify its own signature.
    this.#tokens.set(secretDigest(token).toString("hex"), { kind: "oauth", clientId, scopes, issuedAt: issuedAt * 1000 }, (issuedAt + ttlSeconds) * 1000);
    return { token, expiresIn: ttlSeconds };
  }

  /** A catalog reload may have changed keys, issuers or audiences: tokens verified before are re-verified. */
  #sync(): void {
    const generation = this.#catalog.generation;
    if (generation === this.#generation) return;
    this.#generation = generation;
    this.#tokens.clear();
    this.#idpKeys.retain((id) => this.#catalog.identityProvider(id) !== undefined);
  }

  async #verifyOurs(token: string, hex: string): Promise<Identity> {
    const kid = peekJwt(token)?.header.kid;
    if (typeof kid !== "string" || !this.#catalog.signingKey(kid)) await this.catchUp();
    const generation = this.#generation;
    const claims = await verifyAccessToken(token, this.issuer, (k) => this.#catalog.signingKey(k));
    if (!this.#catalog.oauthClient(claims.clientId)) await this.catchUp();
    const verified: VerifiedToken = { kind: "oauth", clientId: claims.clientId, scopes: claims.scopes, issuedAt: claims.issuedAt };
    if (generation === this.#catalog.generation) this.#tokens.set(hex, verified, claims.expiresAt);
    return this.#authorize(verified);
  }

  async #verifyIdp(token: string, hex: string, providers: readonly IdentityProviderRecord[]): Promise<Identity> {
    const generation = this.#generation;
    const user = await verifyIdpToken(token, providers, this.#idpKeys);
    const verified: VerifiedToken = { kind: "idp", idpId: user.identityProviderId, userId: user.userId };
    if (generation === this.#catalog.generation) this.#tokens.set(hex, verified, user.expiresAt);
    return this.#authorize(verified);
  }

  /** What a verified token may do now, from the current catalog. */
  #authorize(token: VerifiedToken): Identity {
    if (token.kind === "idp") {
      const idp = this.#catalog.identityProvider(token.idpId);
      if (!idp) throw refusedCredential("invalid_token", "The identity provider of this token is no longer trusted");
      return { method: "idp-user", idp, userId: token.userId };
    }
    const entry = this.#catalog.oauthClient(token.clientId);
    if (!entry) throw refusedCredential("invalid_token", "The OAuth client of this access token no longer exists");
    if (entry.client.disabledAt) throw refusedCredential("invalid_token", "The OAuth client of this access token is disabled");
    if (token.issuedAt < entry.tokensValidAfter) throw refusedCredential("invalid_token", "This access token has been revoked");
    return { method: "oauth-client", client: entry.client, scopes: token.scopes };
  }
}
