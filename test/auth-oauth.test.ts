import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, SignJWT } from "jose";
import OpenAI from "openai";
import { signAccessToken } from "../src/auth/access-tokens.ts";
import { loadConfig } from "../src/config/load-config.ts";
import { startPortcullis, type Portcullis } from "../src/portcullis.ts";
import { startOpenAiFake } from "./fake-upstreams/openai.ts";
import type { FakeUpstream } from "./fake-upstreams/fake-reply.ts";
import { ADMIN_TOKEN, startTestProxy, type TestProxy } from "./helpers/start-proxy.ts";
import { accessToken, chat, tokenRequest } from "./auth-support.ts";

const ISSUER = "http://portcullis.test";
const BOT_SECRET = "billing-bot-secret-0123456789abcdef";
const OTHER_SECRET = "other-bot-secret-0123456789abcdefgh";

let upstream: FakeUpstream;
let proxy: TestProxy;
/** A second instance on the same database, as behind a load balancer. */
let second: Portcullis;

before(async () => {
  upstream = await startOpenAiFake();
  proxy = await startTestProxy(`
oauth: { issuer: "${ISSUER}", accessTokenTtlSeconds: 600 }
credentials:
  - { id: openai-main, provider: openai, apiKey: sk-upstream-main-0001, baseUrl: "${upstream.url}/v1" }
  - { id: openai-bot, provider: openai, apiKey: sk-upstream-bot-0002, baseUrl: "${upstream.url}/v1" }
proxies:
  - { id: default, name: Default, credentials: { openai: openai-main } }
  - { id: team-b, credentials: { openai: openai-main } }
oauthClients:
  - { clientId: billing-bot, clientSecret: "${BOT_SECRET}", proxies: [default], credentials: { openai: openai-bot } }
  - { clientId: other-bot, clientSecret: "${OTHER_SECRET}", proxies: [team-b], tokenTtlSeconds: 120 }
`);
  const env = { PORTCULLIS_SECRET: "test-secret", PORTCULLIS_ADMIN_TOKEN: ADMIN_TOKEN };
  const config = await loadConfig({ argv: ["--config", join(proxy.dir, "portcullis.yaml")], env });
  second = await startPortcullis({ config, env, port: 0, keyFile: join(proxy.dir, "secret.key") });
});

after(async () => {
  await second?.close(1000);
  await proxy?.stop();
  await upstream?.close();
});

const admin = (method: string, path: string, body?: unknown, base = proxy.url) =>
  fetch(`${base}/api${path}`, {
    method,
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  }).then(async (r) => ({ status: r.status, body: r.status === 204 ? undefined : ((await r.json()) as Record<string, any>) }));

