import { randomUUID } from "node:crypto";
import { jwtVerify, SignJWT, type JWTHeaderParameters } from "jose";
import type { ActiveSigner, TrustedSigningKey } from "../store/catalog.ts";
import { invalidCredential, refusedCredential } from "./auth-failure.ts";
import { jwtFailure } from "./jwt-errors.ts";
import { SIGNING_ALGORITHMS } from "./signing-keys.ts";

/** RFC 9068: the JWT profile for OAuth 2.0 access tokens. */
export const ACCESS_TOKEN_TYPE = "at+jwt";
/** Our tokens are verified by us: a small tolerance covers clock skew between instances. */
const CLOCK_TOLERANCE_SECONDS = 30;
const ALGORITHMS: string[] = [...SIGNING_ALGORITHMS];

export interface AccessTokenClaims {
  clientId: string;
  scopes: string[];
  /** Epoch ms. */
  issuedAt: number;
  /** Epoch ms. */
  expiresAt: number;
}

export interface NewAccessToken {
  issuer: string;
  clientId: string;
  scopes: readonly string[];
  ttlSeconds: number;
  /** Epoch seconds; now by default. */
  issuedAt?: number;
}

/** Signs an access token (RFC 9068 claims; the audience is this proxy, named by its issuer URL). */
export async function signAccessToken(signer: ActiveSigner, token: NewAccessToken): Promise<string> {
  const iat = token.issuedAt ?? Math.floor(Date.now() / 1000);
  return new SignJWT({ client_id: token.clientId, scope: token.scopes.join(" ") })
    .setProtectedHeader({ alg: signer.alg, kid: signer.kid, typ: ACCESS_TOKEN_TYPE })
    .setIssuer(token.issuer)
    .setSubject(token.clientId)
    .setAudience(token.issuer)
    .setIssuedAt(iat)
    .setExpirationTime(iat + token.ttlSeconds)
    .setJti(randomUUID())
    .sign(signer.privateKey);
}

/**
 * Verifies one of our access tokens: a key we publish (by `kid`, with its own algorithm, so an
 * ES256 key never verifies an EdDSA claim or the reverse), our issuer and audience, not expired.
 * Throws an AuthFailure saying what is wrong.
 */
export async function verifyAccessToken(token: string, issuer: string, keyFor: (kid: string) => TrustedSigningKey | undefined): Promise<AccessTokenClaims> {
  try {
    const { payload } = await jwtVerify(
      token,
      (header: JWTHeaderParameters) => {
        const key = typeof header.kid === "string" ? keyFor(header.kid) : undefined;
        if (!key) throw invalidCredential("invalid_token", "The access token names a signing key this proxy does not have (rotated out, or not ours)");
        if (key.alg !== header.alg) throw invalidCredential("invalid_token", "The access token's algorithm does not match its signing key");
        return key.publicKey;
      },
      {
        issuer,
        audience: issuer,
        algorithms: ALGORITHMS,
        typ: ACCESS_TOKEN_TYPE,
        requiredClaims: ["exp", "iat", "client_id"],
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
      },
    );
    if (typeof payload.client_id !== "string" || (payload.scope !== undefined && typeof payload.scope !== "string")) {
      throw refusedCredential("invalid_token", "The access token's claims are malformed");
    }
    return {
      clientId: payload.client_id,
      scopes: payload.scope ? payload.scope.split(" ").filter(Boolean) : [],
      issuedAt: payload.iat! * 1000,
      expiresAt: payload.exp! * 1000,
    };
  } catch (err) {
    throw jwtFailure(err, "access token");
  }
}
