import type { KeyVerdict, TrustedSigningKey } from "../store/catalog.ts";
import type { IdentityProviderRecord } from "../store/identity-providers.ts";
import type { VirtualKeyRecord } from "../store/types.ts";
import { peekJwt } from "./peek-jwt.ts";
import { secretDigest } from "./secrets.ts";
import { VIRTUAL_KEY_PREFIX } from "./virtual-keys.ts";

/** What classification reads: the in-memory catalog. */
export interface KeyClassifierView {
  verifyVirtualKeyDigest(digest: Buffer, hex?: string): KeyVerdict;
  signingKey(kid: string): TrustedSigningKey | undefined;
  identityProvidersForIssuer(issuer: string): readonly IdentityProviderRecord[] | undefined;
}

/**
 * Whose a presented key is. `foreign` is not ours at all (a provider's API key, a JWT of an issuer
 * we do not trust, e.g. an Azure AD token for Azure OpenAI): passthrough routes forward it as the
 * client's own provider key. `invalid-ours` is ours but unusable (our `pk-` format or a stored key
 * that is unknown, revoked or expired; a JWT of our issuer or signed by one of our keys): always
 * refused, never forwarded. Tokens are classified here and verified by the caller.
 */
export type PresentedKey =
  | { kind: "virtual-key"; key: VirtualKeyRecord }
  | { kind: "oauth-token" }
  | { kind: "idp-token"; providers: readonly IdentityProviderRecord[] }
  /** `jwt`: a JWT of an issuer we do not trust (an Azure AD token, say), rather than an opaque key. */
  | { kind: "foreign"; jwt?: true }
  | { kind: "invalid-ours"; message: string; guess: boolean };

const KEY_REASONS = {
  unknown: "Invalid API key: no virtual key matches it",
  revoked: "Invalid API key: this virtual key has been revoked",
  expired: "Invalid API key: this virtual key has expired",
} as const;

export function classifyPresentedKey(
  key: string,
  view: KeyClassifierView,
  issuer: string | undefined,
  digest: Buffer = secretDigest(key),
  hex: string = digest.toString("hex"),
): PresentedKey {
  const verdict = view.verifyVirtualKeyDigest(digest, hex);
  if ("key" in verdict) return { kind: "virtual-key", key: verdict.key };
  // A stored key (revoked or expired) is ours whatever its format; an unknown one only when it has ours.
  if (verdict.error !== "unknown" || key.startsWith(VIRTUAL_KEY_PREFIX)) {
    return { kind: "invalid-ours", message: KEY_REASONS[verdict.error], guess: verdict.error === "unknown" };
  }
  const jwt = peekJwt(key);
  if (!jwt) return { kind: "foreign" };
  const { kid } = jwt.header;
  const { iss } = jwt.payload;
  if ((typeof kid === "string" && view.signingKey(kid)) || (issuer !== undefined && iss === issuer)) return { kind: "oauth-token" };
  const providers = typeof iss === "string" ? view.identityProvidersForIssuer(iss) : undefined;
  if (providers?.length) return { kind: "idp-token", providers };
  return { kind: "foreign", jwt: true };
}
