import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import OpenAI from "openai";
import { startOpenAiFake } from "./fake-upstreams/openai.ts";
import type { FakeUpstream } from "./fake-upstreams/fake-reply.ts";
import { ADMIN_TOKEN, startTestProxy, type TestProxy } from "./helpers/start-proxy.ts";
import { chat, tokenRequest } from "./auth-support.ts";

const KEY = "pk-auth-test-0123456789abcdefghijklmnopqrstuv";
const NO_GROQ = "pk-auth-nogroq-0123456789abcdefghijklmnopqrs";
const CUSTOM = "a-config-supplied-key-without-our-prefix";
const EXPIRED = "pk-auth-expired-0123456789abcdefghijklmnopq";

let upstream: FakeUpstream;
let proxy: TestProxy;

before(async () => {
  upstream = await startOpenAiFake();
  proxy = await startTestProxy(`
server: { trustedProxies: [loopback], failedAuthLimit: { max: 5, windowSeconds: 60 } }
credentials:
  - { id: openai-main, provider: openai, apiKey: sk-upstream-openai-0001, baseUrl: "${upstream.url}/v1" }
  - { id: groq-main, provider: groq, apiKey: gsk-upstream-groq-0002, baseUrl: "${upstream.url}/openai/v1", models: [llama-3.3-70b-versatile] }
proxies:
  - { id: default }
  - { id: team-b }
virtualKeys:
  - { name: full, key: "${KEY}", proxies: [default], credentials: { openai: openai-main, groq: groq-main } }
  - { name: no-groq, key: "${NO_GROQ}", proxies: [default, team-b], credentials: { openai: openai-main } }
  - { name: custom, key: "${CUSTOM}", proxies: [default], credentials: { openai: openai-main } }
  - { name: expired, key: "${EXPIRED}", proxies: [default], credentials: { openai: openai-main }, expiresAt: "2020-01-01T00:00:00Z" }
`);
});

after(async () => {
  await proxy?.stop();
  await upstream?.close();
});

/** Each test speaks from its own client address (the proxy trusts loopback's X-Forwarded-For). */
let nextAddress = 1;
const from = () => ({ "x-forwarded-for": `198.51.100.${nextAddress++}` });

const admin = (method: string, path: string, body?: unknown) =>
  fetch(`${proxy.url}/api${path}`, {
    method,
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, "content-type": "application/json", ...from() },
    body: body === undefined ? undefined : JSON.stringify(body),
  }).then(async (r) => ({ status: r.status, body: (await r.json()) as Record<string, any> }));

