import { jwtVerify, type JWTPayload } from "jose";
import type { IdentityProviderRecord } from "../store/identity-providers.ts";
import { AuthFailure, invalidCredential, refusedCredential } from "./auth-failure.ts";
import type { IdentityProviderKeys } from "./identity-provider-keys.ts";
import { jwtFailure } from "./jwt-errors.ts";

/**
 * Asymmetric algorithms only: an HS* token "signed" with the IdP's public key as an HMAC secret
 * (algorithm confusion) and `alg: none` are refused before any key is looked at.
 */
export const IDP_ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA", "Ed25519"] as const;
export const DEFAULT_CLOCK_TOLERANCE_SECONDS = 30;

export interface VerifiedUser {
  identityProviderId: string;
  userId: string;
  /** Epoch ms. */
  expiresAt: number;
}

/**
 * Verifies a user's JWT against the providers that trust its issuer (usually one; several when
 * they differ by audience). The first that accepts it wins; otherwise the first one's reason.
 */
export async function verifyIdpToken(token: string, providers: readonly IdentityProviderRecord[], keys: IdentityProviderKeys): Promise<VerifiedUser> {
  let failure: AuthFailure | undefined;
  for (const idp of providers) {
    try {
      return await verifyWith(token, idp, keys);
    } catch (err) {
      const f = jwtFailure(err, "identity token");
      // A provider that is down must not hide another that can decide; a provider that verified
      // the signature (and refused a claim) says more than one whose keys do not match.
      if (!failure || (failure.status !== 401 && f.status === 401) || (failure.guess && !f.guess && f.status === 401)) failure = f;
    }
  }
  throw failure ?? invalidCredential("invalid_token", "No identity provider accepts this token");
}

async function verifyWith(token: string, idp: IdentityProviderRecord, keys: IdentityProviderKeys): Promise<VerifiedUser> {
  const { payload } = await jwtVerify(token, await keys.keyFunction(idp), {
    issuer: idp.issuer,
    audience: idp.audience,
    algorithms: idp.algorithms ?? [...IDP_ALGORITHMS],
    requiredClaims: ["exp"],
    clockTolerance: idp.clockToleranceSeconds ?? DEFAULT_CLOCK_TOLERANCE_SECONDS,
  });
  for (const [claim, required] of Object.entries(idp.requiredClaims ?? {})) {
    if (!claimHolds(claim, payload[claim], required)) {
      throw refusedCredential("invalid_token", `The identity token's '${claim}' claim does not include the value this proxy requires`);
    }
  }
  const user = payload[idp.userClaim];
  if ((typeof user !== "string" || user.trim() === "") && typeof user !== "number") {
    throw refusedCredential("invalid_token", `The identity token has no '${idp.userClaim}' claim naming the user`);
  }
  return { identityProviderId: idp.id, userId: String(user), expiresAt: (payload as Required<Pick<JWTPayload, "exp">>).exp * 1000 };
}

const SPACE_SEPARATED = new Set(["scope", "scp"]);

/** A scalar claim equals the value; an array claim (`groups`, `roles`) or an OAuth `scope` string contains it. */
function claimHolds(claim: string, value: unknown, required: string): boolean {
  if (Array.isArray(value)) return value.some((v) => String(v) === required);
  if (typeof value === "string") return value === required || (SPACE_SEPARATED.has(claim) && value.split(" ").includes(required));
  if (typeof value === "number" || typeof value === "boolean") return String(value) === required;
  return false;
}
