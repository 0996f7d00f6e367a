import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { applyConfig } from "../src/config/apply-config.ts";
import { loadConfig, type LoadedConfig } from "../src/config/load-config.ts";
import { openStore } from "../src/store/db.ts";
import { migrate } from "../src/store/migrations/index.ts";
import { createSecretBox } from "../src/store/secret-box.ts";

const dir = mkdtempSync(join(tmpdir(), "portcullis-auth-config-"));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

async function load(yaml: string, env: NodeJS.ProcessEnv = {}): Promise<LoadedConfig> {
  const file = join(dir, `c-${++n}.yaml`);
  writeFileSync(file, yaml);
  return loadConfig({ argv: ["--config", file], env });
}

async function loadError(yaml: string, env: NodeJS.ProcessEnv = {}): Promise<string> {
  try {
    await load(yaml, env);
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error("expected the config to be refused");
}

describe("auth sections of the config file", () => {
  test("DESIGN.md's oauthClients and identityProviders, with defaults filled in", async () => {
    const config = await load(
      `
server: { trustedProxies: [10.0.0.0/8, loopback], clientAddressHeader: X-Real-IP, failedAuthLimit: { max: 10, windowSeconds: "120" } }
oauth: { issuer: "https://llm.example.com/", accessTokenTtlSeconds: 300, signingAlgorithm: EdDSA }
proxies: [{ id: default }]
oauthClients:
  - clientId: billing-bot
    clientSecret: "\${BILLING_BOT_SECRET}"
    proxies: [default]
    credentials: {}
identityProviders:
  - id: corp
    issuer: https://login.example.com/
    audience: portcullis
    jwksUri: https://login.example.com/.well-known/jwks.json
    userClaim: email
    requiredClaims: { groups: llm-users, email_verified: true }
    proxies: [default]
  - { id: discovered, issuer: "https://id.example", audience: [a, b], algorithms: [ES256, EdDSA], proxies: [default], clockToleranceSeconds: 5 }
`,
      { BILLING_BOT_SECRET: "billing-bot-secret-0123456789abcdef" },
    );
    assert.deepEqual(config.auth, {
      issuer: "https://llm.example.com",
      accessTokenTtlSeconds: 300,
      signingAlgorithm: "EdDSA",
      trustedProxies: ["10.0.0.0/8", "loopback"],
      clientAddressHeader: "x-real-ip",
      failedAuthLimit: { max: 10, windowSeconds: 120 },
    });
    assert.deepEqual(config.oauthClients, [
      { clientId: "billing-bot", secret: "billing-bot-secret-0123456789abcdef", proxies: ["default"], scopes: ["llm:proxy"], credentials: {} },
    ]);
    assert.deepEqual(config.identityProviders, [
      {
        id: "corp",
        issuer: "https://login.example.com/",
        audience: ["portcullis"],
        jwksUri: "https://login.example.com/.well-known/jwks.json",
        userClaim: "email",
        requiredClaims: { groups: "llm-users", email_verified: "true" },
        proxies: ["default"],
      },
      { id: "discovered", issuer: "https://id.example", audience: ["a", "b"], userClaim: "sub", algorithms: ["ES256", "EdDSA"], proxies: ["default"], clockToleranceSeconds: 5 },
    ]);
  });

  test("the environment sets the issuer and the trusted proxies", async () => {
    const config = await load("server: { trustedProxies: [private] }\n", { PORTCULLIS_ISSUER: "https://gw.example", PORTCULLIS_TRUSTED_PROXIES: "10.1.0.0/16, 192.0.2.1" });
    assert.equal(config.auth.issuer, "https://gw.example");
    assert.deepEqual(config.auth.trustedProxies, ["10.1.0.0/16", "192.0.2.1"]);
    await assert.rejects(load("", { PORTCULLIS_TRUSTED_PROXIES: "10.0.0.0/99" }), /PORTCULLIS_TRUSTED_PROXIES: '10.0.0.0\/99': invalid prefix length/);
    await assert.rejects(load("", { PORTCULLIS_ISSUER: "ftp://x" }), /PORTCULLIS_ISSUER/);
  });

  test("mistakes are refused with the field and the reason", async () => {
    const cases: Array<[string, RegExp]> = [
      ["identityProviders: [{ id: x, issuer: https://i.example, audience: a, algorithms: [HS256], proxies: [default] }]", /identityProviders\[0\]\.algorithms\[0\]: expected one of .*no 'none', no HS\*/],
      ["identityProviders: [{ id: x, issuer: https://i.example, audience: a, algorithms: [none], proxies: [default] }]", /algorithms\[0\]/],
      ["identityProviders: [{ id: x, issuer: https://i.example, proxies: [default] }]", /identityProviders\[0\]\.audience/],
      ["identityProviders: [{ id: x, issuer: https://i.example, audience: a, proxies: [default], jwks: https://k }]", /identityProviders\[0\]\.jwks: unknown field/],
      ["oauthClients: [{ clientId: b, clientSecret: short, proxies: [default] }]", /oauthClients\[0\]\.clientSecret: too short/],
      ["oauthClients: [{ clientId: b, proxies: [default], scopes: [admin] }]", /oauthClients\[0\]\.scopes\[0\]: unknown scope 'admin'/],
      ["oauthClients: [{ clientId: b, proxies: [default], tokenTtlSeconds: 5 }]", /oauthClients\[0\]\.tokenTtlSeconds/],
      ["oauthClients: [{ clientId: b, proxies: [default] }, { clientId: b, proxies: [default] }]", /oauthClients\[1\]\.clientId: duplicate clientId 'b'/],
      ["server: { trustedProxies: [example.com] }", /server\.trustedProxies\[0\]: expected an IP address/],
      ["oauth: { signingAlgorithm: RS256 }", /oauth\.signingAlgorithm/],
      ["oauth: { issuer: not-a-url }", /oauth\.issuer/],
    ];
    for (const [yaml, reason] of cases) assert.match(await loadError(yaml), reason, yaml);
  });

  test("applying refuses references to proxies or credentials that do not exist", async () => {
    const store = await openStore("sqlite::memory:");
    try {
      await migrate(store);
      const box = createSecretBox("x");
      const bad = [
        ["oauthClients: [{ clientId: b, proxies: [ghost] }]", /oauthClients\[0\]\.proxies\[0\]: unknown proxy 'ghost'/],
        ["oauthClients: [{ clientId: b, proxies: [default], credentials: { openai: nope } }]", /oauthClients\[0\]\.credentials\.openai: unknown credential 'nope'/],
        ["identityProviders: [{ id: x, issuer: https://i.example, audience: a, proxies: [ghost] }]", /identityProviders\[0\]\.proxies\[0\]: unknown proxy 'ghost'/],
      ] as const;
      for (const [yaml, reason] of bad) await assert.rejects(applyConfig(store, box, await load(yaml)), reason);
    } finally {
      await store.close();
    }
  });
});