describe("virtual keys", () => {
  test("the openai SDK with a virtual key; its mapped credential goes upstream; last_used_at is written off the path", async () => {
    const client = new OpenAI({ baseURL: `${proxy.url}/v1/model-router/default`, apiKey: KEY, maxRetries: 0, defaultHeaders: from() });
    const reply = await client.chat.completions.create({ model: "groq:llama-3.3-70b-versatile", messages: [{ role: "user", content: "hi groq" }] });
    assert.match(reply.choices[0].message.content ?? "", /hi groq/);
    assert.equal(upstream.last().headers.authorization, "Bearer gsk-upstream-groq-0002");
    const id = proxy.catalog.verifyVirtualKey(KEY);
    assert.ok("key" in id);
    await proxy.catalog.flushUsage();
    const row = await proxy.store.db.selectFrom("virtual_keys").select("last_used_at").where("id", "=", id.key.id).executeTakeFirstOrThrow();
    assert.ok(row.last_used_at && Date.now() - Date.parse(row.last_used_at) < 10_000);
  });

  test("a key in any header an SDK uses, and a key that does not have our prefix", async () => {
    for (const headers of [{ "x-api-key": KEY }, { "api-key": KEY }, { "x-goog-api-key": KEY }, { authorization: `bearer ${KEY}` }]) {
      const res = await fetch(`${proxy.url}/v1/model-router/default/chat/completions`, {
        method: "POST",
        headers: { "content-type": "application/json", ...headers, ...from() },
        body: JSON.stringify({ model: "openai:gpt-4o-mini", messages: [{ role: "user", content: "x" }] }),
      });
      assert.equal(res.status, 200, JSON.stringify(headers));
    }
    assert.equal((await chat(proxy.url, CUSTOM, "default", "openai:gpt-4o-mini", from())).status, 200);
  });

  test("unknown, revoked, expired and missing keys: 401 with the reason, in the client's format", async () => {
    const unknown = await chat(proxy.url, "pk-auth-unknown-0123456789abcdefghijklmnopq", "default", "openai:gpt-4o-mini", from());
    assert.equal(unknown.status, 401);
    const { type: _type, ...error } = unknown.body.error!;
    assert.deepEqual(error, { message: "Invalid API key: no virtual key matches it", param: null, code: "invalid_api_key" });
    assert.equal(unknown.headers.get("www-authenticate"), 'Bearer realm="portcullis"');
    assert.match((await chat(proxy.url, EXPIRED, "default", "openai:gpt-4o-mini", from())).body.error!.message, /has expired/);
    const missing = await chat(proxy.url, undefined, "default", "openai:gpt-4o-mini", from());
    assert.equal(missing.status, 401);
    assert.equal(missing.body.error?.code, "missing_api_key");
    const provider = await chat(proxy.url, "sk-proj-a-real-looking-openai-key", "default", "openai:gpt-4o-mini", from());
    assert.equal(provider.status, 401, "the router never forwards a key that is not ours");
    assert.match(provider.body.error!.message, /takes a virtual key or an access token/);

    const created = await admin("POST", "/virtual-keys", { name: "short-lived", credentials: { openai: "openai-main" } });
    assert.equal(created.status, 201);
    const key = created.body.key as string;
    assert.equal((await chat(proxy.url, key, "default", "openai:gpt-4o-mini", from())).status, 200);
    assert.equal((await admin("DELETE", `/virtual-keys/${created.body.id}`)).status, 200);
    const revoked = await chat(proxy.url, key, "default", "openai:gpt-4o-mini", from());
    assert.equal(revoked.status, 401, "revoked takes effect at once");
    assert.match(revoked.body.error!.message, /revoked/);
  });

  test("isolation: a key for proxy default gets 403 on team-b; a key without a provider's credential gets 403 naming it", async () => {
    const other = await chat(proxy.url, KEY, "team-b", "openai:gpt-4o-mini", from());
    assert.equal(other.status, 403);
    assert.equal(other.body.error?.code, "proxy_forbidden");
    assert.match(other.body.error!.message, /'team-b'/);
    assert.equal((await chat(proxy.url, NO_GROQ, "team-b", "openai:gpt-4o-mini", from())).status, 200);
    const noGroq = await chat(proxy.url, NO_GROQ, "default", "groq:llama-3.3-70b-versatile", from());
    assert.equal(noGroq.status, 403);
    assert.match(noGroq.body.error!.message, /provider 'groq'/);
    const unknownProxy = await chat(proxy.url, KEY, "nope", "openai:gpt-4o-mini", from());
    assert.equal(unknownProxy.status, 404);
  });

  test("PATCH changes proxies, mapping and expiry at once", async () => {
    const created = await admin("POST", "/virtual-keys", { name: "movable", credentials: { openai: "openai-main" } });
    const key = created.body.key as string;
    assert.equal((await chat(proxy.url, key, "team-b", "openai:gpt-4o-mini", from())).status, 403);
    const patched = await admin("PATCH", `/virtual-keys/${created.body.id}`, { proxies: ["team-b"], expiresAt: "2099-01-01" });
    assert.equal(patched.status, 200, JSON.stringify(patched.body));
    assert.deepEqual(patched.body.proxies, ["team-b"]);
    assert.equal(patched.body.expiresAt, "2099-01-01T00:00:00.000Z");
    assert.equal((await chat(proxy.url, key, "team-b", "openai:gpt-4o-mini", from())).status, 200);
    assert.equal((await chat(proxy.url, key, "default", "openai:gpt-4o-mini", from())).status, 403);
  });
});

