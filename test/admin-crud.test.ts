import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, describe, test } from "node:test";
import { parse as parseYaml } from "yaml";
import { startOpenAiFake } from "./fake-upstreams/openai.ts";
import type { FakeUpstream } from "./fake-upstreams/fake-reply.ts";
import { ADMIN_TOKEN, startTestProxy, type TestProxy } from "./helpers/start-proxy.ts";
import { accessToken, chat } from "./auth-support.ts";

let upstream: FakeUpstream;
let proxy: TestProxy;

before(async () => {
  upstream = await startOpenAiFake();
  proxy = await startTestProxy(`
credentials:
  - { id: openai-main, provider: openai, apiKey: sk-upstream-main-0001, baseUrl: "${upstream.url}/v1" }
proxies:
  - { id: default, credentials: { openai: openai-main } }
`);
});

after(async () => {
  await proxy?.stop();
  await upstream?.close();
});

interface Answer {
  status: number;
  body: any;
  text: string;
}

async function api(method: string, path: string, body?: unknown): Promise<Answer> {
  const res = await fetch(`${proxy.url}/api${path}`, {
    method,
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined, text };
}

function assertError(answer: Answer, status: number, code: string, param: string | null = null) {
  assert.equal(answer.status, status, answer.text);
  assert.equal(answer.body.error.code, code, answer.text);
  assert.equal(answer.body.error.param, param, answer.text);
}

describe("proxies", () => {
  test("PUT replaces, PATCH changes what it names, DELETE refuses the default and proxies in use", async () => {
    assert.equal((await api("POST", "/proxies", { id: "team-x", name: "Team X", credentials: { openai: "openai-main" } })).status, 201);
    const patched = await api("PATCH", "/proxies/team-x", { name: "Team X2" });
    assert.equal(patched.status, 200);
    assert.deepEqual({ name: patched.body.name, credentials: patched.body.credentials }, { name: "Team X2", credentials: { openai: "openai-main" } });
    const replaced = await api("PUT", "/proxies/team-x", {});
    assert.deepEqual({ name: replaced.body.name, credentials: replaced.body.credentials }, { name: "team-x", credentials: {} });
    assertError(await api("PATCH", "/proxies/team-x", { credentials: { openai: "nope" } }), 400, "unknown_credential", "credentials.openai");
    assertError(await api("PUT", "/proxies/ghost", {}), 404, "not_found", "id");
    assertError(await api("DELETE", "/proxies/default"), 409, "protected", "id");

    const key = await api("POST", "/virtual-keys", { name: "x-user", proxies: ["team-x"] });
    const inUse = await api("DELETE", "/proxies/team-x");
    assertError(inUse, 409, "in_use", "id");
    assert.match(inUse.body.error.message, /virtual key 'x-user'/);
    await api("DELETE", `/virtual-keys/${key.body.id}`);
    assert.equal((await api("DELETE", "/proxies/team-x")).status, 204, "a revoked key does not hold it");
    assertError(await api("GET", "/proxies/team-x"), 404, "not_found", "id");
  });
});

describe("credentials", () => {
  const secret = "sk-crud-original-secret-0001";
  const rotated = "sk-crud-rotated-secret-0002";

  test("PATCH apiKey rotates the secret (write-only: only a hint comes back); null clears a field", async () => {
    const created = await api("POST", "/credentials", { id: "crud-cred", provider: "openai", apiKey: secret, baseUrl: "https://a.example/v1" });
    assert.equal(created.status, 201);
    const patched = await api("PATCH", "/credentials/crud-cred", { apiKey: rotated, baseUrl: null });
    assert.equal(patched.status, 200, patched.text);
    assert.equal(patched.body.hint, "0002");
    assert.equal(patched.body.baseUrl, undefined);
    assert.ok(!patched.text.includes(rotated) && !("apiKey" in patched.body));
    assert.equal(proxy.catalog.credential("crud-cred")?.apiKey, rotated, "in effect at once");
    assertError(await api("PATCH", "/credentials/crud-cred", { provider: "groq" }), 400, "invalid_request_body", "provider");
  });

  test("PUT replaces everything (an absent secret is cleared); a provider change is refused while mapped", async () => {
    const replaced = await api("PUT", "/credentials/crud-cred", { provider: "openai", models: ["gpt-x"] });
    assert.equal(replaced.status, 200, replaced.text);
    assert.equal(replaced.body.hint, undefined);
    assert.deepEqual(replaced.body.models, ["gpt-x"]);
    assert.equal(proxy.catalog.credential("crud-cred")?.apiKey, undefined);
    await api("POST", "/proxies", { id: "uses-cred", credentials: { openai: "crud-cred" } });
    const moved = await api("PUT", "/credentials/crud-cred", { provider: "groq" });
    assertError(moved, 409, "in_use", "id");
    assert.match(moved.body.error.message, /proxy 'uses-cred'/);
    assertError(await api("DELETE", "/credentials/crud-cred"), 409, "in_use", "id");
    await api("DELETE", "/proxies/uses-cred");
    assert.equal((await api("DELETE", "/credentials/crud-cred")).status, 204);
    assertError(await api("DELETE", "/credentials/crud-cred"), 404, "not_found", "id");
  });
});

describe("virtual keys", () => {
  test("PATCH validates: a taken name 409, a past expiry and an unknown proxy 400 with the field", async () => {
    const a = await api("POST", "/virtual-keys", { name: "vk-a" });
    await api("POST", "/virtual-keys", { name: "vk-b" });
    assertError(await api("PATCH", `/virtual-keys/${a.body.id}`, { name: "vk-b" }), 409, "already_exists", "name");
    assertError(await api("PATCH", `/virtual-keys/${a.body.id}`, { expiresAt: "2020-01-01" }), 400, "invalid_value", "expiresAt");
    assertError(await api("PATCH", `/virtual-keys/${a.body.id}`, { proxies: ["default", "ghost"] }), 400, "unknown_proxy", "proxies[1]");
    assertError(await api("PATCH", `/virtual-keys/${a.body.id}`, { key: "pk-mine" }), 400, "invalid_request_body", "key");
    const cleared = await api("PATCH", `/virtual-keys/${a.body.id}`, { expiresAt: "2099-12-31T00:00:00Z" });
    assert.equal(cleared.body.expiresAt, "2099-12-31T00:00:00.000Z");
    assert.equal((await api("PATCH", `/virtual-keys/${a.body.id}`, { expiresAt: null })).body.expiresAt, undefined);
    assert.ok(!("key" in cleared.body) && !("hash" in cleared.body));
  });

  test("lists are paginated with an opaque cursor", async () => {
    for (let i = 0; i < 4; i++) await api("POST", "/virtual-keys", { name: `paged-${i}` });
    const all = await api("GET", "/virtual-keys?limit=1000");
    assert.equal(all.body.next_cursor, null);
    const names: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Answer = await api("GET", `/virtual-keys?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
      assert.equal(page.status, 200, page.text);
      assert.ok(page.body.data.length <= 2);
      names.push(...page.body.data.map((k: { name: string }) => k.name));
      cursor = page.body.next_cursor;
    } while (cursor);
    assert.deepEqual(names, all.body.data.map((k: { name: string }) => k.name));
    assertError(await api("GET", "/virtual-keys?limit=0"), 400, "invalid_value", "limit");
    assertError(await api("GET", "/virtual-keys?limit=abc"), 400, "invalid_value", "limit");
    assertError(await api("GET", "/virtual-keys?cursor=not-a-cursor"), 400, "invalid_value", "cursor");
    for (const list of ["/proxies", "/credentials", "/oauth-clients", "/identity-providers", "/signing-keys"]) {
      const page = await api("GET", `${list}?limit=1`);
      assert.equal(page.status, 200, list);
      assert.ok(Array.isArray(page.body.data) && "next_cursor" in page.body, list);
    }
  });
});

describe("OAuth clients", () => {
  test("the secret is returned once, by the POST that creates the client; never by a read", async () => {
    const created = await api("POST", "/oauth-clients", { clientId: "crud-bot", name: "CRUD bot", tokenTtlSeconds: 300 });
    assert.equal(created.status, 201, created.text);
    const secret = created.body.clientSecret as string;
    assert.match(secret, /^pcs-/);
    assert.deepEqual(created.body.proxies, ["default"]);
    assert.deepEqual(created.body.scopes, ["llm:proxy"]);
    assert.equal(created.body.secretPrefix, secret.slice(0, 11));
    for (const read of [await api("GET", "/oauth-clients/crud-bot"), await api("GET", "/oauth-clients")]) {
      assert.ok(!read.text.includes(secret) && !read.text.includes("secretHash") && !read.text.includes("clientSecret"));
    }
    assertError(await api("POST", "/oauth-clients", { clientId: "crud-bot" }), 409, "already_exists", "clientId");
    const token = await accessToken(proxy.url, "crud-bot", secret);
    assert.equal((await chat(proxy.url, token)).status, 200);

    const generated = await api("POST", "/oauth-clients", {});
    assert.match(generated.body.clientId, /^client-[0-9a-f]{16}$/);

    assert.equal((await api("DELETE", "/oauth-clients/crud-bot")).status, 204);
    assertError(await api("GET", "/oauth-clients/crud-bot"), 404, "not_found", "id");
    assertError(await api("DELETE", "/oauth-clients/crud-bot"), 404, "not_found", "id");
    const after = await chat(proxy.url, token);
    assert.equal(after.status, 401, "a deleted client's tokens stop at once");
    assert.match(after.body.error!.message, /no longer exists/);
  });

  test("bodies are validated field by field", async () => {
    const bad = await api("POST", "/oauth-clients", { clientId: "bad id", scopes: ["admin"], proxies: [], tokenTtlSeconds: 5, extra: 1 });
    assertError(bad, 400, "invalid_request_body", "clientId");
    const params = bad.body.error.details.map((d: { param: string }) => d.param).sort();
    assert.deepEqual(params, ["clientId", "extra", "proxies", "scopes[0]", "tokenTtlSeconds"]);
    assertError(await api("POST", "/oauth-clients", { proxies: ["ghost"] }), 400, "unknown_proxy", "proxies[0]");
    assertError(await api("POST", "/oauth-clients", { credentials: { openai: "ghost" } }), 400, "unknown_credential", "credentials.openai");
    assertError(await api("POST", "/oauth-clients/ghost/rotate-secret", {}), 404, "not_found", "id");
    assertError(await api("POST", "/oauth-clients", {}).then(async (c) => api("POST", `/oauth-clients/${c.body.clientId}/rotate-secret`, { gracePeriodSeconds: -1 })), 400, "invalid_request_body", "gracePeriodSeconds");
  });
});

describe("identity providers", () => {
  test("create, replace, patch (null clears), delete; algorithms without none and HS*", async () => {
    const base = { id: "crud-idp", issuer: "https://id.example/", audience: "portcullis", algorithms: ["RS256", "ES256"], requiredClaims: { groups: "llm" } };
    const created = await api("POST", "/identity-providers", base);
    assert.equal(created.status, 201, created.text);
    assert.deepEqual(created.body.audience, ["portcullis"]);
    assert.equal(created.body.userClaim, "sub");
    assert.deepEqual(created.body.proxies, ["default"]);
    assertError(await api("POST", "/identity-providers", base), 409, "already_exists", "id");
    assertError(await api("POST", "/identity-providers", { ...base, id: "hs", algorithms: ["HS256"] }), 400, "invalid_request_body", "algorithms[0]");
    assertError(await api("POST", "/identity-providers", { ...base, id: "none", algorithms: ["none"] }), 400, "invalid_request_body", "algorithms[0]");
    assertError(await api("POST", "/identity-providers", { ...base, id: "no-aud", audience: undefined }), 400, "invalid_request_body", "audience");
    assertError(await api("POST", "/identity-providers", { ...base, id: "file", jwksUri: "file:///etc/keys" }), 400, "invalid_request_body", "jwksUri");

    const patched = await api("PATCH", "/identity-providers/crud-idp", { userClaim: "email", requiredClaims: null, jwksUri: "https://id.example/keys" });
    assert.equal(patched.status, 200, patched.text);
    assert.equal(patched.body.userClaim, "email");
    assert.equal(patched.body.requiredClaims, undefined);
    assert.deepEqual(patched.body.algorithms, ["RS256", "ES256"], "untouched fields are kept");
    const replaced = await api("PUT", "/identity-providers/crud-idp", { issuer: "https://id2.example/", audience: ["a", "b"] });
    assert.equal(replaced.body.issuer, "https://id2.example/");
    assert.equal(replaced.body.algorithms, undefined);
    assert.equal(replaced.body.jwksUri, undefined);
    assert.equal((await api("DELETE", "/identity-providers/crud-idp")).status, 204);
    assertError(await api("DELETE", "/identity-providers/crud-idp"), 404, "not_found", "id");
  });
});

describe("signing keys", () => {
  test("rotation returns the new public key; a bad algorithm is refused", async () => {
    const before = await api("GET", "/signing-keys");
    const rotated = await api("POST", "/signing-keys/rotate", {});
    assert.equal(rotated.status, 201);
    assert.equal(rotated.body.alg, "ES256");
    assert.equal(rotated.body.retiredAt, undefined);
    const after = await api("GET", "/signing-keys");
    assert.equal(after.body.data.length, before.body.data.length + 1);
    assertError(await api("POST", "/signing-keys/rotate", { alg: "HS256" }), 400, "invalid_request_body", "alg");
  });
});

test("openapi.yaml documents every admin and OAuth route", () => {
  const spec = parseYaml(readFileSync(new URL("../openapi.yaml", import.meta.url), "utf8")) as { paths: Record<string, Record<string, unknown>> };
  const expected: Record<string, string[]> = {
    "/api/proxies": ["get", "post"],
    "/api/proxies/{id}": ["get", "put", "patch", "delete"],
    "/api/credentials": ["get", "post"],
    "/api/credentials/{id}": ["get", "put", "patch", "delete"],
    "/api/virtual-keys": ["get", "post"],
    "/api/virtual-keys/{id}": ["get", "patch", "delete"],
    "/api/oauth-clients": ["get", "post"],
    "/api/oauth-clients/{clientId}": ["get", "patch", "delete"],
    "/api/oauth-clients/{clientId}/rotate-secret": ["post"],
    "/api/identity-providers": ["get", "post"],
    "/api/identity-providers/{id}": ["get", "put", "patch", "delete"],
    "/api/signing-keys": ["get"],
    "/api/signing-keys/rotate": ["post"],
    "/oauth/token": ["post"],
    "/.well-known/jwks.json": ["get"],
    "/.well-known/oauth-authorization-server": ["get"],
  };
  for (const [path, methods] of Object.entries(expected)) {
    assert.ok(spec.paths[path], `${path} is documented`);
    for (const m of methods) assert.ok(spec.paths[path][m], `${m.toUpperCase()} ${path} is documented`);
  }
});
