import assert from "node:assert/strict";
import { test } from "node:test";
import type { KeyVerdict, TrustedSigningKey } from "../store/catalog.ts";
import type { IdentityProviderRecord } from "../store/identity-providers.ts";
import type { VirtualKeyRecord } from "../store/types.ts";
import { classifyPresentedKey, type KeyClassifierView } from "./classify-presented-key.ts";
import { hashSecret } from "./secrets.ts";

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");
const jwt = (header: object, payload: object) => `${b64(header)}.${b64(payload)}.c2lnbmF0dXJl`;

const record = (name: string, key: string, extra: Partial<VirtualKeyRecord> = {}): VirtualKeyRecord => ({
  id: name,
  name,
  hash: hashSecret(key),
  prefix: "",
  proxies: ["default"],
  credentials: {},
  createdAt: "2026-01-01T00:00:00Z",
  ...extra,
});

const keys = [
  record("live", "pk-live-0123456789abcdef"),
  record("custom", "my-own-config-key-0123456789"),
  record("revoked", "pk-revoked-0123456789abcd", { revokedAt: "2026-01-02T00:00:00Z" }),
  record("expired-custom", "expired-config-key-0123456789", { expiresAt: "2026-01-02T00:00:00Z" }),
];
const idp = { id: "corp", issuer: "https://login.corp.example/" } as IdentityProviderRecord;

const view: KeyClassifierView = {
  verifyVirtualKeyDigest(digest: Buffer): KeyVerdict {
    const found = keys.find((k) => k.hash === digest.toString("hex"));
    if (!found) return { error: "unknown" };
    if (found.revokedAt) return { error: "revoked" };
    if (found.expiresAt) return { error: "expired" };
    return { key: found };
  },
  signingKey: (kid) => (kid === "our-kid" ? ({ kid } as TrustedSigningKey) : undefined),
  identityProvidersForIssuer: (iss) => (iss === idp.issuer ? [idp] : undefined),
};

const classify = (key: string) => classifyPresentedKey(key, view, "https://proxy.example");

test("our virtual keys, whatever their format", () => {
  assert.equal(classify("pk-live-0123456789abcdef").kind, "virtual-key");
  assert.equal(classify("my-own-config-key-0123456789").kind, "virtual-key");
});

test("ours but unusable: always invalid, never forwarded", () => {
  // An unknown key may be a guess (counted against the address); a revoked or expired one is not.
  assert.deepEqual(classify("pk-unknown-0123456789abcd"), { kind: "invalid-ours", message: "Invalid API key: no virtual key matches it", guess: true });
  assert.deepEqual(classify("pk-revoked-0123456789abcd"), { kind: "invalid-ours", message: "Invalid API key: this virtual key has been revoked", guess: false });
  assert.deepEqual(classify("expired-config-key-0123456789"), { kind: "invalid-ours", message: "Invalid API key: this virtual key has expired", guess: false });
});

test("JWTs: ours by kid or issuer, an IdP's by issuer, anyone else's is foreign", () => {
  assert.equal(classify(jwt({ alg: "ES256", kid: "our-kid" }, { iss: "https://anything" })).kind, "oauth-token", "signed with our key");
  assert.equal(classify(jwt({ alg: "ES256", kid: "rotated-out" }, { iss: "https://proxy.example" })).kind, "oauth-token", "our issuer");
  assert.equal(classify(jwt({ alg: "none" }, { iss: "https://proxy.example" })).kind, "oauth-token", "alg none under our issuer is ours (and refused)");
  const corp = classify(jwt({ alg: "RS256", kid: "x" }, { iss: "https://login.corp.example/" }));
  assert.equal(corp.kind, "idp-token");
  assert.deepEqual(corp.kind === "idp-token" && corp.providers, [idp]);
  // An Azure AD token meant for Azure OpenAI: not ours, passes through on passthrough routes.
  assert.equal(classify(jwt({ alg: "RS256", kid: "az" }, { iss: "https://sts.windows.net/tenant/" })).kind, "foreign");
});

test("provider keys are foreign", () => {
  for (const key of ["sk-proj-abcdefghijklmnop", "sk-ant-api03-abcdef", "AIzaSyA-abcdefghijklmnop", "gsk_abcdefghijklmnop", "ABSKQmVkcm9ja0FQSUtleS1h"]) {
    assert.equal(classify(key).kind, "foreign", key);
  }
});
