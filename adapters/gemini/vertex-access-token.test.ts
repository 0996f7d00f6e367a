import { test } from "node:test";
import assert from "node:assert/strict";
import { generateKeyPairSync } from "node:crypto";
import { importSPKI, jwtVerify } from "jose";
import { ProxyError } from "../../src/canonical/error.ts";
import { startTestServer } from "../../test/helpers/http-server.ts";
import { clearVertexTokenCache } from "./vertex-access-token.ts";
import { vertexProvider } from "./vertex-provider.ts";

const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
const pkcs8 = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
const spki = publicKey.export({ type: "spki", format: "pem" }).toString();

/** A fake Google token endpoint that verifies the signed assertion like Google does. */
async function tokenEndpoint(answer: (n: number) => { status: number; body: object }) {
  let n = 0;
  const server = await startTestServer(async (req, res) => {
    const form = new URLSearchParams(req.body);
    assert.equal(form.get("grant_type"), "urn:ietf:params:oauth:grant-type:jwt-bearer");
    const { payload, protectedHeader } = await jwtVerify(form.get("assertion")!, await importSPKI(spki, "RS256"), { issuer: "bot@proj-7.iam.gserviceaccount.com", audience: `${server.url}/token` });
    assert.equal(payload.scope, "https://www.googleapis.com/auth/cloud-platform");
    assert.equal(protectedHeader.kid, "key-1");
    assert.equal((payload.exp ?? 0) - (payload.iat ?? 0), 3600);
    const a = answer(++n);
    res.writeHead(a.status, { "content-type": "application/json" });
    res.end(JSON.stringify(a.body));
  });
  return server;
}

function call(tokenUri: string, extra: Record<string, string> = {}) {
  const key = JSON.stringify({ type: "service_account", project_id: "proj-7", private_key_id: "key-1", private_key: pkcs8, client_email: "bot@proj-7.iam.gserviceaccount.com", token_uri: tokenUri });
  return vertexProvider.prepare({ operation: "generate", format: "gemini", model: "gemini-2.5-flash", body: "{}", credential: { id: "sa", provider: "vertex", apiKey: key, options: { location: "us-central1", ...extra } } });
}

test("a service account key is exchanged for a bearer token, cached and shared by concurrent requests", async () => {
  clearVertexTokenCache();
  const server = await tokenEndpoint((n) => ({ status: 200, body: { access_token: `ya29.token-${n}`, expires_in: 3599, token_type: "Bearer" } }));
  try {
    const [a, b] = await Promise.all([call(`${server.url}/token`), call(`${server.url}/token`)]);
    assert.equal(a.headers.authorization, "Bearer ya29.token-1");
    assert.equal(b.headers.authorization, "Bearer ya29.token-1");
    assert.equal(a.headers["x-goog-api-key"], undefined);
    assert.equal(a.url, "https://us-central1-aiplatform.googleapis.com/v1/projects/proj-7/locations/us-central1/publishers/google/models/gemini-2.5-flash:generateContent");
    assert.equal((await call(`${server.url}/token`)).headers.authorization, "Bearer ya29.token-1");
    assert.equal(server.requests.length, 1, "one exchange for three requests");
  } finally {
    await server.close();
  }
});

test("a token about to expire is renewed", async () => {
  clearVertexTokenCache();
  const server = await tokenEndpoint((n) => ({ status: 200, body: { access_token: `short-${n}`, expires_in: 60 } }));
  try {
    assert.equal((await call(`${server.url}/token`)).headers.authorization, "Bearer short-1");
    assert.equal((await call(`${server.url}/token`)).headers.authorization, "Bearer short-2");
  } finally {
    await server.close();
  }
});

test("the tokenUri option overrides the key's, and a rejected key is a 401 that is not cached", async () => {
  clearVertexTokenCache();
  const server = await tokenEndpoint((n) => (n === 1 ? { status: 400, body: { error: "invalid_grant", error_description: "Invalid JWT Signature." } } : { status: 200, body: { access_token: "ok", expires_in: 3600 } }));
  try {
    await assert.rejects(async () => call("https://unused.invalid/token", { tokenUri: `${server.url}/token` }), (e: unknown) => {
      assert.ok(e instanceof ProxyError);
      assert.deepEqual([e.error.status, e.error.kind], [401, "authentication"]);
      assert.match(e.error.message, /Invalid JWT Signature/);
      return true;
    });
    assert.equal((await call("https://unused.invalid/token", { tokenUri: `${server.url}/token` })).headers.authorization, "Bearer ok");
  } finally {
    await server.close();
  }
  await assert.rejects(
    async () => vertexProvider.prepare({ operation: "generate", format: "gemini", model: "m", credential: { id: "x", provider: "vertex", apiKey: '{"client_email": 1}' } }),
    (e: unknown) => e instanceof ProxyError && e.error.status === 401,
  );
});
