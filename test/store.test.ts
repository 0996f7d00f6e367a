import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test, type TestContext } from "node:test";
import { InsertQueryNode, ValuesNode, type KyselyPlugin } from "kysely";
import { Catalog } from "../src/store/catalog.ts";
import { insertCredential, loadCredentialSecrets, upsertCredential } from "../src/store/credentials.ts";
import { openStore, type Store } from "../src/store/db.ts";
import { InteractionLog, type InteractionRow } from "../src/store/interaction-log.ts";
import { bumpCatalogVersion, getCatalogVersion } from "../src/store/meta.ts";
import { MIGRATIONS, migrate } from "../src/store/migrations/index.ts";
import { insertProxy } from "../src/store/proxies.ts";
import { createSecretBox } from "../src/store/secret-box.ts";
import { createVirtualKey, getVirtualKey, listVirtualKeys, revokeVirtualKey } from "../src/store/virtual-keys.ts";
import { postgresBackend, sqliteBackend } from "./helpers/test-databases.ts";

/**
 * One suite, two databases: SQLite in a temp dir and PostgreSQL in a database made for this run
 * (dropped at the end). Without a PostgreSQL server its cases are skipped, loudly.
 */

const box = createSecretBox("test secret for the store suite");
const uniq = (label: string) => `${label}-${randomBytes(4).toString("hex")}`;

function interaction(proxyId: string, i: number, extra: Partial<InteractionRow> = {}): InteractionRow {
  return {
    id: `${proxyId}-${String(i).padStart(6, "0")}`,
    createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, 0, i)).toISOString(),
    proxyId,
    route: "router",
    clientFormat: "openai-chat",
    status: 200,
    stream: false,
    ...extra,
  };
}

