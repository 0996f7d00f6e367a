import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, test } from "node:test";
import OpenAI from "openai";
import { startOpenAiFake } from "./fake-upstreams/openai.ts";
import type { FakeUpstream } from "./fake-upstreams/fake-reply.ts";
import { ADMIN_TOKEN, startTestProxy, type TestProxy } from "./helpers/start-proxy.ts";
import { captureOutput, startFakeIdentityProvider, tokenRequest, type FakeIdentityProvider } from "./auth-support.ts";

/**
 * Every flow, success and failure, then a scan of everything the proxy said — answers (bodies and
 * headers), its stdout and stderr, /metrics, the interaction log — for any provider secret,
 * virtual key or client secret. The answers that create a key or secret are the only place it
 * may appear (once), and are set aside.
 */

const PROVIDER_SECRET = `sk-iso-provider-${randomUUID()}`;
const GROQ_SECRET = `gsk-iso-provider-${randomUUID()}`;
const VIRTUAL_KEY = `pk-iso-${randomUUID()}`;
const CLIENT_SECRET = `iso-client-secret-${randomUUID()}`;

let upstream: FakeUpstream;
let idp: FakeIdentityProvider;
let proxy: TestProxy;
let output: ReturnType<typeof captureOutput>;
/** Secrets made at run time, added as they are created. */
const secrets = [PROVIDER_SECRET, GROQ_SECRET, VIRTUAL_KEY, CLIENT_SECRET];
/** Everything answered, except the creation answers (which return their new secret once). */
const answers: string[] = [];

before(async () => {
  output = captureOutput();
  upstream = await startOpenAiFake();
  idp = await startFakeIdentityProvider();
  await idp.addKey("RS256");
  proxy = await startTestProxy(`
credentials:
  - { id: openai-main, provider: openai, apiKey: "${PROVIDER_SECRET}", baseUrl: "${upstream.url}/v1" }
  - { id: groq-main, provider: groq, apiKey: "${GROQ_SECRET}", baseUrl: "${upstream.url}/openai/v1", models: [llama] }
proxies:
  - { id: default, credentials: { openai: openai-main } }
  - { id: team-b, credentials: { openai: openai-main } }
virtualKeys:
  - { name: iso, key: "${VIRTUAL_KEY}", proxies: [default], credentials: { openai: openai-main } }
oauthClients:
  - { clientId: iso-bot, clientSecret: "${CLIENT_SECRET}", proxies: [default] }
identityProviders:
  - { id: corp, issuer: "${idp.issuer}", audience: portcullis, jwksUri: "${idp.jwksUri}", proxies: [default] }
`);
});

after(async () => {
  output.stop();
  await proxy?.stop();
  await idp?.close();
  await upstream?.close();
});

async function call(path: string, init: RequestInit & { keep?: boolean } = {}): Promise<{ status: number; text: string }> {
  const res = await fetch(`${proxy.url}${path}`, init);
  const text = await res.text();
  if (init.keep !== false) answers.push(`${res.status} ${JSON.stringify([...res.headers])}\n${text}`);
  return { status: res.status, text };
}

const json = (body: unknown, headers: Record<string, string> = {}) => ({
  method: "POST",
  headers: { "content-type": "application/json", ...headers },
  body: JSON.stringify(body),
});
const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
const adminAuth = bearer(ADMIN_TOKEN);
const chatBody = (model = "openai:gpt-4o-mini", extra: Record<string, unknown> = {}) => ({ model, messages: [{ role: "user", content: "hi" }], ...extra });

