import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { applyConfig } from "../src/config/apply-config.ts";
import { ensureAdminToken } from "../src/config/ensure-admin-token.ts";
import { loadConfig, type LoadedConfig } from "../src/config/load-config.ts";
import { Catalog } from "../src/store/catalog.ts";
import { openStore, type Store } from "../src/store/db.ts";
import { ADMIN_TOKEN_HASH, getCatalogVersion, getMeta } from "../src/store/meta.ts";
import { migrate } from "../src/store/migrations/index.ts";
import { createSecretBox } from "../src/store/secret-box.ts";
import { revokeVirtualKey } from "../src/store/virtual-keys.ts";

const dir = mkdtempSync(join(tmpdir(), "portcullis-config-"));
after(() => rmSync(dir, { recursive: true, force: true }));
let fileCount = 0;

function configFile(yaml: string): string {
  const file = join(dir, `config-${++fileCount}.yaml`);
  writeFileSync(file, yaml);
  return file;
}

async function load(yaml: string, env: NodeJS.ProcessEnv = {}): Promise<LoadedConfig> {
  return loadConfig({ argv: ["--config", configFile(yaml)], env });
}

async function loadError(yaml: string, env: NodeJS.ProcessEnv = {}): Promise<string> {
  try {
    await load(yaml, env);
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error("expected the config to be rejected");
}

describe("loadConfig", () => {
  test("reads YAML with ${VAR} and ${VAR:-default} interpolation", async () => {
    const config = await load(
      `
server: { port: "\${PORT_IN_FILE:-9100}", host: 0.0.0.0, maxBodyBytes: 1048576 }
database: { url: "sqlite:\${DATA_DIR}/p.db" }
credentials:
  - { id: openai-main, provider: openai, apiKey: "\${OPENAI_KEY}" }
  - id: groq-main
    provider: groq
    apiKey: "prefix-\${GROQ_KEY:-none}-suffix"
    baseUrl: https://groq.example/v1
    options: { region: eu }
    models: [llama-3]
  - { id: literal, provider: openai, apiKey: "$\${NOT_A_VAR}" }
proxies:
  - { id: default, name: Default, credentials: { openai: openai-main } }
  - { id: team-a }
virtualKeys:
  - name: my-app
    key: "\${MY_APP_KEY}"
    proxies: [default, team-a]
    credentials: { groq: groq-main }
    expiresAt: "2030-01-01T02:00:00+02:00"
  - { name: generated, proxies: [default] }
`,
      { OPENAI_KEY: "sk-from-env", DATA_DIR: "/var/lib/p", MY_APP_KEY: "pk-abcdefghijklmnop", GROQ_KEY: "" },
    );
    assert.deepEqual(config.server, { port: 9100, host: "0.0.0.0", maxBodyBytes: 1048576 });
    assert.deepEqual(config.database, { url: "sqlite:/var/lib/p/p.db" });
    assert.deepEqual(config.credentials, [
      { id: "openai-main", provider: "openai", apiKey: "sk-from-env", source: "file" },
      {
        id: "groq-main",
        provider: "groq",
        apiKey: "prefix-none-suffix",
        baseUrl: "https://groq.example/v1",
        options: { region: "eu" },
        models: ["llama-3"],
        source: "file",
      },
      { id: "literal", provider: "openai", apiKey: "${NOT_A_VAR}", source: "file" },
    ]);
    assert.deepEqual(config.proxies, [
      { id: "default", name: "Default", credentials: { openai: "openai-main" } },
      { id: "team-a", name: "team-a", credentials: {} },
    ]);
    assert.deepEqual(config.virtualKeys, [
      { name: "my-app", key: "pk-abcdefghijklmnop", proxies: ["default", "team-a"], credentials: { groq: "groq-main" }, expiresAt: "2030-01-01T00:00:00.000Z" },
      { name: "generated", proxies: ["default"], credentials: {} },
    ]);
  });

  test("finds the file through --config=FILE and PORTCULLIS_CONFIG; no file means defaults", async () => {
    const file = configFile("server: { port: 9555 }\n");
    assert.equal((await loadConfig({ argv: [`--config=${file}`], env: {} })).server.port, 9555);
    assert.equal((await loadConfig({ argv: [], env: { PORTCULLIS_CONFIG: file } })).file, file);
    // Sections other issues added are checked in their own tests.
    const { auth, oauthClients, identityProviders, observability: _observability, ...none } = await loadConfig({ argv: [], env: {} });
    assert.deepEqual(
      { auth, oauthClients, identityProviders },
      {
        auth: { accessTokenTtlSeconds: 900, signingAlgorithm: "ES256", trustedProxies: [], clientAddressHeader: "x-forwarded-for", failedAuthLimit: { max: 20, windowSeconds: 60 } },
        oauthClients: [],
        identityProviders: [],
      },
    );
    assert.deepEqual(none, {
      file: undefined,
      server: { port: 9000, host: "127.0.0.1", maxBodyBytes: 32 * 1024 * 1024 },
      database: { url: "sqlite:./data/portcullis.db" },
      credentials: [],
      proxies: [],
      virtualKeys: [],
    });
    await assert.rejects(loadConfig({ argv: ["--config"], env: {} }), /--config needs a file name/);
    await assert.rejects(loadConfig({ argv: ["--config", join(dir, "missing.yaml")], env: {} }), /Cannot read config file .*missing\.yaml: ENOENT/);
  });

  test("an empty file is a valid, empty config", async () => {
    assert.deepEqual((await load("")).credentials, []);
    assert.deepEqual((await load("# nothing yet\n")).proxies, []);
  });

  test("errors name the file, the field and the reason", async () => {
    assert.match(await loadError("server: { port: eighty }"), /Invalid config file .*\.yaml: server\.port: Invalid input: expected number, received string/);
    assert.match(await loadError("server: { port: 70000 }"), /server\.port: Too big/);
    assert.match(await loadError("server: { prt: 80 }"), /server\.prt: unknown field/);
    assert.match(await loadError("nonsense: []"), /nonsense: unknown field/);
    assert.match(await loadError("credentials: [{ id: a, provider: openai, apikey: x }]"), /credentials\[0\]\.apikey: unknown field/);
    assert.match(await loadError("credentials: [{ id: a, provider: nope }]"), /credentials\[0\]\.provider: unknown provider 'nope' \(known: openai, /);
    assert.match(await loadError("credentials: [{ id: a, provider: openai, baseUrl: 'ftp://x' }]"), /credentials\[0\]\.baseUrl: expected an http\(s\) URL/);
    assert.match(await loadError("credentials: [{ id: 'has space', provider: openai }]"), /credentials\[0\]\.id: use 1-64 letters/);
    assert.match(await loadError("proxies: [{ id: p, credentials: { bogus: x } }]"), /proxies\[0\]\.credentials\.bogus: unknown provider 'bogus'/);
    assert.match(await loadError("virtualKeys: [{ name: k, proxies: [] }]"), /virtualKeys\[0\]\.proxies: Too small/);
    assert.match(await loadError("virtualKeys: [{ name: k, key: short, proxies: [default] }]"), /virtualKeys\[0\]\.key: too short/);
    assert.match(await loadError("virtualKeys: [{ name: k, proxies: [default], expiresAt: soon }]"), /virtualKeys\[0\]\.expiresAt: expected an ISO-8601 date/);
    assert.match(await loadError("credentials: [{ id: a, provider: openai }, { id: a, provider: groq }]"), /credentials\[1\]\.id: duplicate id 'a'/);
    assert.match(await loadError("[1, 2]"), /expected a mapping of sections/);
    assert.match(await loadError("server: { port: 1\n  bad"), /not valid YAML/);
    // Several problems are all listed, one per line.
    const many = await loadError("server: { port: x, host: 1 }");
    assert.match(many, /\n {2}server\.port: .*\n {2}server\.host: /);
  });

  test("an unset variable without a default names the variable and the field", async () => {
    const message = await loadError("credentials:\n  - { id: a, provider: openai, apiKey: '${OPENAI_API_KEY}' }\n");
    assert.match(message, /credentials\[0\]\.apiKey: environment variable OPENAI_API_KEY is not set/);
    // Set but empty is a value (an empty key means none), and ${VAR:-} allows unset.
    assert.equal((await load("credentials: [{ id: a, provider: openai, apiKey: '${K}' }]", { K: "" })).credentials[0].apiKey, undefined);
    assert.equal((await load("credentials: [{ id: a, provider: openai, apiKey: '${K:-}' }]")).credentials[0].apiKey, undefined);
  });

  test("env-only start: provider keys become env-<id> credentials, server settings come from env", async () => {
    const config = await loadConfig({
      argv: [],
      env: {
        OPENAI_API_KEY: "sk-openai",
        GROQ_API_KEY: "gsk-groq",
        GROQ_BASE_URL: "https://groq.proxy.internal/openai/v1",
        OLLAMA_BASE_URL: "http://gpu-box:11434/v1",
        MISTRAL_BASE_URL: "https://mistral.internal/v1",
        PORT: "8080",
        HOST: "0.0.0.0",
        DATABASE_URL: "postgres://db/portcullis",
        PORTCULLIS_MAX_BODY_BYTES: "1000",
      },
    });
    assert.deepEqual(config.credentials, [
      { id: "env-openai", provider: "openai", apiKey: "sk-openai", source: "env" },
      { id: "env-groq", provider: "groq", apiKey: "gsk-groq", baseUrl: "https://groq.proxy.internal/openai/v1", source: "env" },
      // Keyless providers need only an address; a keyed one with only an address is no credential.
      { id: "env-ollama", provider: "ollama", baseUrl: "http://gpu-box:11434/v1", source: "env" },
    ]);
    assert.deepEqual(config.server, { port: 8080, host: "0.0.0.0", maxBodyBytes: 1000 });
    assert.equal(config.database.url, "postgres://db/portcullis");
  });

  test("environment wins over the file: DATABASE_URL, PORTCULLIS_PORT over PORT; bad values are named", async () => {
    const yaml = "server: { port: 9001, host: 10.0.0.1 }\ndatabase: { url: 'sqlite:./from-file.db' }\n";
    const config = await load(yaml, { DATABASE_URL: "sqlite::memory:", PORT: "7000", PORTCULLIS_PORT: "7001" });
    assert.equal(config.database.url, "sqlite::memory:");
    assert.equal(config.server.port, 7001);
    assert.equal(config.server.host, "10.0.0.1");
    assert.equal((await load(yaml)).server.port, 9001);
    await assert.rejects(load(yaml, { PORT: "80x" }), /PORT: expected an integer from 0 to 65535, got '80x'/);
    await assert.rejects(load(yaml, { OPENAI_BASE_URL: "not a url" }), /OPENAI_BASE_URL: expected an http\(s\) URL/);
  });

  test("<PREFIX>_BASE_URL sets the base URL of the env credential and of config credentials that set none", async () => {
    const config = await load(
      `
credentials:
  - { id: plain, provider: openai, apiKey: sk-1 }
  - { id: pinned, provider: openai, apiKey: sk-2, baseUrl: "https://pinned.example/v1" }
  - { id: other, provider: groq, apiKey: gsk-3 }
  - { id: env-openai, provider: openai, apiKey: sk-file-wins }
`,
      { OPENAI_BASE_URL: "https://gateway.example/v1", OPENAI_API_KEY: "sk-env" },
    );
    const byId = Object.fromEntries(config.credentials.map((c) => [c.id, c]));
    assert.equal(byId.plain.baseUrl, "https://gateway.example/v1");
    assert.equal(byId.pinned.baseUrl, "https://pinned.example/v1");
    assert.equal(byId.other.baseUrl, undefined);
    // A file credential named like the env one wins; the env one is not added twice.
    assert.deepEqual(byId["env-openai"], { id: "env-openai", provider: "openai", apiKey: "sk-file-wins", baseUrl: "https://gateway.example/v1", source: "file" });
    assert.equal(config.credentials.length, 4);
  });
});

describe("applyConfig", () => {
  const box = createSecretBox("apply-config test");

  async function freshStore(): Promise<Store> {
    const store = await openStore("sqlite::memory:");
    await migrate(store);
    return store;
  }

  async function snapshot(store: Store) {
    return {
      proxies: await store.db.selectFrom("proxies").selectAll().orderBy("id").execute(),
      credentials: await store.db.selectFrom("credentials").selectAll().orderBy("id").execute(),
      keys: await store.db.selectFrom("virtual_keys").selectAll().orderBy("name").execute(),
      meta: await store.db.selectFrom("meta").selectAll().orderBy("key").execute(),
    };
  }

  const yaml = `
credentials:
  - { id: openai-main, provider: openai, apiKey: "\${OPENAI_MAIN}" }
  - { id: groq-main, provider: groq, apiKey: gsk-groq-key, models: [llama] }
proxies:
  - { id: default, name: Default, credentials: { openai: openai-main } }
  - { id: team-a, name: Team A, credentials: { groq: groq-main } }
virtualKeys:
  - { name: supplied, key: "pk-supplied-key-0123456789", proxies: [default, team-a], credentials: { groq: groq-main } }
  - { name: generated, proxies: [team-a] }
`;

  test("is idempotent: the second run writes nothing and prints nothing", async () => {
    const store = await freshStore();
    try {
      const env = { OPENAI_MAIN: "sk-main-key-1", ANTHROPIC_UNRELATED: "x", GROQ_API_KEY: "gsk-env" };
      const config = await load(yaml, env);
      const first = await applyConfig(store, box, config);
      assert.equal(first.printOnce.length, 1);
      assert.match(first.printOnce[0], /^Virtual key 'generated' \(shown once, store it now\): pk-[A-Za-z0-9_-]{43}$/);
      const afterFirst = await snapshot(store);
      const version = await getCatalogVersion(store);
      assert.equal(version, "1");

      const second = await applyConfig(store, box, await load(yaml, env));
      assert.deepEqual(second.printOnce, []);
      assert.deepEqual(await snapshot(store), afterFirst);
      assert.equal(await getCatalogVersion(store), version, "no change, no catalog bump");

      // What was applied is what the catalog serves.
      const catalog = await Catalog.load(store, box);
      const plaintext = first.printOnce[0].split(": ")[1];
      const generated = catalog.verifyVirtualKey(plaintext);
      assert.ok("key" in generated && generated.key.name === "generated");
      const supplied = catalog.verifyVirtualKey("pk-supplied-key-0123456789");
      assert.ok("key" in supplied);
      assert.deepEqual(supplied.key.proxies, ["default", "team-a"]);
      assert.equal(catalog.resolveCredential("default", supplied.key.credentials, "openai")?.apiKey, "sk-main-key-1");
      assert.equal(catalog.resolveCredential("team-a", supplied.key.credentials, "groq")?.apiKey, "gsk-groq-key");
      // The env credential serves the default proxy only for providers it does not map already.
      assert.deepEqual(catalog.proxy("default")?.credentials, { openai: "openai-main", groq: "env-groq" });
      assert.equal(catalog.credential("env-groq")?.apiKey, "gsk-env");
      assert.equal((await snapshot(store)).keys.find((k) => k.name === "generated")?.hash, createHash("sha256").update(plaintext).digest("hex"));
      await catalog.close();
    } finally {
      await store.close();
    }
  });

  test("a changed config updates in place: new secret re-sealed, key rotated, revocation kept", async () => {
    const store = await freshStore();
    try {
      await applyConfig(store, box, await load(yaml, { OPENAI_MAIN: "sk-main-key-1" }));
      const before = await snapshot(store);
      const generated = before.keys.find((k) => k.name === "generated")!;
      const revokedAt = (await revokeVirtualKey(store, generated.id))?.revokedAt;
      assert.ok(revokedAt);

      const changedYaml = yaml.replace("pk-supplied-key-0123456789", "pk-rotated-key-9876543210").replace("name: Team A", "name: Team Alpha");
      const result = await applyConfig(store, box, await load(changedYaml, { OPENAI_MAIN: "sk-main-key-2" }));
      assert.deepEqual(result.printOnce, [], "an existing generated key is kept, not regenerated");
      const now = await snapshot(store);
      const secret = (id: string, s: typeof now) => s.credentials.find((c) => c.id === id)!.secret;
      assert.notEqual(secret("openai-main", now), secret("openai-main", before));
      assert.equal(secret("groq-main", now), secret("groq-main", before), "an unchanged secret is not re-sealed");
      assert.equal(now.proxies.find((p) => p.id === "team-a")?.name, "Team Alpha");
      const catalog = await Catalog.load(store, box);
      assert.equal(catalog.credential("openai-main")?.apiKey, "sk-main-key-2");
      assert.deepEqual(catalog.verifyVirtualKey("pk-supplied-key-0123456789"), { error: "unknown" });
      assert.ok("key" in catalog.verifyVirtualKey("pk-rotated-key-9876543210"));
      assert.equal(now.keys.find((k) => k.name === "generated")?.revoked_at, revokedAt, "a key revoked at run time stays revoked");
      await catalog.close();
    } finally {
      await store.close();
    }
  });

  test("env-only start: default proxy maps env credentials and a default key is created once", async () => {
    const store = await freshStore();
    try {
      const env = { OPENAI_API_KEY: "sk-env-openai", OLLAMA_BASE_URL: "http://127.0.0.1:11434/v1" };
      const first = await applyConfig(store, box, await loadConfig({ argv: [], env }));
      assert.equal(first.printOnce.length, 1);
      assert.match(first.printOnce[0], /^Virtual key 'default' \(shown once, store it now\): pk-/);
      const catalog = await Catalog.load(store, box);
      assert.deepEqual(catalog.proxy("default")?.credentials, { openai: "env-openai", ollama: "env-ollama" });
      const verdict = catalog.verifyVirtualKey(first.printOnce[0].split(": ")[1]);
      assert.ok("key" in verdict);
      assert.deepEqual(verdict.key.proxies, ["default"]);
      assert.deepEqual(verdict.key.credentials, {}, "it uses the proxy's mapping");
      assert.equal(catalog.resolveCredential("default", verdict.key.credentials, "openai")?.apiKey, "sk-env-openai");
      assert.deepEqual(catalog.providersFor("default", verdict.key.credentials), ["openai", "ollama"]);
      await catalog.close();

      const second = await applyConfig(store, box, await loadConfig({ argv: [], env }));
      assert.deepEqual(second.printOnce, []);
      // A new provider key later joins the default proxy without disturbing the rest.
      await applyConfig(store, box, await loadConfig({ argv: [], env: { ...env, GROQ_API_KEY: "gsk-1" } }));
      const reloaded = await Catalog.load(store, box);
      assert.deepEqual(reloaded.proxy("default")?.credentials, { openai: "env-openai", ollama: "env-ollama", groq: "env-groq" });
      assert.equal((await snapshot(store)).keys.length, 1);
      await reloaded.close();
    } finally {
      await store.close();
    }
  });

  test("references are checked before anything is written, naming the field", async () => {
    const store = await freshStore();
    try {
      const cases: [string, RegExp][] = [
        ["proxies: [{ id: p, credentials: { openai: nowhere } }]", /proxies\[0\]\.credentials\.openai: unknown credential 'nowhere'/],
        [
          "credentials: [{ id: g, provider: groq, apiKey: gsk-0000 }]\nproxies: [{ id: p, credentials: { openai: g } }]",
          /proxies\[0\]\.credentials\.openai: credential 'g' is for provider 'groq', not 'openai'/,
        ],
        ["virtualKeys: [{ name: k, proxies: [default, ghost] }]", /virtualKeys\[0\]\.proxies\[1\]: unknown proxy 'ghost'/],
        [
          "virtualKeys:\n  - { name: a, key: same-key-0123456789, proxies: [default] }\n  - { name: b, key: same-key-0123456789, proxies: [default] }",
          /virtualKeys\[1\]\.key: the same key as virtualKeys\[0\]/,
        ],
      ];
      for (const [text, pattern] of cases) {
        await assert.rejects(applyConfig(store, box, await load(text)), (err: Error) => {
          assert.match(err.message, /^Invalid config file .*\.yaml: /);
          assert.match(err.message, pattern);
          return true;
        });
      }
      const s = await snapshot(store);
      assert.deepEqual([s.proxies.length, s.credentials.length, s.keys.length], [0, 0, 0]);
    } finally {
      await store.close();
    }
  });
});

describe("ensureAdminToken", () => {
  test("generates a token on first start, keeps it after, and lets PORTCULLIS_ADMIN_TOKEN replace it", async () => {
    const store = await openStore("sqlite::memory:");
    try {
      await migrate(store);
      const first = await ensureAdminToken(store, {});
      assert.equal(first.printOnce.length, 1);
      const token = first.printOnce[0].split(": ")[1];
      assert.match(token, /^pca-[A-Za-z0-9_-]{43}$/);
      const sha = (t: string) => createHash("sha256").update(t).digest("hex");
      assert.equal(await getMeta(store, ADMIN_TOKEN_HASH), sha(token));

      assert.deepEqual(await ensureAdminToken(store, {}), { printOnce: [] });
      assert.equal(await getMeta(store, ADMIN_TOKEN_HASH), sha(token));

      assert.deepEqual(await ensureAdminToken(store, { PORTCULLIS_ADMIN_TOKEN: "operator-chosen-token" }), { printOnce: [] });
      assert.equal(await getMeta(store, ADMIN_TOKEN_HASH), sha("operator-chosen-token"));
      await assert.rejects(ensureAdminToken(store, { PORTCULLIS_ADMIN_TOKEN: "short" }), /PORTCULLIS_ADMIN_TOKEN is too short/);
    } finally {
      await store.close();
    }
  });
});
