import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { SignJWT } from "jose";
import OpenAI from "openai";
import { AuthFailure } from "../src/auth/auth-failure.ts";
import { Authenticator } from "../src/auth/authenticator.ts";
import { startOpenAiFake } from "./fake-upstreams/openai.ts";
import type { FakeUpstream } from "./fake-upstreams/fake-reply.ts";
import { ADMIN_TOKEN, startTestProxy, type TestProxy } from "./helpers/start-proxy.ts";
import { chat, startFakeIdentityProvider, type FakeIdentityProvider } from "./auth-support.ts";

let upstream: FakeUpstream;
/** Named by its JWKS URI. */
let corp: FakeIdentityProvider;
/** Found through OpenID discovery; requires a group. */
let partner: FakeIdentityProvider;
let proxy: TestProxy;
let rsaKid: string;
let ecKid: string;

const now = () => Math.floor(Date.now() / 1000);

before(async () => {
  upstream = await startOpenAiFake();
  corp = await startFakeIdentityProvider();
  rsaKid = await corp.addKey("RS256");
  ecKid = await corp.addKey("ES256");
  partner = await startFakeIdentityProvider();
  await partner.addKey("EdDSA");
  proxy = await startTestProxy(`
credentials:
  - { id: openai-main, provider: openai, apiKey: sk-upstream-main-0001, baseUrl: "${upstream.url}/v1" }
proxies:
  - { id: default, credentials: { openai: openai-main } }
  - { id: team-b, credentials: { openai: openai-main } }
identityProviders:
  - { id: corp, issuer: "${corp.issuer}", audience: portcullis, jwksUri: "${corp.jwksUri}", userClaim: email, proxies: [default] }
  - id: partner
    issuer: "${partner.issuer}"
    audience: [portcullis, other-app]
    requiredClaims: { groups: llm-users }
    proxies: [team-b]
`);
});

after(async () => {
  await proxy?.stop();
  await corp?.close();
  await partner?.close();
  await upstream?.close();
});

const corpToken = (claims: Record<string, unknown> = {}, kid = rsaKid, header: Record<string, unknown> = {}) =>
  // A jti makes each token new: a test about verification must not be answered from the cache.
  corp.sign({ aud: "portcullis", sub: "u-123", email: "alice@corp.example", jti: randomUUID(), ...claims }, { kid, header });

async function refused(token: string, status: number, reason: RegExp, proxyId = "default") {
  const answer = await chat(proxy.url, token, proxyId);
  assert.equal(answer.status, status, answer.text);
  assert.match(answer.body.error!.message, reason);
  return answer;
}

