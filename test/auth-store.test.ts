import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { hashSecret } from "../src/auth/secrets.ts";
import { applyConfig } from "../src/config/apply-config.ts";
import { loadConfig } from "../src/config/load-config.ts";
import { Catalog } from "../src/store/catalog.ts";
import { insertCredential, pageCredentials } from "../src/store/credentials.ts";
import { openStore, type Store } from "../src/store/db.ts";
import { deleteIdentityProvider, getIdentityProvider, insertIdentityProvider, pageIdentityProviders, upsertIdentityProvider } from "../src/store/identity-providers.ts";
import { getCatalogVersion } from "../src/store/meta.ts";
import { migrate } from "../src/store/migrations/index.ts";
import {
  createOAuthClient,
  deleteOAuthClient,
  getOAuthClient,
  listOAuthClients,
  pageOAuthClients,
  rotateOAuthClientSecret,
  touchOAuthClients,
  updateOAuthClient,
  updateOAuthClientFromConfig,
} from "../src/store/oauth-clients.ts";
import { insertProxy } from "../src/store/proxies.ts";
import { createSecretBox } from "../src/store/secret-box.ts";
import { ensureSigningKey, loadSigningKeys, pageSigningKeys, rotateSigningKey } from "../src/store/signing-keys.ts";
import { createVirtualKey, listVirtualKeys, pageVirtualKeys, updateVirtualKey } from "../src/store/virtual-keys.ts";
import { testDatabases, type TestDatabase } from "./auth-support.ts";

const box = createSecretBox("auth store tests");
const databases = await testDatabases();

