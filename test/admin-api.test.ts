import assert from "node:assert/strict";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, test } from "node:test";
import express from "express";
import { ensureAdminToken } from "../src/config/ensure-admin-token.ts";
import { adminRouter } from "../src/routes/admin/index.ts";
import { Catalog } from "../src/store/catalog.ts";
import { openStore, type Store } from "../src/store/db.ts";
import { getCatalogVersion } from "../src/store/meta.ts";
import { migrate } from "../src/store/migrations/index.ts";
import { insertProxy } from "../src/store/proxies.ts";
import { createSecretBox } from "../src/store/secret-box.ts";

const TOKEN = "admin-token-for-tests-0123456789";
const box = createSecretBox("admin api tests");

let store: Store;
let catalog: Catalog;
let server: Server;
let base: string;

before(async () => {
  store = await openStore("sqlite::memory:");
  await migrate(store);
  await insertProxy(store, { id: "default", name: "Default" });
  await ensureAdminToken(store, { PORTCULLIS_ADMIN_TOKEN: TOKEN });
  catalog = await Catalog.load(store, box);
  const app = express();
  app.use("/api", adminRouter({ store, catalog, box }));
  server = app.listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`;
});

after(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await catalog.close();
  await store.close();
});

interface Answer {
  status: number;
  body: any;
  text: string;
  headers: Headers;
}

async function call(method: string, path: string, body?: unknown, token: string | null = TOKEN, raw?: string): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (token !== null) headers.authorization = `Bearer ${token}`;
  if (body !== undefined || raw !== undefined) headers["content-type"] = "application/json";
  const res = await fetch(base + path, { method, headers, body: raw ?? (body === undefined ? undefined : JSON.stringify(body)) });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined, text, headers: res.headers };
}

function assertError(answer: Answer, status: number, code: string, param: string | null = null) {
  assert.equal(answer.status, status, answer.text);
  assert.equal(answer.body.error.code, code, answer.text);
  assert.equal(answer.body.error.param, param, answer.text);
  assert.equal(typeof answer.body.error.message, "string");
  assert.equal(answer.body.error.type, status === 401 ? "authentication_error" : "invalid_request_error");
}

describe("authentication", () => {
  test("every route needs the admin token", async () => {
    for (const [method, path] of [
      ["GET", "/virtual-keys"],
      ["POST", "/virtual-keys"],
      ["DELETE", "/virtual-keys/x"],
      ["GET", "/proxies"],
      ["POST", "/credentials"],
    ]) {
      assertError(await call(method, path, undefined, null), 401, "missing_admin_token");
      assertError(await call(method, path, undefined, "wrong-token"), 401, "invalid_admin_token");
    }
    assertError(await call("GET", "/proxies", undefined, `${TOKEN}x`), 401, "invalid_admin_token");
    const basic = await fetch(`${base}/proxies`, { headers: { authorization: `Basic ${TOKEN}` } });
    assert.equal(basic.status, 401);
    assert.equal((await call("GET", "/proxies")).status, 200);
    const lowercase = await fetch(`${base}/proxies`, { headers: { authorization: `bearer ${TOKEN}` } });
    assert.equal(lowercase.status, 200);
  });

  test("an unauthenticated body is not even parsed", async () => {
    assertError(await call("POST", "/credentials", undefined, null, "{not json"), 401, "missing_admin_token");
  });
});

describe("credentials", () => {
  const apiKey = "sk-very-secret-value-9f8e7d";

  test("POST creates one and never returns the secret; GET lists and shows without it", async () => {
    const created = await call("POST", "/credentials", { id: "openai-main", provider: "openai", apiKey, baseUrl: "https://gw.example/v1", models: ["gpt-x"] });
    assert.equal(created.status, 201, created.text);
    assert.equal(created.body.id, "openai-main");
    assert.equal(created.body.hint, apiKey.slice(-4));
    assert.equal(created.body.baseUrl, "https://gw.example/v1");
    assert.deepEqual(created.body.models, ["gpt-x"]);
    assert.ok(!created.text.includes(apiKey) && !("apiKey" in created.body));
    assert.equal(created.headers.get("cache-control"), "no-store");

    const listed = await call("GET", "/credentials");
    assert.equal(listed.status, 200);
    assert.deepEqual(listed.body.data, [created.body]);
    assert.ok(!listed.text.includes(apiKey));
    const one = await call("GET", "/credentials/openai-main");
    assert.deepEqual(one.body, created.body);
    assert.ok(!one.text.includes(apiKey));
    // The catalog has it at once, decrypted.
    assert.equal(catalog.credential("openai-main")?.apiKey, apiKey);

    await call("POST", "/credentials", { id: "groq-main", provider: "groq", apiKey: "gsk-abcdefgh" });
  });

  test("duplicates, unknown ids and invalid bodies are refused with the field named", async () => {
    assertError(await call("POST", "/credentials", { id: "openai-main", provider: "openai", apiKey: "sk-other-0000" }), 409, "already_exists", "id");
    assert.equal(catalog.credential("openai-main")?.apiKey, apiKey, "a refused duplicate changes nothing");
    assertError(await call("GET", "/credentials/nope"), 404, "not_found", "id");
    assertError(await call("POST", "/credentials", { id: "x", provider: "nope" }), 400, "invalid_request_body", "provider");
    assertError(await call("POST", "/credentials", { id: "x", provider: "openai", apikey: "typo" }), 400, "invalid_request_body", "apikey");
    assertError(await call("POST", "/credentials", { id: "x", provider: "openai", baseUrl: "file:///etc/passwd" }), 400, "invalid_request_body", "baseUrl");
    assertError(await call("POST", "/credentials", { id: "bad id!", provider: "openai" }), 400, "invalid_request_body", "id");
    assertError(await call("POST", "/credentials", { provider: "openai" }), 400, "invalid_request_body", "id");
    assertError(await call("POST", "/credentials", { id: "x", provider: "openai", options: { region: 1 } }), 400, "invalid_request_body", "options.region");
    assertError(await call("POST", "/credentials", [1, 2]), 400, "invalid_request_body");
    assertError(await call("POST", "/credentials", undefined, TOKEN, "{not json"), 400, "invalid_json");
    const huge = await call("POST", "/credentials", undefined, TOKEN, JSON.stringify({ id: "x", provider: "openai", apiKey: "k".repeat(300_000) }));
    assert.equal(huge.status, 413);
    assert.equal(huge.body.error.code, "payload_too_large");
    assert.equal((await call("GET", "/credentials")).body.data.length, 2);
  });
});

describe("proxies", () => {
  test("POST creates one, GET lists and shows it, and the catalog serves it at once", async () => {
    const version = await getCatalogVersion(store);
    const created = await call("POST", "/proxies", { id: "team-a", name: "Team A", credentials: { openai: "openai-main" } });
    assert.equal(created.status, 201, created.text);
    assert.deepEqual({ ...created.body, createdAt: undefined }, { id: "team-a", name: "Team A", credentials: { openai: "openai-main" }, createdAt: undefined });
    assert.equal(await getCatalogVersion(store), String(Number(version) + 1));
    assert.equal(catalog.proxy("team-a")?.name, "Team A");
    assert.equal(catalog.resolveCredential("team-a", undefined, "openai")?.id, "openai-main");
    const unnamed = await call("POST", "/proxies", { id: "team-b" });
    assert.equal(unnamed.body.name, "team-b");
    const listed = await call("GET", "/proxies");
    assert.deepEqual(
      listed.body.data.map((p: { id: string }) => p.id),
      ["default", "team-a", "team-b"],
    );
    assert.deepEqual((await call("GET", "/proxies/team-a")).body, created.body);
  });

  test("duplicates, unknown ids and bad mappings are refused", async () => {
    assertError(await call("POST", "/proxies", { id: "team-a" }), 409, "already_exists", "id");
    assertError(await call("GET", "/proxies/ghost"), 404, "not_found", "id");
    assertError(await call("POST", "/proxies", { id: "p", credentials: { openai: "ghost" } }), 400, "unknown_credential", "credentials.openai");
    assertError(await call("POST", "/proxies", { id: "p", credentials: { openai: "groq-main" } }), 400, "provider_mismatch", "credentials.openai");
    assertError(await call("POST", "/proxies", { id: "p", credentials: { nope: "groq-main" } }), 400, "invalid_request_body", "credentials.nope");
    assertError(await call("POST", "/proxies", { id: "p", name: 5 }), 400, "invalid_request_body", "name");
    assert.equal(catalog.proxy("p"), undefined);
  });
});

describe("virtual keys", () => {
  let created: Answer;

  test("POST returns the key once; it works at once; GET never shows hash or key", async () => {
    created = await call("POST", "/virtual-keys", { name: "my-app", proxies: ["team-a", "default"], credentials: { groq: "groq-main" } });
    assert.equal(created.status, 201, created.text);
    const { key, ...record } = created.body;
    assert.match(key, /^pk-[A-Za-z0-9_-]{43}$/);
    assert.equal(record.name, "my-app");
    assert.deepEqual(record.proxies, ["team-a", "default"]);
    assert.deepEqual(record.credentials, { groq: "groq-main" });
    assert.ok(key.startsWith(record.prefix));
    assert.ok(!("hash" in record));
    const verdict = catalog.verifyVirtualKey(key);
    assert.ok("key" in verdict && verdict.key.id === record.id);

    const listed = await call("GET", "/virtual-keys");
    assert.equal(listed.status, 200);
    assert.deepEqual(listed.body.data, [record]);
    assert.ok(!listed.text.includes(key) && !listed.text.includes(verdict.key.hash));
    assert.deepEqual((await call("GET", `/virtual-keys/${record.id}`)).body, record);

    const defaults = await call("POST", "/virtual-keys", { name: "plain" });
    assert.deepEqual(defaults.body.proxies, ["default"]);
    assert.deepEqual(defaults.body.credentials, {});
    const dated = await call("POST", "/virtual-keys", { name: "dated", expiresAt: "2099-01-01T01:00:00+01:00" });
    assert.equal(dated.body.expiresAt, "2099-01-01T00:00:00.000Z");
  });

  test("invalid bodies, unknown proxies and credentials, duplicates and past expiry are refused", async () => {
    assertError(await call("POST", "/virtual-keys", { name: "my-app" }), 409, "already_exists", "name");
    assertError(await call("POST", "/virtual-keys", { name: "x", proxies: ["ghost"] }), 400, "unknown_proxy", "proxies[0]");
    assertError(await call("POST", "/virtual-keys", { name: "x", credentials: { openai: "ghost" } }), 400, "unknown_credential", "credentials.openai");
    assertError(await call("POST", "/virtual-keys", { name: "x", expiresAt: "2001-01-01T00:00:00Z" }), 400, "invalid_value", "expiresAt");
    assertError(await call("POST", "/virtual-keys", { name: "x", expiresAt: "tomorrow" }), 400, "invalid_request_body", "expiresAt");
    assertError(await call("POST", "/virtual-keys", { name: "" }), 400, "invalid_request_body", "name");
    assertError(await call("POST", "/virtual-keys", { name: "x", proxies: [] }), 400, "invalid_request_body", "proxies");
    assertError(await call("POST", "/virtual-keys", { name: "x", key: "pk-chosen-by-caller-000" }), 400, "invalid_request_body", "key");
    assertError(await call("GET", "/virtual-keys/ghost"), 404, "not_found", "id");
    const names = (await call("GET", "/virtual-keys")).body.data.map((k: { name: string }) => k.name);
    assert.deepEqual(names, ["my-app", "plain", "dated"]);
  });

  test("DELETE revokes: the catalog refuses the key at once; again is harmless; unknown is 404", async () => {
    const { key, id } = created.body;
    const version = await getCatalogVersion(store);
    const revoked = await call("DELETE", `/virtual-keys/${id}`);
    assert.equal(revoked.status, 200, revoked.text);
    assert.ok(Date.now() - Date.parse(revoked.body.revokedAt) < 60_000);
    assert.ok(!("hash" in revoked.body));
    assert.deepEqual(catalog.verifyVirtualKey(key), { error: "revoked" });
    assert.equal(await getCatalogVersion(store), String(Number(version) + 1));
    const again = await call("DELETE", `/virtual-keys/${id}`);
    assert.equal(again.status, 200);
    assert.equal(again.body.revokedAt, revoked.body.revokedAt);
    assert.equal(await getCatalogVersion(store), String(Number(version) + 1), "nothing changed, no bump");
    assertError(await call("DELETE", "/virtual-keys/ghost"), 404, "not_found", "id");
  });
});

test("without a stored admin token every request is refused", async () => {
  const bare = await openStore("sqlite::memory:");
  await migrate(bare);
  const app = express();
  app.use("/api", adminRouter({ store: bare, catalog: await Catalog.load(bare, box), box }));
  const s = app.listen(0, "127.0.0.1");
  await new Promise((resolve) => s.once("listening", resolve));
  try {
    const res = await fetch(`http://127.0.0.1:${(s.address() as AddressInfo).port}/api/proxies`, { headers: { authorization: "Bearer anything-at-all-000" } });
    assert.equal(res.status, 401);
  } finally {
    s.closeAllConnections();
    await new Promise((resolve) => s.close(resolve));
    await bare.close();
  }
});