describe("the token endpoint", () => {
  test("client_secret_basic: a short-lived ES256 JWT, kid in the header, no-store", async () => {
    const answer = await tokenRequest(proxy.url, { grant_type: "client_credentials" }, { id: "billing-bot", secret: BOT_SECRET });
    assert.equal(answer.status, 200, answer.text);
    assert.equal(answer.body.token_type, "Bearer");
    assert.equal(answer.body.expires_in, 600);
    assert.equal(answer.body.scope, "llm:proxy");
    assert.equal(answer.headers.get("cache-control"), "no-store");
    assert.equal(answer.headers.get("pragma"), "no-cache");
    const token = answer.body.access_token as string;
    const header = decodeProtectedHeader(token);
    assert.equal(header.alg, "ES256");
    assert.equal(header.typ, "at+jwt");
    // Anyone can verify it with the published keys.
    const jwks = (await (await fetch(`${proxy.url}/.well-known/jwks.json`)).json()) as { keys: Array<Record<string, string>> };
    assert.ok(jwks.keys.some((k) => k.kid === header.kid && k.use === "sig" && k.alg === "ES256" && !("d" in k)));
    const { payload } = await jwtVerify(token, createLocalJWKSet(jwks as never), { issuer: ISSUER, audience: ISSUER });
    assert.equal(payload.client_id, "billing-bot");
    assert.equal(payload.sub, "billing-bot");
    assert.equal(payload.exp! - payload.iat!, 600);
  });

  test("client_secret_post, an explicit scope, and a client's own token lifetime", async () => {
    const answer = await tokenRequest(proxy.url, { grant_type: "client_credentials", client_id: "other-bot", client_secret: OTHER_SECRET, scope: "llm:proxy" });
    assert.equal(answer.status, 200, answer.text);
    assert.equal(answer.body.expires_in, 120);
    assert.equal(answer.body.scope, "llm:proxy");
  });

  test("RFC 8414 metadata names the endpoints, methods and scopes", async () => {
    const res = await fetch(`${proxy.url}/.well-known/oauth-authorization-server`);
    assert.equal(res.status, 200);
    const meta = (await res.json()) as Record<string, unknown>;
    assert.equal(meta.issuer, ISSUER);
    assert.equal(meta.token_endpoint, `${ISSUER}/oauth/token`);
    assert.equal(meta.jwks_uri, `${ISSUER}/.well-known/jwks.json`);
    assert.deepEqual(meta.grant_types_supported, ["client_credentials"]);
    assert.deepEqual(meta.token_endpoint_auth_methods_supported, ["client_secret_basic", "client_secret_post"]);
    assert.deepEqual(meta.scopes_supported, ["llm:proxy"]);
  });

  const basic = { id: "billing-bot", secret: BOT_SECRET };
  const cases: Array<[string, () => ReturnType<typeof tokenRequest>, number, string]> = [
    ["wrong secret", () => tokenRequest(proxy.url, { grant_type: "client_credentials" }, { id: "billing-bot", secret: "nope-nope-nope" }), 401, "invalid_client"],
    ["unknown client", () => tokenRequest(proxy.url, { grant_type: "client_credentials" }, { id: "ghost", secret: BOT_SECRET }), 401, "invalid_client"],
    ["no client authentication", () => tokenRequest(proxy.url, { grant_type: "client_credentials" }), 401, "invalid_client"],
    ["post with a wrong secret", () => tokenRequest(proxy.url, { grant_type: "client_credentials", client_id: "billing-bot", client_secret: "x" }), 401, "invalid_client"],
    ["a grant we do not offer", () => tokenRequest(proxy.url, { grant_type: "password", username: "u", password: "p" }, basic), 400, "unsupported_grant_type"],
    ["authorization_code", () => tokenRequest(proxy.url, { grant_type: "authorization_code", code: "abc" }, basic), 400, "unsupported_grant_type"],
    ["an unknown scope", () => tokenRequest(proxy.url, { grant_type: "client_credentials", scope: "admin" }, basic), 400, "invalid_scope"],
    ["an empty scope", () => tokenRequest(proxy.url, { grant_type: "client_credentials", scope: " " }, basic), 400, "invalid_scope"],
    ["no grant_type", () => tokenRequest(proxy.url, { scope: "llm:proxy" }, basic), 400, "invalid_request"],
    ["a repeated parameter", () => tokenRequest(proxy.url, "grant_type=client_credentials&grant_type=client_credentials", basic), 400, "invalid_request"],
    ["JSON instead of a form", () => tokenRequest(proxy.url, JSON.stringify({ grant_type: "client_credentials" }), basic, "application/json"), 400, "invalid_request"],
    [
      "two authentication methods",
      () => tokenRequest(proxy.url, { grant_type: "client_credentials", client_id: "billing-bot", client_secret: BOT_SECRET }, basic),
      400,
      "invalid_request",
    ],
    ["client_id differing from Basic", () => tokenRequest(proxy.url, { grant_type: "client_credentials", client_id: "other-bot" }, basic), 400, "invalid_request"],
    ["client_secret without client_id", () => tokenRequest(proxy.url, { grant_type: "client_credentials", client_secret: BOT_SECRET }), 400, "invalid_request"],
  ];
  for (const [name, send, status, error] of cases) {
    test(`RFC 6749 §5.2: ${name} → ${status} ${error}`, async () => {
      const answer = await send();
      assert.equal(answer.status, status, answer.text);
      assert.equal(answer.body.error, error, answer.text);
      assert.equal(typeof answer.body.error_description, "string");
      assert.equal(answer.headers.get("cache-control"), "no-store");
      if (status === 401) assert.match(answer.headers.get("www-authenticate") ?? "", /^(Basic|Bearer) realm="portcullis"$/);
      assert.ok(!answer.text.includes(BOT_SECRET), "the secret is never echoed");
    });
  }

  test("a disabled client's grant is invalid_grant (with the right secret only)", async () => {
    const created = await admin("POST", "/oauth-clients", { clientId: "scoped-off", proxies: ["default"] });
    assert.equal(created.status, 201);
    const secret = created.body!.clientSecret as string;
    assert.equal((await admin("PATCH", "/oauth-clients/scoped-off", { disabled: true })).status, 200);
    const answer = await tokenRequest(proxy.url, { grant_type: "client_credentials" }, { id: "scoped-off", secret });
    assert.equal(answer.status, 400, answer.text);
    assert.equal(answer.body.error, "invalid_grant");
    // The wrong secret of a disabled client is still invalid_client: nothing about the client leaks.
    assert.equal((await tokenRequest(proxy.url, { grant_type: "client_credentials" }, { id: "scoped-off", secret: "wrong-wrong" })).body.error, "invalid_client");
  });
});

