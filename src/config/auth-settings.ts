import { DEFAULT_ACCESS_TOKEN_TTL_SECONDS } from "../auth/authenticator.ts";
import { DEFAULT_CLIENT_ADDRESS_HEADER, invalidTrustedProxy } from "../auth/client-address.ts";
import { DEFAULT_FAILED_ATTEMPT_LIMITS, type FailedAttemptLimits } from "../auth/failed-attempts.ts";
import { PROXY_SCOPE } from "../auth/scopes.ts";
import { DEFAULT_SIGNING_ALGORITHM, type SigningAlgorithm } from "../auth/signing-keys.ts";
import type { NewIdentityProvider } from "../store/identity-providers.ts";
import type { NewOAuthClient } from "../store/oauth-clients.ts";
import type { ConfigFile } from "./schema.ts";

/** How callers are authenticated: the `oauth` section and the address settings of `server`. */
export interface AuthSettings {
  /** Our issuer URL; the listening URL when absent. */
  issuer?: string;
  accessTokenTtlSeconds: number;
  signingAlgorithm: SigningAlgorithm;
  trustedProxies: string[];
  clientAddressHeader: string;
  failedAuthLimit: FailedAttemptLimits;
}

export type ConfigOAuthClient = NewOAuthClient & { clientId: string };

export const DEFAULT_USER_CLAIM = "sub";

/**
 * The auth settings from the file, with `PORTCULLIS_ISSUER` and `PORTCULLIS_TRUSTED_PROXIES`
 * (comma-separated) over it: deployments set those per environment.
 */
export function resolveAuthSettings(file: ConfigFile, env: NodeJS.ProcessEnv): AuthSettings {
  const issuer = env.PORTCULLIS_ISSUER || file.oauth?.issuer;
  if (issuer !== undefined && !/^https?:\/\/[^/]/.test(issuer)) throw new Error(`PORTCULLIS_ISSUER: expected an http(s) URL, got '${issuer}'`);
  let trustedProxies = file.server?.trustedProxies ?? [];
  if (env.PORTCULLIS_TRUSTED_PROXIES) {
    trustedProxies = env.PORTCULLIS_TRUSTED_PROXIES.split(",").map((s) => s.trim()).filter(Boolean);
    for (const entry of trustedProxies) {
      const problem = invalidTrustedProxy(entry);
      if (problem) throw new Error(`PORTCULLIS_TRUSTED_PROXIES: '${entry}': ${problem}`);
    }
  }
  const settings: AuthSettings = {
    accessTokenTtlSeconds: file.oauth?.accessTokenTtlSeconds ?? DEFAULT_ACCESS_TOKEN_TTL_SECONDS,
    signingAlgorithm: file.oauth?.signingAlgorithm ?? DEFAULT_SIGNING_ALGORITHM,
    trustedProxies,
    clientAddressHeader: (file.server?.clientAddressHeader ?? DEFAULT_CLIENT_ADDRESS_HEADER).toLowerCase(),
    failedAuthLimit: file.server?.failedAuthLimit ?? DEFAULT_FAILED_ATTEMPT_LIMITS,
  };
  if (issuer) settings.issuer = issuer.replace(/\/+$/, "");
  return settings;
}

export function configOAuthClients(file: ConfigFile): ConfigOAuthClient[] {
  return (file.oauthClients ?? []).map((c) => {
    const client: ConfigOAuthClient = { clientId: c.clientId, proxies: c.proxies, scopes: c.scopes ?? [PROXY_SCOPE], credentials: c.credentials ?? {} };
    if (c.name) client.name = c.name;
    if (c.clientSecret) client.secret = c.clientSecret;
    if (c.tokenTtlSeconds !== undefined) client.tokenTtlSeconds = c.tokenTtlSeconds;
    return client;
  });
}

export function configIdentityProviders(file: ConfigFile): NewIdentityProvider[] {
  return (file.identityProviders ?? []).map((i) => {
    const idp: NewIdentityProvider = {
      id: i.id,
      issuer: i.issuer,
      audience: typeof i.audience === "string" ? [i.audience] : i.audience,
      userClaim: i.userClaim ?? DEFAULT_USER_CLAIM,
      proxies: i.proxies,
    };
    if (i.jwksUri) idp.jwksUri = i.jwksUri;
    if (i.requiredClaims) idp.requiredClaims = i.requiredClaims;
    if (i.algorithms) idp.algorithms = i.algorithms;
    if (i.clockToleranceSeconds !== undefined) idp.clockToleranceSeconds = i.clockToleranceSeconds;
    return idp;
  });
}
