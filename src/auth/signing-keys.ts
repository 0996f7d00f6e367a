import { generateKeyPairSync } from "node:crypto";
import { calculateJwkThumbprint, type JWK } from "jose";

/** What our access tokens may be signed with: ECDSA P-256 (widest support) or Ed25519. */
export const SIGNING_ALGORITHMS = ["ES256", "EdDSA"] as const;
export type SigningAlgorithm = (typeof SIGNING_ALGORITHMS)[number];
export const DEFAULT_SIGNING_ALGORITHM: SigningAlgorithm = "ES256";

export interface GeneratedSigningKey {
  /** The RFC 7638 thumbprint of the public key: stable, unique, and reveals nothing. */
  kid: string;
  alg: SigningAlgorithm;
  publicJwk: JWK;
  /** PKCS#8 PEM; sealed before it is stored. */
  privatePem: string;
}

export async function generateSigningKey(alg: SigningAlgorithm): Promise<GeneratedSigningKey> {
  const pair = alg === "ES256" ? generateKeyPairSync("ec", { namedCurve: "P-256" }) : generateKeyPairSync("ed25519");
  const publicJwk = pair.publicKey.export({ format: "jwk" }) as JWK;
  const kid = await calculateJwkThumbprint(publicJwk, "sha256");
  const privatePem = pair.privateKey.export({ format: "pem", type: "pkcs8" }).toString();
  return { kid, alg, publicJwk, privatePem };
}

/** A key as the JWKS publishes it. */
export function publishedJwk(kid: string, alg: string, publicJwk: JWK): JWK {
  return { ...publicJwk, kid, alg, use: "sig" };
}

/** Clock skew allowed between instances and verifiers when a retired key's last token expires. */
const ROTATION_SKEW_SECONDS = 60;

/** How long a retired key must stay trusted: the longest lifetime a token it signed may have. */
export function retiredKeyLifetime(defaultTtlSeconds: number, clientTtlSeconds: Iterable<number | undefined>): number {
  let longest = defaultTtlSeconds;
  for (const ttl of clientTtlSeconds) if (ttl !== undefined && ttl > longest) longest = ttl;
  return longest + ROTATION_SKEW_SECONDS;
}