describe("failed attempts per client address", () => {
  test("past the limit an address gets 429 with Retry-After, valid keys included; other addresses are unaffected", async () => {
    const attacker = { "x-forwarded-for": "203.0.113.66" };
    for (let i = 0; i < 5; i++) {
      const answer = await chat(proxy.url, `pk-guess-${i}-0123456789abcdefghijklmnop`, "default", "openai:gpt-4o-mini", attacker);
      assert.equal(answer.status, 401);
    }
    const blocked = await chat(proxy.url, KEY, "default", "openai:gpt-4o-mini", attacker);
    assert.equal(blocked.status, 429, "even a right guess is refused: the limit must not become an oracle");
    assert.equal(blocked.body.error?.code, "too_many_failed_attempts");
    assert.equal(blocked.body.error?.type, "rate_limit_error");
    const retryAfter = Number(blocked.headers.get("retry-after"));
    assert.ok(retryAfter >= 1 && retryAfter <= 60, String(retryAfter));
    assert.equal((await chat(proxy.url, KEY, "default", "openai:gpt-4o-mini", { "x-forwarded-for": "203.0.113.67" })).status, 200);
    // The token endpoint and the admin API count and refuse the same way.
    const token = await fetch(`${proxy.url}/oauth/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", ...attacker },
      body: "grant_type=client_credentials&client_id=x&client_secret=y",
    });
    assert.equal(token.status, 429);
    assert.ok(token.headers.get("retry-after"));
    const adminAnswer = await fetch(`${proxy.url}/api/proxies`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}`, ...attacker } });
    assert.equal(adminAnswer.status, 429);
  });

  test("the token endpoint and the admin API count failures too", async () => {
    const who = { "x-forwarded-for": "203.0.113.70" };
    for (let i = 0; i < 3; i++) {
      const res = await fetch(`${proxy.url}/oauth/token`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", ...who },
        body: `grant_type=client_credentials&client_id=ghost&client_secret=guess-${i}`,
      });
      assert.equal(res.status, 401);
    }
    for (let i = 0; i < 2; i++) {
      assert.equal((await fetch(`${proxy.url}/api/proxies`, { headers: { authorization: `Bearer wrong-${i}`, ...who } })).status, 401);
    }
    assert.equal((await chat(proxy.url, KEY, "default", "openai:gpt-4o-mini", who)).status, 429);
  });

  test("a genuine but revoked or expired key is refused without counting as a guess", async () => {
    const who = { "x-forwarded-for": "203.0.113.80" };
    for (let i = 0; i < 8; i++) assert.equal((await chat(proxy.url, EXPIRED, "default", "openai:gpt-4o-mini", who)).status, 401);
    assert.equal((await chat(proxy.url, KEY, "default", "openai:gpt-4o-mini", who)).status, 200);
  });

  test("an untrusted peer cannot choose its address with X-Forwarded-For", async () => {
    // The test's own requests come from loopback (trusted): only its first untrusted hop counts.
    const spoof = { "x-forwarded-for": "203.0.113.90, 203.0.113.91" };
    for (let i = 0; i < 5; i++) await chat(proxy.url, `pk-spoof-${i}-0123456789abcdefghijklmnop`, "default", "openai:gpt-4o-mini", spoof);
    assert.equal((await chat(proxy.url, KEY, "default", "openai:gpt-4o-mini", { "x-forwarded-for": "203.0.113.91" })).status, 429, "the nearest untrusted hop is the client");
    assert.equal((await chat(proxy.url, KEY, "default", "openai:gpt-4o-mini", { "x-forwarded-for": "203.0.113.90" })).status, 200, "what the client wrote further left is not its address");
  });
});

test("a config client secret is checked by the token endpoint without a database round trip", async () => {
  // No OAuth client here: unknown client ids are invalid_client, and nothing else leaks.
  const answer = await tokenRequest(proxy.url, { grant_type: "client_credentials", client_id: "nobody", client_secret: "x" });
  assert.equal(answer.status, 401);
  assert.equal(answer.body.error, "invalid_client");
});