describe("calling the proxy with an access token", () => {
  test("the openai SDK works with a token, and the client's own credential goes upstream", async () => {
    const token = await accessToken(proxy.url, "billing-bot", BOT_SECRET);
    const client = new OpenAI({ baseURL: `${proxy.url}/v1/model-router/default`, apiKey: token, maxRetries: 0 });
    const { data, response } = await client.chat.completions.create({ model: "openai:gpt-4o-mini", messages: [{ role: "user", content: "hello bot" }] }).withResponse();
    assert.match(data.choices[0].message.content ?? "", /hello bot/);
    assert.equal(upstream.last().headers.authorization, "Bearer sk-upstream-bot-0002");
    // Verified once, then served from the cache: the second call is the same.
    const again = await client.chat.completions.create({ model: "openai:gpt-4o-mini", messages: [{ role: "user", content: "again" }] });
    assert.match(again.choices[0].message.content ?? "", /again/);
    // Streams too.
    const stream = await client.chat.completions.create({ model: "openai:gpt-4o-mini", messages: [{ role: "user", content: "stream" }], stream: true });
    let text = "";
    for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? "";
    assert.match(text, /stream/);
    const models = await client.models.list();
    assert.ok(models.data.some((m) => m.id === "openai:gpt-4o-mini"));
    await proxy.interactions.flush();
    const row = await proxy.store.db.selectFrom("interactions").selectAll().where("id", "=", response.headers.get("x-portcullis-request-id")!).executeTakeFirstOrThrow();
    assert.equal(row.status, 200);
    assert.equal(row.virtual_key_id, null);
  });

  test("a token obtained on one instance works on another (same issuer, same keys)", async () => {
    const token = await accessToken(proxy.url, "billing-bot", BOT_SECRET);
    assert.equal((await chat(second.url, token)).status, 200);
  });

  test("a token for proxy team-b gets 403 on default; without the proxy scope 403 insufficient_scope", async () => {
    const token = await accessToken(proxy.url, "other-bot", OTHER_SECRET);
    assert.equal((await chat(proxy.url, token, "team-b")).status, 200);
    const refused = await chat(proxy.url, token, "default");
    assert.equal(refused.status, 403);
    assert.equal(refused.body.error?.code, "proxy_forbidden");
    assert.match(refused.body.error!.message, /may not use the LLM proxy 'default'/);
    // The only scope we grant is llm:proxy: a token without it can only be made with our key.
    const signer = proxy.catalog.signer()!;
    const scopeless = await signAccessToken(signer, { issuer: ISSUER, clientId: "billing-bot", scopes: [], ttlSeconds: 60 });
    const noScope = await chat(proxy.url, scopeless);
    assert.equal(noScope.status, 403);
    assert.equal(noScope.body.error?.code, "insufficient_scope");
  });

  test("bad tokens are 401 with a reason, never forwarded", async () => {
    const requestsBefore = upstream.requests.length;
    const token = await accessToken(proxy.url, "billing-bot", BOT_SECRET);
    const [h, p, s] = token.split(".");
    const claims = JSON.parse(Buffer.from(p, "base64url").toString());
    const forged = `${h}.${Buffer.from(JSON.stringify({ ...claims, client_id: "other-bot", sub: "other-bot" })).toString("base64url")}.${s}`;
    const expired = await signAccessToken(proxy.catalog.signer()!, { issuer: ISSUER, clientId: "billing-bot", scopes: ["llm:proxy"], ttlSeconds: 60, issuedAt: Math.floor(Date.now() / 1000) - 600 });
    const alien = await new SignJWT({ client_id: "billing-bot", scope: "llm:proxy" })
      .setProtectedHeader({ alg: "HS256", kid: decodeProtectedHeader(token).kid, typ: "at+jwt" })
      .setIssuer(ISSUER)
      .setAudience(ISSUER)
      .setIssuedAt()
      .setExpirationTime("5m")
      .sign(new TextEncoder().encode("guessed-secret-guessed-secret-32b"));
    for (const [bad, reason] of [
      [forged, /signature is invalid/],
      [expired, /has expired/],
      [alien, /algorithm/],
      [`${h}.${p}.`, /signature|malformed/],
    ] as const) {
      const answer = await chat(proxy.url, bad);
      assert.equal(answer.status, 401, answer.text);
      assert.equal(answer.body.error?.code, "invalid_token");
      assert.match(answer.body.error!.message, reason);
      assert.equal(answer.headers.get("www-authenticate"), 'Bearer realm="portcullis", error="invalid_token"');
    }
    assert.equal(upstream.requests.length, requestsBefore);
  });

  test("disabling a client stops its tokens within seconds on every instance, and new tokens are refused", async () => {
    const token = await accessToken(proxy.url, "billing-bot", BOT_SECRET);
    assert.equal((await chat(proxy.url, token)).status, 200);
    assert.equal((await chat(second.url, token)).status, 200, "verified and cached on the second instance too");
    assert.equal((await admin("PATCH", "/oauth-clients/billing-bot", { disabled: true })).status, 200);
    const here = await chat(proxy.url, token);
    assert.equal(here.status, 401, "at once on the instance that made the change");
    assert.match(here.body.error!.message, /disabled/);
    const started = Date.now();
    let status = 200;
    while (status === 200 && Date.now() - started < 5000) {
      status = (await chat(second.url, token)).status;
      if (status === 200) await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(status, 401, "the other instance refused it too");
    assert.ok(Date.now() - started < 3000, `took ${Date.now() - started} ms`);
    // Enabling again does not bring back the tokens issued before the disabling.
    assert.equal((await admin("PATCH", "/oauth-clients/billing-bot", { disabled: false })).status, 200);
    assert.equal((await chat(proxy.url, token)).status, 401);
    const fresh = await accessToken(proxy.url, "billing-bot", BOT_SECRET);
    assert.equal((await chat(proxy.url, fresh)).status, 200, "a token issued after re-enabling works at once");
  });

  test("secret rotation: the new secret at once, the old one during the grace period, tokens revoked on request", async () => {
    const before = await accessToken(proxy.url, "other-bot", OTHER_SECRET);
    const rotated = await admin("POST", "/oauth-clients/other-bot/rotate-secret", { gracePeriodSeconds: 60 });
    assert.equal(rotated.status, 200);
    const secret2 = rotated.body!.clientSecret as string;
    assert.match(secret2, /^pcs-[A-Za-z0-9_-]{43}$/);
    assert.ok(rotated.body!.previousSecretExpiresAt);
    assert.equal((await chat(proxy.url, await accessToken(proxy.url, "other-bot", secret2), "team-b")).status, 200);
    assert.equal((await tokenRequest(proxy.url, { grant_type: "client_credentials" }, { id: "other-bot", secret: OTHER_SECRET })).status, 200, "grace period");
    assert.equal((await chat(proxy.url, before, "team-b")).status, 200, "tokens survive a routine rotation");

    const leaked = await admin("POST", "/oauth-clients/other-bot/rotate-secret", { revokeTokens: true });
    const secret3 = leaked.body!.clientSecret as string;
    assert.equal((await tokenRequest(proxy.url, { grant_type: "client_credentials" }, { id: "other-bot", secret: secret2 })).body.error, "invalid_client");
    assert.equal((await tokenRequest(proxy.url, { grant_type: "client_credentials" }, { id: "other-bot", secret: OTHER_SECRET })).body.error, "invalid_client");
    const revoked = await chat(proxy.url, before, "team-b");
    assert.equal(revoked.status, 401);
    assert.match(revoked.body.error!.message, /revoked/);
    assert.equal((await chat(proxy.url, await accessToken(proxy.url, "other-bot", secret3), "team-b")).status, 200);
  });

  test("a client created and a key rotated on one instance work on the other at once (it catches up)", async (t) => {
    // The catch-up check runs at most once a second per instance: start clear of any earlier one.
    // And no polling on the second instance meanwhile: only the catch-up can tell it.
    second.catalog.unwatch();
    t.after(() => second.catalog.watch(1000));
    await new Promise((r) => setTimeout(r, 1100));
    const created = await admin("POST", "/oauth-clients", { clientId: "fresh-bot" });
    const secret = created.body!.clientSecret as string;
    const viaSecond = await tokenRequest(second.url, { grant_type: "client_credentials" }, { id: "fresh-bot", secret });
    assert.equal(viaSecond.status, 200, `the other instance knew the new client before its poll: ${viaSecond.text}`);
    await new Promise((r) => setTimeout(r, 1100));
    const rotated = await admin("POST", "/signing-keys/rotate", {});
    const token = await accessToken(proxy.url, "fresh-bot", secret);
    assert.equal(decodeProtectedHeader(token).kid, rotated.body!.kid);
    assert.equal((await chat(second.url, token)).status, 200, "the other instance verified a token of the new key before its poll");
  });

  test("signing key rotation: the old key stays in the JWKS and its tokens stay valid; new tokens use the new kid", async () => {
    const oldToken = await accessToken(proxy.url, "billing-bot", BOT_SECRET);
    const oldKid = decodeProtectedHeader(oldToken).kid;
    const rotated = await admin("POST", "/signing-keys/rotate", { alg: "EdDSA" });
    assert.equal(rotated.status, 201, JSON.stringify(rotated.body));
    assert.equal(rotated.body!.alg, "EdDSA");
    const newToken = await accessToken(proxy.url, "billing-bot", BOT_SECRET);
    const header = decodeProtectedHeader(newToken);
    assert.equal(header.kid, rotated.body!.kid);
    assert.equal(header.alg, "EdDSA");
    const jwks = (await (await fetch(`${proxy.url}/.well-known/jwks.json`)).json()) as { keys: Array<{ kid: string }> };
    const published = jwks.keys.map((k) => k.kid);
    assert.ok(published.includes(oldKid!) && published.includes(header.kid!), "old and new key both published");
    assert.equal((await chat(proxy.url, oldToken)).status, 200, "issued before the rotation, still valid");
    assert.equal((await chat(proxy.url, newToken)).status, 200);
    const keys = await admin("GET", "/signing-keys");
    const old = keys.body!.data.find((k: { kid: string }) => k.kid === oldKid);
    assert.ok(old.retiredAt && old.notAfter, "the old key is retired with an end");
    // It stays trusted until its last token (600 s lifetime here) can have expired.
    assert.ok(Date.parse(old.notAfter) - Date.parse(old.retiredAt) >= 600_000);
    assert.ok(!JSON.stringify(keys.body).includes('"d"'), "no private key material");
  });
});