test("exercise every flow, then find no secret anywhere the proxy speaks", async () => {
  // Virtual keys: success (plain and stream), and each failure.
  assert.equal((await call("/v1/model-router/default/chat/completions", json(chatBody(), bearer(VIRTUAL_KEY)))).status, 200);
  assert.equal((await call("/v1/model-router/default/chat/completions", json(chatBody("openai:gpt-4o-mini", { stream: true }), bearer(VIRTUAL_KEY)))).status, 200);
  assert.equal((await call("/v1/model-router/default/models", { headers: bearer(VIRTUAL_KEY) })).status, 200);
  assert.equal((await call("/v1/model-router/team-b/chat/completions", json(chatBody(), bearer(VIRTUAL_KEY)))).status, 403);
  assert.equal((await call("/v1/model-router/default/chat/completions", json(chatBody("groq:llama"), bearer(VIRTUAL_KEY)))).status, 403);
  assert.equal((await call("/v1/model-router/default/chat/completions", json(chatBody(), bearer(`${VIRTUAL_KEY}x`)))).status, 401);
  assert.equal((await call("/v1/model-router/default/chat/completions", json(chatBody(), bearer(PROVIDER_SECRET)))).status, 401, "a provider key on the router");
  assert.equal((await call("/v1/model-router/default/chat/completions", { method: "POST", headers: { ...bearer(VIRTUAL_KEY), "content-type": "application/json" }, body: "{not json" })).status, 400);
  // Upstream refusing the credential (its answer reaches the client in the client's format).
  upstream.enqueue({ kind: "json", status: 401, body: { error: { message: "Incorrect API key provided: sk-iso-p***", type: "invalid_request_error", code: "invalid_api_key" } } });
  assert.equal((await call("/v1/model-router/default/chat/completions", json(chatBody(), bearer(VIRTUAL_KEY)))).status, 401);
  upstream.enqueue({ kind: "reset" });
  assert.ok((await call("/v1/model-router/default/chat/completions", json(chatBody(), bearer(VIRTUAL_KEY)))).status >= 500);

  // OAuth: tokens by both methods, every §5.2 error, calls with good and bad tokens.
  const basic = { authorization: `Basic ${Buffer.from(`iso-bot:${CLIENT_SECRET}`).toString("base64")}` };
  const form = (body: string, headers: Record<string, string> = {}) => ({ method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", ...headers }, body });
  const issued = await call("/oauth/token", { ...form("grant_type=client_credentials", basic), keep: false });
  const token = JSON.parse(issued.text).access_token as string;
  assert.equal((await call("/oauth/token", { ...form(`grant_type=client_credentials&client_id=iso-bot&client_secret=${encodeURIComponent(CLIENT_SECRET)}`), keep: false })).status, 200);
  for (const body of [
    `grant_type=client_credentials&client_id=iso-bot&client_secret=${encodeURIComponent(CLIENT_SECRET)}x`,
    `grant_type=password&client_id=iso-bot&client_secret=${encodeURIComponent(CLIENT_SECRET)}`,
    `grant_type=client_credentials&scope=admin&client_id=iso-bot&client_secret=${encodeURIComponent(CLIENT_SECRET)}`,
    `grant_type=client_credentials&grant_type=x&client_secret=${encodeURIComponent(CLIENT_SECRET)}`,
  ]) {
    assert.ok((await call("/oauth/token", form(body))).status >= 400);
  }
  assert.equal((await call("/oauth/token", form(`grant_type=client_credentials&client_secret=${encodeURIComponent(CLIENT_SECRET)}`, basic))).status, 400);
  secrets.push(token);
  assert.equal((await call("/v1/model-router/default/chat/completions", json(chatBody(), bearer(token)))).status, 200);
  assert.equal((await call("/v1/model-router/team-b/chat/completions", json(chatBody(), bearer(token)))).status, 403);
  assert.equal((await call("/v1/model-router/default/chat/completions", json(chatBody(), bearer(`${token.slice(0, -4)}AAAA`)))).status, 401);
  const client = new OpenAI({ baseURL: `${proxy.url}/v1/model-router/default`, apiKey: token, maxRetries: 0 });
  answers.push(JSON.stringify(await client.chat.completions.create(chatBody() as never)));

  // Identity provider users.
  const userToken = await idp.sign({ aud: "portcullis", sub: "alice" });
  secrets.push(userToken);
  assert.equal((await call("/v1/model-router/default/chat/completions", json(chatBody(), bearer(userToken)))).status, 200);
  assert.equal((await call("/v1/model-router/default/chat/completions", json(chatBody(), bearer(await idp.sign({ aud: "elsewhere", sub: "x" }))))).status, 401);
  assert.equal((await call("/v1/model-router/team-b/chat/completions", json(chatBody(), bearer(userToken)))).status, 403);

  // Admin API: secrets written, rotated, refused in bad bodies, listed.
  const newProviderSecret = `sk-iso-admin-${randomUUID()}`;
  const rotatedProviderSecret = `sk-iso-rotated-${randomUUID()}`;
  secrets.push(newProviderSecret, rotatedProviderSecret);
  assert.equal((await call("/api/credentials", json({ id: "iso-cred", provider: "openai", apiKey: newProviderSecret }, adminAuth))).status, 201);
  assert.equal((await call("/api/credentials/iso-cred", { ...json({ apiKey: rotatedProviderSecret }, adminAuth), method: "PATCH" })).status, 200);
  assert.equal((await call("/api/credentials", json({ id: "bad id!", provider: "openai", apiKey: newProviderSecret }, adminAuth))).status, 400);
  assert.equal((await call("/api/credentials", json({ id: "iso-cred", provider: "openai", apiKey: newProviderSecret }, adminAuth))).status, 409);
  assert.equal((await call("/api/credentials/iso-cred", { ...json({ apiKey: 12345, options: { secret: newProviderSecret, n: 1 } }, adminAuth), method: "PATCH" })).status, 400);
  const vk = await call("/api/virtual-keys", { ...json({ name: "iso-2" }, adminAuth), keep: false });
  secrets.push(JSON.parse(vk.text).key);
  const oc = await call("/api/oauth-clients", { ...json({ clientId: "iso-2" }, adminAuth), keep: false });
  secrets.push(JSON.parse(oc.text).clientSecret);
  const rotated = await call("/api/oauth-clients/iso-2/rotate-secret", { ...json({ gracePeriodSeconds: 30 }, adminAuth), keep: false });
  secrets.push(JSON.parse(rotated.text).clientSecret);
  for (const list of ["/api/credentials", "/api/credentials/iso-cred", "/api/virtual-keys", "/api/oauth-clients", "/api/oauth-clients/iso-bot", "/api/identity-providers", "/api/signing-keys", "/api/proxies"]) {
    assert.equal((await call(list, { headers: adminAuth })).status, 200, list);
  }
  assert.equal((await call("/api/credentials", { headers: bearer(VIRTUAL_KEY) })).status, 401, "a virtual key is not an admin token");
  for (const path of ["/.well-known/jwks.json", "/.well-known/oauth-authorization-server", "/healthz", "/api/interactions?limit=500"]) {
    await call(path, { headers: adminAuth });
  }
  const metrics = await call("/metrics");
  assert.ok(metrics.status === 200 || metrics.status === 404, `/metrics: ${metrics.status}`);

  // Wait for everything written off the request path, then collect the logs the proxy kept.
  await proxy.interactions.flush();
  await proxy.catalog.flushUsage();
  const rows = await proxy.store.db.selectFrom("interactions").selectAll().execute();
  const tables = await Promise.all(
    (["virtual_keys", "oauth_clients", "credentials", "signing_keys", "identity_providers", "proxies", "meta"] as const).map((t) => proxy.store.db.selectFrom(t).selectAll().execute()),
  );

  const places: Array<[string, string]> = [
    ["answers", answers.join("\n")],
    ["stdout/stderr", output.text()],
    ["interaction log", JSON.stringify(rows)],
    ["stored tables", JSON.stringify(tables)],
  ];
  for (const [where, text] of places) {
    for (const secret of secrets) {
      assert.ok(!text.includes(secret), `${where} contains a secret (${secret.slice(0, 8)}…)`);
    }
  }
  assert.ok(answers.length > 40, "the scan saw the answers");
  assert.ok(rows.length > 10, "the scan saw the log");
});

test("an upstream error that echoes the provider key in full does not reach the client", async () => {
  upstream.enqueue({ kind: "json", status: 401, body: { error: { message: `Incorrect API key provided: ${PROVIDER_SECRET}`, type: "invalid_request_error", code: "invalid_api_key" } } });
  const answer = await call("/v1/model-router/default/chat/completions", json(chatBody(), bearer(VIRTUAL_KEY)));
  assert.equal(answer.status, 401);
  assert.ok(!answer.text.includes(PROVIDER_SECRET), "the provider key was echoed to the client");
});