describe("identity provider JWTs", () => {
  test("a valid RS256 or ES256 token identifies the user; X-Archestra-User-Id cannot override it", async () => {
    const answer = await chat(proxy.url, await corpToken(), "default", "openai:gpt-4o-mini", { "X-Archestra-User-Id": "mallory" });
    assert.equal(answer.status, 200, answer.text);
    await proxy.interactions.flush();
    const row = await proxy.store.db.selectFrom("interactions").selectAll().where("id", "=", answer.headers.get("x-portcullis-request-id")!).executeTakeFirstOrThrow();
    assert.equal(row.user_id, "alice@corp.example");
    assert.equal(upstream.last().headers.authorization, "Bearer sk-upstream-main-0001", "the proxy's credential mapping supplies the key");
    assert.equal((await chat(proxy.url, await corpToken({ email: "bob@corp.example" }, ecKid))).status, 200);
  });

  test("the openai SDK works with an IdP token", async () => {
    const client = new OpenAI({ baseURL: `${proxy.url}/v1/model-router/default`, apiKey: await corpToken(), maxRetries: 0 });
    const reply = await client.chat.completions.create({ model: "openai:gpt-4o-mini", messages: [{ role: "user", content: "from alice" }] });
    assert.match(reply.choices[0].message.content ?? "", /from alice/);
  });

  test("discovery through /.well-known/openid-configuration, an audience list, a required group", async () => {
    const member = await partner.sign({ aud: "other-app", sub: "p-1", groups: ["staff", "llm-users"] });
    assert.equal((await chat(proxy.url, member, "team-b")).status, 200);
    const scoped = await partner.sign({ aud: ["x", "portcullis"], sub: "p-2", groups: "llm-users" });
    assert.equal((await chat(proxy.url, scoped, "team-b")).status, 200, "a scalar claim equal to the value");
    await refused(await partner.sign({ aud: "portcullis", sub: "p-3", groups: ["staff"] }), 401, /'groups' claim does not include/, "team-b");
    await refused(await partner.sign({ aud: "portcullis", sub: "p-4" }), 401, /'groups' claim does not include/, "team-b");
  });

  test("alg none, algorithm confusion and tampering are refused", async () => {
    const good = await corpToken();
    const [, payload] = good.split(".");
    const none = `${Buffer.from(JSON.stringify({ alg: "none", typ: "JWT" })).toString("base64url")}.${payload}.`;
    await refused(none, 401, /algorithm is not accepted/);
    // HS256 "signed" with the IdP's public key as the HMAC secret: the classic confusion attack.
    const pem = corp.publicKey(rsaKid).export({ type: "spki", format: "pem" });
    const confused = await new SignJWT({ aud: "portcullis", email: "alice@corp.example" })
      .setProtectedHeader({ alg: "HS256", kid: rsaKid })
      .setIssuer(corp.issuer)
      .setIssuedAt()
      .setExpirationTime("5m")
      .sign(new Uint8Array(Buffer.from(pem)));
    await refused(confused, 401, /algorithm is not accepted/);
    const [h, , s] = good.split(".");
    const tampered = `${h}.${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload, "base64url").toString()), email: "admin@corp.example" })).toString("base64url")}.${s}`;
    await refused(tampered, 401, /signature is invalid/);
    // Signed by a key the IdP does not publish, naming a kid it does.
    const rogue = await startFakeIdentityProvider();
    await rogue.addKey("RS256", rsaKid);
    const forged = await rogue.sign({ iss: corp.issuer, aud: "portcullis", email: "alice@corp.example" });
    await refused(forged, 401, /signature is invalid/);
    await rogue.close();
  });

  test("wrong issuer, wrong audience, expired, not yet valid, no user claim: 401 with the reason", async () => {
    const wrongIssuer = await corpToken({ iss: "https://login.evil.example/" });
    const answer = await refused(wrongIssuer, 401, /issuer is not one this proxy trusts/);
    assert.equal(answer.body.error?.code, "invalid_token");
    await refused(await corpToken({ aud: "another-app" }), 401, /audience \(aud\)/);
    await refused(await corpToken({ exp: now() - 120 }), 401, /has expired/);
    await refused(await corpToken({ nbf: now() + 600 }), 401, /not yet valid/);
    assert.equal((await chat(proxy.url, await corpToken({ nbf: now() + 10 }))).status, 200, "within the clock tolerance");
    await refused(await corpToken({ exp: undefined }), 401, /expiry \(exp\) is missing/);
    await refused(await corpToken({ email: undefined }), 401, /no 'email' claim naming the user/);
  });

  test("a user of corp (proxy default) gets 403 on team-b", async () => {
    const answer = await refused(await corpToken(), 403, /identity provider 'corp' may not use the LLM proxy 'team-b'/, "team-b");
    assert.equal(answer.body.error?.code, "proxy_forbidden");
  });

  test("an IdP that is down: keys already fetched keep serving; a never-fetched one answers 503", async () => {
    corp.down = true;
    try {
      assert.equal((await chat(proxy.url, await corpToken())).status, 200, "cached keys");
    } finally {
      corp.down = false;
    }
    const dark = await startFakeIdentityProvider();
    await dark.addKey("ES256");
    dark.down = true;
    const created = await fetch(`${proxy.url}/api/identity-providers`, {
      method: "POST",
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify({ id: "dark", issuer: dark.issuer, audience: "portcullis" }),
    });
    assert.equal(created.status, 201);
    const answer = await chat(proxy.url, await dark.sign({ aud: "portcullis", sub: "d" }));
    assert.equal(answer.status, 503, answer.text);
    assert.equal(answer.body.error?.code, "identity_provider_unavailable");
    assert.ok(answer.headers.get("retry-after"));
    await dark.close();
  });

  test("a key the IdP adds later is fetched when a token names it", async () => {
    // A short cooldown so the test need not wait jose's 30 s between re-fetches.
    const authn = new Authenticator(proxy.catalog, { identityProviderKeys: { cooldownMs: 50 } });
    const first = await authn.identify(await corpToken());
    assert.equal(first.method === "idp-user" && first.userId, "alice@corp.example");
    const newKid = await corp.addKey("EdDSA", "rotated-2026");
    const unknownBefore = corp.server.requests.length;
    await new Promise((r) => setTimeout(r, 60));
    const second = await authn.identify(await corpToken({ email: "carol@corp.example" }, newKid));
    assert.equal(second.method === "idp-user" && second.userId, "carol@corp.example");
    assert.ok(corp.server.requests.length > unknownBefore, "the JWKS was fetched again");
    // A kid nobody publishes: refused with the reason.
    await assert.rejects(
      Promise.resolve().then(async () => authn.identify(await corpToken({}, rsaKid, { kid: "nobody" }))),
      (err) => err instanceof AuthFailure && err.status === 401 && /kid/.test(err.message),
    );
  });

  test("removing the identity provider stops its tokens at once", async () => {
    const token = await partner.sign({ aud: "portcullis", sub: "p-9", groups: ["llm-users"] });
    assert.equal((await chat(proxy.url, token, "team-b")).status, 200);
    const removed = await fetch(`${proxy.url}/api/identity-providers/partner`, { method: "DELETE", headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    assert.equal(removed.status, 204);
    await refused(token, 401, /issuer is not one this proxy trusts/, "team-b");
  });
});