for (const database of databases) {
  describe(`auth store on ${database.name}`, { skip: database.skip }, () => {
    let store: Store;
    before(async () => {
      store = await openStore(database.url);
      await migrate(store);
      await insertProxy(store, { id: "default", name: "Default" });
    });
    after(async () => {
      await store?.close();
      await database.drop();
    });

    test("OAuth clients: created with generated id and secret (only its hash stored), read back, paged", async () => {
      const created = await createOAuthClient(store, { proxies: ["default"], scopes: ["llm:proxy"], tokenTtlSeconds: 300 });
      assert.ok(created);
      assert.match(created.client.clientId, /^client-[0-9a-f]{16}$/);
      assert.match(created.secret, /^pcs-[A-Za-z0-9_-]{43}$/);
      assert.equal(created.generated, true);
      const row = await store.db.selectFrom("oauth_clients").selectAll().where("client_id", "=", created.client.clientId).executeTakeFirstOrThrow();
      assert.equal(row.secret_hash, hashSecret(created.secret));
      assert.ok(!JSON.stringify(row).includes(created.secret), "the secret itself is nowhere in the row");
      assert.deepEqual(await getOAuthClient(store, created.client.clientId), created.client);
      assert.equal((await getOAuthClient(store, created.client.clientId))?.tokenTtlSeconds, 300);
      assert.equal(await createOAuthClient(store, { clientId: created.client.clientId, proxies: ["default"], scopes: [] }), undefined, "a taken id");
      for (const id of ["b-1", "b-2", "b-3"]) await createOAuthClient(store, { clientId: id, secret: `${id}-supplied-secret-0123456789`, proxies: ["default"], scopes: ["llm:proxy"] });
      const first = await pageOAuthClients(store, { limit: 3 });
      assert.equal(first.data.length, 3);
      assert.ok(first.next);
      assert.ok(!("secretHash" in first.data[0]), "the public view has no hash");
      const second = await pageOAuthClients(store, { limit: 3, after: first.next });
      assert.equal(second.data.length, 1);
      assert.equal(second.next, undefined);
      assert.deepEqual([...first.data, ...second.data].map((c) => c.clientId).sort(), [created.client.clientId, "b-1", "b-2", "b-3"].sort());
    });

    test("OAuth clients: disabling revokes issued tokens, rotation keeps the old secret for its grace period", async () => {
      const disabled = await updateOAuthClient(store, "b-1", { disabled: true, name: "Bot One", tokenTtlSeconds: 120 });
      assert.ok(disabled?.disabledAt && disabled.tokensValidAfter);
      assert.equal(disabled.name, "Bot One");
      const enabled = await updateOAuthClient(store, "b-1", { disabled: false, tokenTtlSeconds: null });
      assert.equal(enabled?.disabledAt, undefined);
      assert.equal(enabled?.tokensValidAfter, disabled.tokensValidAfter, "re-enabling does not revive old tokens");
      assert.equal(enabled?.tokenTtlSeconds, undefined);
      assert.equal(await updateOAuthClient(store, "nope", { disabled: true }), undefined);

      const rotated = await rotateOAuthClientSecret(store, "b-2", { graceSeconds: 60 });
      assert.ok(rotated);
      assert.equal(rotated.client.secretHash, hashSecret(rotated.secret));
      assert.equal(rotated.client.previousSecretHash, hashSecret("b-2-supplied-secret-0123456789"));
      assert.ok(Date.parse(rotated.client.previousSecretExpiresAt!) > Date.now() + 50_000);
      const again = await rotateOAuthClientSecret(store, "b-2", { revokeTokens: true });
      assert.equal(again?.client.previousSecretHash, undefined, "no grace: the old secret stops at once");
      assert.ok(again?.client.tokensValidAfter);
      // A grace period that has run out is not part of the client any more.
      await store.db.updateTable("oauth_clients").set({ previous_secret_hash: "00", previous_secret_expires_at: "2020-01-01T00:00:00.000Z" }).where("client_id", "=", "b-2").execute();
      assert.equal((await getOAuthClient(store, "b-2"))?.previousSecretHash, undefined);

      await touchOAuthClients(store, ["b-3"], "2026-02-01T00:00:00.000Z");
      assert.equal((await getOAuthClient(store, "b-3"))?.lastUsedAt, "2026-02-01T00:00:00.000Z");
      assert.equal(await deleteOAuthClient(store, "b-3"), true);
      assert.equal(await deleteOAuthClient(store, "b-3"), false);
    });

    test("OAuth clients from config: idempotent; a changed secret replaces the hash; run-time disabling is kept", async () => {
      const client = { clientId: "cfg-bot", secret: "cfg-bot-secret-0123456789abcdef", proxies: ["default"], scopes: ["llm:proxy"], credentials: {} };
      assert.equal(await updateOAuthClientFromConfig(store, client), "missing");
      await createOAuthClient(store, client);
      assert.equal(await updateOAuthClientFromConfig(store, client), "unchanged");
      await updateOAuthClient(store, "cfg-bot", { disabled: true });
      assert.equal(await updateOAuthClientFromConfig(store, client), "unchanged");
      assert.equal(await updateOAuthClientFromConfig(store, { ...client, secret: "cfg-bot-secret-rotated-0123456789", tokenTtlSeconds: 600 }), "updated");
      const stored = await getOAuthClient(store, "cfg-bot");
      assert.equal(stored?.secretHash, hashSecret("cfg-bot-secret-rotated-0123456789"));
      assert.equal(stored?.tokenTtlSeconds, 600);
      assert.ok(stored?.disabledAt, "still disabled");
      assert.equal(await updateOAuthClientFromConfig(store, { ...client, secret: undefined, tokenTtlSeconds: 600 }), "unchanged", "no secret keeps the stored one");
    });

    test("identity providers: insert, idempotent upsert, optional fields cleared, delete, paged", async () => {
      const idp = {
        id: "corp",
        issuer: "https://login.example.com/",
        audience: ["portcullis"],
        userClaim: "email",
        requiredClaims: { groups: "llm-users" },
        algorithms: ["RS256"],
        proxies: ["default"],
        clockToleranceSeconds: 10,
      };
      const inserted = await insertIdentityProvider(store, idp);
      assert.ok(inserted);
      assert.equal(await insertIdentityProvider(store, idp), undefined);
      const { createdAt: _c, updatedAt: _u, ...read } = (await getIdentityProvider(store, "corp"))!;
      assert.deepEqual(read, idp);
      assert.equal(await upsertIdentityProvider(store, idp), "unchanged", "integers and JSON compare equal on both databases");
      assert.equal(await upsertIdentityProvider(store, { id: "corp", issuer: idp.issuer, audience: ["a", "b"], userClaim: "sub", proxies: ["default"] }), "updated");
      const updated = await getIdentityProvider(store, "corp");
      assert.deepEqual(updated?.audience, ["a", "b"]);
      assert.equal(updated?.requiredClaims, undefined);
      assert.equal(updated?.clockToleranceSeconds, undefined);
      assert.equal(await upsertIdentityProvider(store, { ...idp, id: "other", jwksUri: "https://login.example.com/keys" }), "created");
      const page = await pageIdentityProviders(store, { limit: 1 });
      assert.equal(page.data[0].id, "corp");
      assert.equal((await pageIdentityProviders(store, { limit: 1, after: page.next })).data[0].id, "other");
      assert.equal(await deleteIdentityProvider(store, "other"), true);
      assert.equal(await deleteIdentityProvider(store, "other"), false);
    });

    test("signing keys: made once, rotated with the previous kept until its tokens expire, private keys sealed", async () => {
      assert.equal(await ensureSigningKey(store, box, "ES256", 960), true);
      assert.equal(await ensureSigningKey(store, box, "ES256", 960), false, "one key is enough");
      const [first] = await loadSigningKeys(store, box);
      assert.equal(first.alg, "ES256");
      assert.match(first.privatePem ?? "", /BEGIN PRIVATE KEY/);
      const row = await store.db.selectFrom("signing_keys").selectAll().where("kid", "=", first.kid).executeTakeFirstOrThrow();
      assert.match(row.private_key, /^v1\./, "sealed by the secret box");
      assert.ok(!row.private_key.includes("PRIVATE KEY"));

      assert.equal(await ensureSigningKey(store, box, "EdDSA", 960), true, "a changed algorithm rotates");
      const keys = await loadSigningKeys(store, box);
      assert.equal(keys.length, 2);
      assert.equal(keys[0].alg, "EdDSA");
      assert.ok(keys[0].privatePem && !keys[1].privatePem, "only the key that signs is opened");
      assert.equal(keys[1].kid, first.kid);
      assert.ok(keys[1].retiredAt && keys[1].notAfter);
      assert.ok(Math.abs(Date.parse(keys[1].notAfter!) - Date.parse(keys[1].retiredAt!) - 960_000) < 1000);
      // Past its end the old key is no longer loaded, and the next rotation deletes it.
      assert.equal((await loadSigningKeys(store, box, Date.now() + 961_000)).length, 1);
      await store.db.updateTable("signing_keys").set({ not_after: "2020-01-01T00:00:00.000Z" }).where("kid", "=", first.kid).execute();
      await rotateSigningKey(store, box, "ES256", 960);
      const kids = (await pageSigningKeys(store, { limit: 10 })).data.map((k) => k.kid);
      assert.ok(!kids.includes(first.kid));
      assert.equal(kids.length, 2);
      await assert.rejects(loadSigningKeys(store, createSecretBox("another secret")), /Signing key '.+': Cannot decrypt/);
    });

    test("signing keys: instances that generate a first key at once converge on one", async () => {
      await Promise.all([rotateSigningKey(store, box, "ES256", 60), rotateSigningKey(store, box, "ES256", 60)]);
      const active = await store.db.selectFrom("signing_keys").select("kid").where("retired_at", "is", null).execute();
      assert.equal(active.length, 1);
    });

    test("the catalog holds clients, identity providers and public keys; it reloads with a new generation", async () => {
      const catalog = await Catalog.load(store, box);
      try {
        assert.ok(catalog.oauthClient("b-1"));
        assert.equal(catalog.oauthClient("b-1")!.client.secretHash.length, 64);
        assert.equal(catalog.identityProvidersForIssuer("https://login.example.com/")?.[0].id, "corp");
        const signer = catalog.signer();
        assert.ok(signer);
        assert.ok(catalog.signingKey(signer.kid));
        const jwks = catalog.jwks();
        assert.ok(jwks.length >= 1 && jwks.every((k) => k.use === "sig" && !("d" in k)));
        const generation = catalog.generation;
        await catalog.reload();
        assert.equal(catalog.generation, generation + 1);
      } finally {
        await catalog.close();
      }
    });

    test("pagination of virtual keys and credentials is stable and complete", async () => {
      for (let i = 0; i < 5; i++) await createVirtualKey(store, { name: `page-${i}`, proxies: ["default"] });
      const seen: string[] = [];
      let after;
      for (let pages = 0; pages < 10; pages++) {
        const page = await pageVirtualKeys(store, { limit: 2, after });
        seen.push(...page.data.map((k) => k.name));
        if (!page.next) break;
        assert.equal(page.data.length, 2);
        after = page.next;
      }
      // Every key exactly once, in the one total order (created_at, then id for the same millisecond).
      assert.deepEqual(seen, (await listVirtualKeys(store)).map((k) => k.name));
      assert.deepEqual([...seen].sort(), ["page-0", "page-1", "page-2", "page-3", "page-4"]);
      await insertCredential(store, box, { id: "c-1", provider: "openai", apiKey: "sk-0123456789" });
      await insertCredential(store, box, { id: "c-2", provider: "openai" });
      const creds = await pageCredentials(store, { limit: 1 });
      assert.equal(creds.data[0].id, "c-1");
      assert.equal((await pageCredentials(store, { limit: 1, after: creds.next })).data[0].id, "c-2");

      const key = (await listVirtualKeys(store)).find((k) => k.name === "page-0")!;
      assert.equal(await updateVirtualKey(store, key.id, { name: "page-1" }), "name_taken");
      const renamed = await updateVirtualKey(store, key.id, { name: "renamed", expiresAt: "2099-01-01T00:00:00.000Z" });
      assert.ok(renamed && renamed !== "name_taken" && renamed.name === "renamed" && renamed.expiresAt === "2099-01-01T00:00:00.000Z");
      const cleared = await updateVirtualKey(store, key.id, { expiresAt: null });
      assert.ok(cleared && cleared !== "name_taken" && cleared.expiresAt === undefined);
    });

    test("applyConfig: OAuth clients and identity providers, idempotent; a generated secret is printed once", async () => {
      const dir = mkdtempSync(join(tmpdir(), "portcullis-auth-apply-"));
      try {
        const file = join(dir, "c.yaml");
        writeFileSync(
          file,
          `
proxies: [{ id: default }]
oauthClients:
  - { clientId: apply-bot, proxies: [default] }
  - { clientId: apply-bot-2, clientSecret: "apply-bot-2-secret-0123456789abc", proxies: [default], tokenTtlSeconds: 600 }
identityProviders:
  - { id: apply-idp, issuer: "https://id.example/", audience: portcullis, proxies: [default] }
`,
        );
        const config = await loadConfig({ argv: ["--config", file], env: { DATABASE_URL: database.url } });
        const first = await applyConfig(store, box, config);
        assert.equal(first.printOnce.filter((l) => l.includes("apply-bot")).length, 1);
        assert.match(first.printOnce.find((l) => l.includes("apply-bot"))!, /OAuth client 'apply-bot' secret \(shown once, store it now\): pcs-/);
        const version = await getCatalogVersion(store);
        const second = await applyConfig(store, box, config);
        assert.deepEqual(second.printOnce, []);
        assert.equal(await getCatalogVersion(store), version, "nothing changed, nothing bumped");
        assert.equal((await getOAuthClient(store, "apply-bot-2"))?.secretHash, hashSecret("apply-bot-2-secret-0123456789abc"));
        assert.equal((await getIdentityProvider(store, "apply-idp"))?.userClaim, "sub");
        assert.ok((await listOAuthClients(store)).some((c) => c.clientId === "apply-bot"));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}

test("both databases were available", { skip: databases.some((d) => d.skip) ? "PostgreSQL unavailable (see the warning above)" : false }, () => {
  assert.ok(databases.every((d: TestDatabase) => d.url));
});
