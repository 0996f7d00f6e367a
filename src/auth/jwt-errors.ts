import { errors } from "jose";
import { AuthFailure, invalidCredential, refusedCredential } from "./auth-failure.ts";

const CLAIM_NAMES: Record<string, string> = {
  iss: "issuer (iss)",
  aud: "audience (aud)",
  nbf: "not-before time (nbf)",
  iat: "issued-at time (iat)",
  exp: "expiry (exp)",
  typ: "type header (typ)",
};

/**
 * A jose verification error as the 401 a client reads: what was wrong with the token, never the
 * token. Anything that is not the token's fault (a JWKS that cannot be fetched) is a 503.
 */
export function jwtFailure(err: unknown, what: string): AuthFailure {
  if (err instanceof AuthFailure) return err;
  // Expiry and claim checks run after the signature verified: a genuine token, not a guess.
  if (err instanceof errors.JWTExpired) return refusedCredential("invalid_token", `The ${what} has expired`);
  if (err instanceof errors.JWTClaimValidationFailed) {
    const claim = CLAIM_NAMES[err.claim] ?? `'${err.claim}' claim`;
    if (err.claim === "nbf" || (err.claim === "iat" && err.reason === "check_failed")) {
      return refusedCredential("invalid_token", `The ${what} is not yet valid (${claim} is in the future)`);
    }
    const why = err.reason === "missing" ? "is missing" : "does not match what this proxy accepts";
    return refusedCredential("invalid_token", `The ${what}'s ${claim} ${why}`);
  }
  if (err instanceof errors.JOSEAlgNotAllowed) return invalidCredential("invalid_token", `The ${what}'s signing algorithm is not accepted`);
  if (err instanceof errors.JWSSignatureVerificationFailed) return invalidCredential("invalid_token", `The ${what}'s signature is invalid`);
  if (err instanceof errors.JWKSNoMatchingKey) return invalidCredential("invalid_token", `The ${what} names a signing key (kid) the issuer does not publish`);
  if (err instanceof errors.JWKSMultipleMatchingKeys) return invalidCredential("invalid_token", `The ${what} does not name its signing key (kid) and several match`);
  if (err instanceof errors.JWTInvalid || err instanceof errors.JWSInvalid || err instanceof errors.JOSENotSupported || err instanceof errors.JWKInvalid) {
    return invalidCredential("invalid_token", `The ${what} is malformed or uses an unsupported key`);
  }
  return new AuthFailure(503, "identity_provider_unavailable", `Cannot verify the ${what} now: the issuer's signing keys are unavailable`, { retryAfter: 5 });
}
