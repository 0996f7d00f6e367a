import assert from "node:assert/strict";
import { createPrivateKey, createPublicKey, type JsonWebKey } from "node:crypto";
import { test } from "node:test";
import { SignJWT } from "jose";
import type { ActiveSigner, TrustedSigningKey } from "../store/catalog.ts";
import { ACCESS_TOKEN_TYPE, signAccessToken, verifyAccessToken } from "./access-tokens.ts";
import { AuthFailure } from "./auth-failure.ts";
import { generateSigningKey, type SigningAlgorithm } from "./signing-keys.ts";

const ISSUER = "https://proxy.example";

async function keyPair(alg: SigningAlgorithm): Promise<{ signer: ActiveSigner; trusted: TrustedSigningKey }> {
  const key = await generateSigningKey(alg);
  return {
    signer: { kid: key.kid, alg, privateKey: createPrivateKey(key.privatePem) },
    trusted: { kid: key.kid, alg, publicKey: createPublicKey({ key: key.publicJwk as JsonWebKey, format: "jwk" }), notAfter: Infinity },
  };
}

async function reason(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof AuthFailure, String(err));
    assert.equal(err.status, 401);
    return err.message;
  }
  throw new Error("expected a rejection");
}

for (const alg of ["ES256", "EdDSA"] as const) {
  test(`${alg}: a token we sign verifies, with RFC 9068 claims and the kid in the header`, async () => {
    const { signer, trusted } = await keyPair(alg);
    const token = await signAccessToken(signer, { issuer: ISSUER, clientId: "bot", scopes: ["llm:proxy"], ttlSeconds: 600 });
    const header = JSON.parse(Buffer.from(token.split(".")[0], "base64url").toString());
    assert.deepEqual(header, { alg, kid: signer.kid, typ: ACCESS_TOKEN_TYPE });
    const payload = JSON.parse(Buffer.from(token.split(".")[1], "base64url").toString());
    assert.equal(payload.iss, ISSUER);
    assert.equal(payload.aud, ISSUER);
    assert.equal(payload.sub, "bot");
    assert.equal(payload.client_id, "bot");
    assert.equal(payload.exp - payload.iat, 600);
    assert.match(payload.jti, /^[0-9a-f-]{36}$/);
    const claims = await verifyAccessToken(token, ISSUER, (kid) => (kid === trusted.kid ? trusted : undefined));
    assert.deepEqual(claims.scopes, ["llm:proxy"]);
    assert.equal(claims.clientId, "bot");
    assert.equal(claims.expiresAt, payload.exp * 1000);
  });
}

test("every way a token can be wrong is a 401 with a reason", async () => {
  const { signer, trusted } = await keyPair("ES256");
  const other = await keyPair("ES256");
  const ed = await keyPair("EdDSA");
  const keyFor = (kid: string) => (kid === trusted.kid ? trusted : kid === ed.trusted.kid ? ed.trusted : undefined);
  const now = Math.floor(Date.now() / 1000);
  const sign = (claims: Record<string, unknown>, header: Record<string, unknown> = {}, key = signer.privateKey) =>
    new SignJWT({ client_id: "bot", scope: "llm:proxy", iss: ISSUER, aud: ISSUER, iat: now, exp: now + 600, ...claims })
      .setProtectedHeader({ alg: "ES256", kid: signer.kid, typ: ACCESS_TOKEN_TYPE, ...header })
      .sign(key);

  assert.match(await reason(verifyAccessToken(await sign({}, {}, other.signer.privateKey), ISSUER, keyFor)), /signature is invalid/);
  assert.match(await reason(verifyAccessToken(await sign({}, { kid: "unknown" }), ISSUER, keyFor)), /signing key this proxy does not have/);
  assert.match(await reason(verifyAccessToken(await sign({}, { kid: ed.signer.kid }), ISSUER, keyFor)), /algorithm does not match/);
  assert.match(await reason(verifyAccessToken(await sign({ exp: now - 120 }), ISSUER, keyFor)), /has expired/);
  assert.match(await reason(verifyAccessToken(await sign({ iss: "https://evil.example" }), ISSUER, keyFor)), /issuer \(iss\)/);
  assert.match(await reason(verifyAccessToken(await sign({ aud: "someone-else" }), ISSUER, keyFor)), /audience \(aud\)/);
  assert.match(await reason(verifyAccessToken(await sign({}, { typ: "JWT" }), ISSUER, keyFor)), /type header/);
  assert.match(await reason(verifyAccessToken(await sign({ client_id: undefined }), ISSUER, keyFor)), /'client_id' claim is missing/);
  const tampered = (await sign({})).replace(/\.([^.]+)\./, (_m, p: string) => `.${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(p, "base64url").toString()), client_id: "admin" })).toString("base64url")}.`);
  assert.match(await reason(verifyAccessToken(tampered, ISSUER, keyFor)), /signature is invalid/);
  const none = `${Buffer.from(JSON.stringify({ alg: "none", kid: signer.kid, typ: ACCESS_TOKEN_TYPE })).toString("base64url")}.${(await sign({})).split(".")[1]}.`;
  assert.match(await reason(verifyAccessToken(none, ISSUER, keyFor)), /algorithm is not accepted|malformed/);
});