async function countInteractions(store: Store, proxyId: string): Promise<number> {
  const row = await store.db
    .selectFrom("interactions")
    .select((eb) => eb.fn.countAll().as("n"))
    .where("proxy_id", "=", proxyId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** A view of the store whose inserts into `interactions` are counted (and can be made to fail). */
function instrumented(store: Store, failFirst = 0): { store: Store; inserts: number[] } {
  const inserts: number[] = [];
  let failures = failFirst;
  const plugin: KyselyPlugin = {
    transformQuery({ node }) {
      if (InsertQueryNode.is(node) && node.into?.table.identifier.name === "interactions") {
        if (failures > 0) {
          failures--;
          throw new Error("simulated database outage");
        }
        inserts.push(node.values && ValuesNode.is(node.values) ? node.values.values.length : 0);
      }
      return node;
    },
    async transformResult({ result }) {
      return result;
    },
  };
  return { store: { ...store, db: store.db.withPlugin(plugin) }, inserts };
}

async function until(check: () => boolean | Promise<boolean>, timeoutMs = 3000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error("condition not reached in time");
    await new Promise((r) => setTimeout(r, 20));
  }
}

for (const backend of [sqliteBackend("store", join("nested", "portcullis.db")), postgresBackend("store")]) {
  describe(`store on ${backend.name}`, () => {
    let store: Store;

    before(async () => {
      await backend.setup();
      if (backend.skip) return;
      store = await openStore(backend.url!);
      await migrate(store);
    });

    after(async () => {
      await store?.close();
      await backend.teardown();
    });

    /** Runs the case unless the backend is unavailable, in which case the case is marked skipped. */
    const it = (name: string, fn: (t: TestContext) => Promise<void>) =>
      test(name, async (t) => {
        if (backend.skip) return t.skip(backend.skip);
        await fn(t);
      });

    it("migrations are idempotent, from this and from a second connection", async () => {
      assert.deepEqual(await migrate(store), []);
      const second = await openStore(backend.url!);
      try {
        assert.deepEqual(await migrate(second), []);
        const applied = await second.db.selectFrom("kysely_migration" as never).select("name" as never).execute();
        assert.deepEqual(
          applied.map((r) => (r as { name: string }).name),
          Object.keys(MIGRATIONS),
        );
      } finally {
        await second.close();
      }
      if (backend.name === "sqlite") assert.ok(existsSync(backend.url!.slice("sqlite:".length)), "the sqlite file and its folder are created");
    });

    it("keeps provider secrets encrypted at rest and opens them with the right key", async () => {
      const id = uniq("cred");
      const apiKey = `sk-live-${randomBytes(12).toString("hex")}`;
      const info = await insertCredential(store, box, { id, provider: "openai", apiKey, baseUrl: "https://example.test/v1", models: ["gpt-x"] });
      assert.equal(info?.hint, apiKey.slice(-4));
      assert.ok(info && !("apiKey" in info));
      const raw = await store.db.selectFrom("credentials").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
      assert.ok(raw.secret && !raw.secret.includes(apiKey), "the stored secret is not the key");
      assert.match(raw.secret!, /^v1\.[0-9a-f]{8}\./);
      assert.equal(raw.models, JSON.stringify(["gpt-x"]));
      const opened = (await loadCredentialSecrets(store, box)).find((c) => c.id === id);
      assert.equal(opened?.apiKey, apiKey);
      assert.equal(opened?.baseUrl, "https://example.test/v1");

      // Unchanged input leaves the sealed value alone; a new key re-seals it.
      assert.equal(await upsertCredential(store, box, { id, provider: "openai", apiKey, baseUrl: "https://example.test/v1", models: ["gpt-x"] }), "unchanged");
      const same = await store.db.selectFrom("credentials").select("secret").where("id", "=", id).executeTakeFirstOrThrow();
      assert.equal(same.secret, raw.secret);
      assert.equal(await upsertCredential(store, box, { id, provider: "openai", apiKey: "sk-rotated-0000", baseUrl: "https://example.test/v1", models: ["gpt-x"] }), "updated");
      const rotated = (await loadCredentialSecrets(store, box)).find((c) => c.id === id);
      assert.equal(rotated?.apiKey, "sk-rotated-0000");
      assert.equal(rotated?.hint, "0000");
    });

    it("fails clearly when the secret key is not the one the database was written with", async () => {
      await insertCredential(store, box, { id: uniq("cred"), provider: "openai", apiKey: "sk-abcdefgh" });
      const wrong = createSecretBox("a different secret");
      await assert.rejects(Catalog.load(store, wrong), (err: Error) => {
        assert.match(err.message, /Credential '.+': Cannot decrypt a stored secret: it was encrypted with key [0-9a-f]{8} but the current key is [0-9a-f]{8}/);
        assert.match(err.message, /PORTCULLIS_SECRET/);
        return true;
      });
    });

    it("stores keys as hash and prefix, returning the plaintext only on creation", async () => {
      const name = uniq("key");
      const created = await createVirtualKey(store, { name, proxies: ["default"], credentials: { openai: "x" } });
      assert.ok(created);
      assert.match(created.plaintext, /^pk-[A-Za-z0-9_-]{43}$/);
      assert.equal(created.generated, true);
      assert.equal(created.record.hash, createHash("sha256").update(created.plaintext).digest("hex"));
      assert.ok(created.plaintext.startsWith(created.record.prefix) && created.record.prefix.length >= 8);
      const raw = await store.db.selectFrom("virtual_keys").selectAll().where("name", "=", name).executeTakeFirstOrThrow();
      assert.ok(!Object.values(raw).some((v) => typeof v === "string" && v.includes(created.plaintext)), "no column holds the key");
      const listed = (await listVirtualKeys(store)).find((k) => k.name === name);
      assert.deepEqual(listed, created.record);
      assert.ok(!JSON.stringify(listed).includes(created.plaintext));
      // The same name again is refused (undefined), not overwritten.
      assert.equal(await createVirtualKey(store, { name, proxies: ["default"] }), undefined);
      const supplied = await createVirtualKey(store, { name: uniq("key"), key: "my-own-key-0123456789", proxies: ["default"] });
      assert.equal(supplied?.generated, false);
      assert.equal(supplied?.record.hash, createHash("sha256").update("my-own-key-0123456789").digest("hex"));
    });

    it("catalog verifies keys: unknown, revoked, expired, and resolves credentials key-first", async () => {
      const proxyId = uniq("proxy");
      const proxyCred = uniq("cred");
      const keyCred = uniq("cred");
      await insertCredential(store, box, { id: proxyCred, provider: "openai", apiKey: "sk-proxy-1111" });
      await insertCredential(store, box, { id: keyCred, provider: "openai", apiKey: "sk-key-22222" });
      await insertCredential(store, box, { id: `${proxyCred}-g`, provider: "groq", apiKey: "gsk-333333" });
      await insertProxy(store, { id: proxyId, name: "P", credentials: { openai: proxyCred, groq: `${proxyCred}-g`, mistral: "missing" } });
      const live = await createVirtualKey(store, { name: uniq("live"), proxies: [proxyId], credentials: { openai: keyCred } });
      const revoked = await createVirtualKey(store, { name: uniq("revoked"), proxies: [proxyId] });
      const expired = await createVirtualKey(store, { name: uniq("expired"), proxies: [proxyId], expiresAt: new Date(Date.now() - 1000).toISOString() });
      const later = await createVirtualKey(store, { name: uniq("later"), proxies: [proxyId], expiresAt: new Date(Date.now() + 3_600_000).toISOString() });
      const revokedRecord = await revokeVirtualKey(store, revoked!.record.id);
      assert.ok(revokedRecord?.revokedAt);
      assert.equal(await revokeVirtualKey(store, "no-such-id"), undefined);

      const catalog = await Catalog.load(store, box);
      try {
        const ok = catalog.verifyVirtualKey(live!.plaintext);
        assert.ok("key" in ok);
        assert.equal(ok.key.id, live!.record.id);
        assert.deepEqual(catalog.verifyVirtualKey(`${live!.plaintext}x`), { error: "unknown" });
        assert.deepEqual(catalog.verifyVirtualKey(""), { error: "unknown" });
        assert.deepEqual(catalog.verifyVirtualKey(revoked!.plaintext), { error: "revoked" });
        assert.deepEqual(catalog.verifyVirtualKey(expired!.plaintext), { error: "expired" });
        assert.ok("key" in catalog.verifyVirtualKey(later!.plaintext));

        assert.equal(catalog.proxy(proxyId)?.name, "P");
        assert.equal(catalog.proxy("nope"), undefined);
        assert.equal(catalog.resolveCredential(proxyId, ok.key.credentials, "openai")?.apiKey, "sk-key-22222");
        assert.equal(catalog.resolveCredential(proxyId, undefined, "openai")?.apiKey, "sk-proxy-1111");
        assert.equal(catalog.resolveCredential(proxyId, ok.key.credentials, "groq")?.apiKey, "gsk-333333");
        assert.equal(catalog.resolveCredential(proxyId, ok.key.credentials, "mistral"), undefined, "a mapping to a missing credential resolves to nothing");
        assert.equal(catalog.credential(keyCred)?.apiKey, "sk-key-22222");
        assert.deepEqual(catalog.providersFor(proxyId, ok.key.credentials), ["openai", "groq"]);

        catalog.markUsed(live!.record.id);
        await catalog.flushUsage();
        const used = await getVirtualKey(store, live!.record.id);
        assert.ok(used?.lastUsedAt && Date.now() - Date.parse(used.lastUsedAt) < 60_000);
      } finally {
        await catalog.close();
      }
    });

    it("catalog reloads when another Store on the same database bumps the version", async () => {
      const catalog = await Catalog.load(store, box);
      const other = await openStore(backend.url!);
      try {
        catalog.watch(30);
        const before = catalog.version;
        const created = await createVirtualKey(other, { name: uniq("remote"), proxies: ["default"] });
        assert.deepEqual(catalog.verifyVirtualKey(created!.plaintext), { error: "unknown" }, "not seen before the bump");
        await bumpCatalogVersion(other);
        assert.equal(await getCatalogVersion(other), String(Number(before) + 1));
        await until(() => "key" in catalog.verifyVirtualKey(created!.plaintext));
        assert.equal(catalog.version, String(Number(before) + 1));

        await revokeVirtualKey(other, created!.record.id);
        await bumpCatalogVersion(other);
        await until(() => "error" in catalog.verifyVirtualKey(created!.plaintext));
        assert.deepEqual(catalog.verifyVirtualKey(created!.plaintext), { error: "revoked" });
      } finally {
        await catalog.close();
        await other.close();
      }
    });

    it("interaction log batches writes off the request path and loses nothing on close", async () => {
      const proxyId = uniq("batch");
      const { store: counted, inserts } = instrumented(store);
      const log = new InteractionLog(counted, { intervalMs: 200, batchSize: 500 });
      for (let i = 0; i < 2000; i++) log.record(interaction(proxyId, i, { stream: i % 2 === 0 }));
      assert.equal(await countInteractions(store, proxyId), 0, "record() never writes synchronously");
      await log.close();
      assert.equal(await countInteractions(store, proxyId), 2000);
      assert.equal(inserts.reduce((a, b) => a + b, 0), 2000);
      assert.ok(inserts.length <= 8 && inserts.every((n) => n <= 500), `multi-row inserts of at most 500: ${inserts}`);
      assert.equal(log.pending, 0);
    });

    it("interaction log writes a partial batch after the interval, with every column", async () => {
      const proxyId = uniq("interval");
      const log = new InteractionLog(store, { intervalMs: 50 });
      const full = interaction(proxyId, 1, {
        route: "passthrough",
        provider: "openai",
        model: "gpt-x",
        requestedModel: "openai:gpt-x",
        virtualKeyId: "vk-1",
        agentId: "agent",
        userId: "user",
        sessionId: "session",
        executionId: "exec",
        status: 502,
        error: "upstream failed",
        stream: true,
        inputTokens: 10,
        outputTokens: 20,
        cacheReadTokens: 3,
        cacheWriteTokens: 4,
        reasoningTokens: 5,
        ttftMs: 12.5,
        durationMs: 40.25,
      });
      log.record(full);
      log.record(interaction(proxyId, 2));
      await until(async () => (await countInteractions(store, proxyId)) === 2, 2000);
      const row = await store.db.selectFrom("interactions").selectAll().where("id", "=", full.id).executeTakeFirstOrThrow();
      assert.deepEqual(
        { ...row },
        {
          id: full.id,
          created_at: full.createdAt,
          proxy_id: proxyId,
          route: "passthrough",
          client_format: "openai-chat",
          provider: "openai",
          model: "gpt-x",
          requested_model: "openai:gpt-x",
          virtual_key_id: "vk-1",
          agent_id: "agent",
          user_id: "user",
          session_id: "session",
          execution_id: "exec",
          status: 502,
          error: "upstream failed",
          stream: 1,
          input_tokens: 10,
          output_tokens: 20,
          cache_read_tokens: 3,
          cache_write_tokens: 4,
          reasoning_tokens: 5,
          ttft_ms: 12.5,
          duration_ms: 40.25,
          upstream_format: null,
          response_model: null,
          auth_method: null,
          oauth_client_id: null,
          identity_provider_id: null,
          finish_reason: null,
          decisions: null,
          taint: null,
          cost_usd: null,
          request_bytes: null,
          response_bytes: null,
          blocked: 0,
          inspected: 1,
        },
      );
      const sparse = await store.db.selectFrom("interactions").selectAll().where("id", "=", interaction(proxyId, 2).id).executeTakeFirstOrThrow();
      assert.equal(sparse.stream, 0);
      assert.equal(sparse.provider, null);
      await log.close();
    });

    it("interaction log retries a failed flush, reports it, and never throws to the caller", async () => {
      const proxyId = uniq("retry");
      const { store: flaky } = instrumented(store, 2);
      const reports: string[] = [];
      const log = new InteractionLog(flaky, { intervalMs: 20, report: (m) => reports.push(m) });
      for (let i = 0; i < 50; i++) log.record(interaction(proxyId, i));
      await until(async () => (await countInteractions(store, proxyId)) === 50, 5000);
      assert.equal(reports.filter((m) => /failed \(attempt \d/.test(m)).length, 2, reports.join("\n"));
      assert.ok(reports.some((m) => /simulated database outage/.test(m)));
      assert.ok(reports.some((m) => /writes again/.test(m)));
      await log.close();
      assert.equal(await countInteractions(store, proxyId), 50, "no duplicates either");
    });

    it("interaction log flushes everything on close even with a long interval", async () => {
      const proxyId = uniq("close");
      const log = new InteractionLog(store, { intervalMs: 60_000, batchSize: 100_000 });
      for (let i = 0; i < 2000; i++) log.record(interaction(proxyId, i));
      assert.equal(log.pending, 2000);
      await log.close();
      assert.equal(await countInteractions(store, proxyId), 2000);
      const reports: string[] = [];
      const closed = new InteractionLog(store, { report: (m) => reports.push(m) });
      await closed.close();
      closed.record(interaction(proxyId, 9999));
      assert.match(reports[0], /after the log was closed/);
    });
  });
}

test("openStore rejects an unknown URL scheme and an unreachable PostgreSQL with a clear message", async () => {
  await assert.rejects(openStore("mysql://localhost/x"), /Unsupported database URL 'mysql:\/\/localhost\/x'/);
  await assert.rejects(openStore("postgres://user:hunter2@127.0.0.1:1/x"), (err: Error) => {
    assert.match(err.message, /Cannot connect to PostgreSQL at postgres:\/\/user:\*\*\*@127\.0\.0\.1:1\/x/);
    assert.ok(!err.message.includes("hunter2"));
    return true;
  });
});
