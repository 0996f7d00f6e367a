import assert from "node:assert/strict";
import { generateKeyPairSync } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { SignJWT } from "jose";
import { chatCodec } from "../adapters/openai/chat/chat-codec.ts";
import { Authenticator } from "../src/auth/authenticator.ts";
import { ProxyError } from "../src/canonical/error.ts";
import { createContext } from "../src/pipeline/create-context.ts";
import type { RequestContext } from "../src/pipeline/context.ts";
import { authenticate } from "../src/pipeline/stages/authenticate.ts";
import { identifyCaller } from "../src/pipeline/stages/identify-caller.ts";
import type { Stage } from "../src/pipeline/stage.ts";
import { Catalog } from "../src/store/catalog.ts";
import { openStore, type Store } from "../src/store/db.ts";
import { migrate } from "../src/store/migrations/index.ts";
import { createOAuthClient } from "../src/store/oauth-clients.ts";
import { insertProxy } from "../src/store/proxies.ts";
import { createSecretBox } from "../src/store/secret-box.ts";
import { ensureSigningKey } from "../src/store/signing-keys.ts";
import { createVirtualKey } from "../src/store/virtual-keys.ts";

const ISSUER = "https://proxy.example";
const box = createSecretBox("auth stage tests");
let store: Store;
let catalog: Catalog;
let authn: Authenticator;
let stage: Stage;
let virtualKey: string;
let token: string;

before(async () => {
  store = await openStore("sqlite::memory:");
  await migrate(store);
  await insertProxy(store, { id: "default", name: "Default" });
  virtualKey = (await createVirtualKey(store, { name: "k", proxies: ["default"], credentials: {} }))!.plaintext;
  await createOAuthClient(store, { clientId: "bot", secret: "bot-secret-0123456789abcdefghij", proxies: ["default"], scopes: ["llm:proxy"], credentials: { openai: "x" } });
  await ensureSigningKey(store, box, "ES256", 960);
  catalog = await Catalog.load(store, box);
  authn = new Authenticator(catalog, { issuer: ISSUER });
  stage = authenticate(catalog, authn);
  const entry = authn.authenticateClient("bot", "bot-secret-0123456789abcdefghij")!;
  token = (await authn.issueAccessToken(entry, ["llm:proxy"])).token;
});

after(async () => {
  await catalog.close();
  await store.close();
});

function context(route: "router" | "passthrough", headers: Record<string, string>): RequestContext {
  return createContext({ route, clientCodec: chatCodec, proxyId: "default", headers, readBody: async () => Buffer.alloc(0) });
}

async function run(route: "router" | "passthrough", headers: Record<string, string>): Promise<RequestContext> {
  const ctx = context(route, headers);
  await stage.request!(ctx);
  return ctx;
}

async function status(route: "router" | "passthrough", headers: Record<string, string>): Promise<number> {
  try {
    await run(route, headers);
    return 200;
  } catch (err) {
    assert.ok(err instanceof ProxyError, String(err));
    return err.error.status;
  }
}

const azureToken = async () => {
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  return new SignJWT({ aud: "https://cognitiveservices.azure.com" })
    .setProtectedHeader({ alg: "RS256", kid: "azure-kid" })
    .setIssuer("https://sts.windows.net/tenant-id/")
    .setIssuedAt()
    .setExpirationTime("5m")
    .sign(privateKey);
};

describe("passthrough routes", () => {
  test("a key that is not ours passes as the client's own provider key, wherever it is sent", async () => {
    const variants: Array<Record<string, string>> = [{ authorization: "Bearer sk-proj-client-own-key" }, { "x-api-key": "sk-ant-api03-own" }, { "x-goog-api-key": "AIzaSy-own-key" }, { authorization: `Bearer ${await azureToken()}` }];
    for (const headers of variants) {
      const ctx = await run("passthrough", headers);
      assert.equal(ctx.caller.authMethod, "provider-key", JSON.stringify(headers).slice(0, 60));
      assert.equal(ctx.caller.credentialMapping, undefined);
    }
    assert.equal(authn.failures.active, false, "a provider key is not a failed attempt");
  });

  test("our keys and tokens authenticate as ours; invalid ones of ours are 401, never forwarded", async () => {
    assert.equal((await run("passthrough", { "x-api-key": virtualKey })).caller.authMethod, "virtual-key");
    const viaToken = await run("passthrough", { authorization: `Bearer ${token}` });
    assert.equal(viaToken.caller.authMethod, "oauth-client");
    assert.equal(viaToken.caller.oauthClientId, "bot");
    assert.deepEqual(viaToken.caller.credentialMapping, { openai: "x" });
    assert.equal(await status("passthrough", { "x-api-key": "pk-unknown-0123456789abcdefghijklmnop" }), 401);
    const [h, p] = token.split(".");
    assert.equal(await status("passthrough", { authorization: `Bearer ${h}.${p}.AAAA` }), 401, "our kid, bad signature");
    const { privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const ourIssuer = await new SignJWT({ client_id: "bot", scope: "llm:proxy" })
      .setProtectedHeader({ alg: "ES256", kid: "not-our-kid", typ: "at+jwt" })
      .setIssuer(ISSUER)
      .setAudience(ISSUER)
      .setIssuedAt()
      .setExpirationTime("5m")
      .sign(privateKey);
    assert.equal(await status("passthrough", { authorization: `Bearer ${ourIssuer}` }), 401, "our issuer, a key we never had");
  });

  test("the model router refuses keys that are not ours", async () => {
    assert.equal(await status("router", { authorization: "Bearer sk-proj-client-own-key" }), 401);
    assert.equal(await status("router", { authorization: `Bearer ${await azureToken()}` }), 401);
  });
});

describe("the hot path", () => {
  test("a virtual key and an already verified token authenticate without a promise", async () => {
    const vk = context("router", { authorization: `Bearer ${virtualKey}` });
    assert.equal(stage.request!(vk), undefined);
    assert.equal(vk.caller.authMethod, "virtual-key");
    const first = context("router", { authorization: `Bearer ${token}` });
    await stage.request!(first);
    const cached = context("router", { authorization: `Bearer ${token}` });
    assert.equal(stage.request!(cached), undefined, "served from the verified-token cache");
    assert.equal(cached.caller.oauthClientId, "bot");
  });

  test("an authenticated user id wins over X-Archestra-User-Id; a virtual key's caller may name one", async () => {
    const ctx = context("router", { authorization: `Bearer ${virtualKey}`, "x-archestra-user-id": "claimed" });
    ctx.caller.userId = "verified@corp.example"; // as the authenticate stage sets it for an IdP user
    identifyCaller().request!(ctx);
    assert.equal(ctx.caller.userId, "verified@corp.example");
    const plain = await run("router", { authorization: `Bearer ${virtualKey}`, "x-archestra-user-id": "claimed" });
    identifyCaller().request!(plain);
    assert.equal(plain.caller.userId, "claimed");
  });
});
