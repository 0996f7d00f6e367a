import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import OpenAI from "openai";
import { startTestProxy, type TestProxy } from "./helpers/start-proxy.ts";
import { AWS_KEYS, BEDROCK_API_KEY_KEY, startNativeRouterFixture, VERTEX_EXPRESS_KEY, type NativeRouterFixture } from "./helpers/native-router-fixture.ts";

let f: NativeRouterFixture;
before(async () => {
  f = await startNativeRouterFixture();
});
after(() => f.close());

test("GET /v1/model-router/default/models lists every native provider's models, provider-qualified", async () => {
  const ids = (await f.client.models.list()).data.map((m) => m.id);
  const expected = [
    // The providers' own listings (the fakes' model lists).
    "anthropic:claude-opus-4-6",
    "anthropic:claude-sonnet-4-5-20250929",
    "anthropic:claude-haiku-4-5-20251001",
    "gemini:gemini-2.5-flash",
    "gemini:gemini-2.5-pro",
    "gemini:gemini-3-pro-preview",
    "vertex:gemini-2.5-flash",
    "vertex:gemini-2.5-pro",
    "bedrock:anthropic.claude-3-5-sonnet-20240620-v1:0",
    "bedrock:amazon.nova-pro-v1:0",
    "bedrock:meta.llama3-1-70b-instruct-v1:0",
    // Cohere's credential names its models: no listing call.
    "cohere:command-a-03-2025",
    "cohere:command-a-reasoning-08-2025",
  ];
  assert.deepEqual([...ids].sort(), [...expected].sort());
  const page = await f.client.models.list();
  for (const m of page.data) {
    assert.equal(m.object, "model");
    assert.equal(m.owned_by, m.id.split(":")[0]);
  }
  assert.equal(f.cohere.requests.filter((r) => r.method === "GET").length, 0, "a configured model list is not fetched");
});

test("listings are asked with each provider's own auth, on its listing endpoint", async () => {
  const anthropic = f.anthropic.requests.find((r) => r.method === "GET");
  assert.match(anthropic?.url ?? "", /^\/v1\/models/);
  assert.equal(anthropic?.headers["x-api-key"], "sk-ant-router");
  assert.ok(anthropic?.headers["anthropic-version"]);

  const gemini = f.gemini.requests.find((r) => r.method === "GET");
  assert.match(gemini?.url ?? "", /^\/v1beta\/models/);
  assert.equal(gemini?.headers["x-goog-api-key"], "AIza-router");

  const vertex = f.vertex.requests.find((r) => r.method === "GET");
  assert.match(vertex?.url ?? "", /\/publishers\/google\/models/);
  assert.equal(vertex?.headers["x-goog-api-key"], VERTEX_EXPRESS_KEY);

  const bedrock = f.bedrock.requests.find((r) => r.method === "GET");
  assert.match(bedrock?.url ?? "", /^\/foundation-models/);
  assert.match(String(bedrock?.headers.authorization), new RegExp(`^AWS4-HMAC-SHA256 Credential=${AWS_KEYS.accessKeyId}/`), "signed (the fake refuses a bad signature)");
});

test("listings are cached per credential; a key with another Bedrock credential lists through it", async () => {
  const before = f.anthropic.requests.length;
  await f.client.models.list();
  assert.equal(f.anthropic.requests.length, before, "a second listing is served from the cache");
  const ids = (await f.clientFor(BEDROCK_API_KEY_KEY).models.list()).data.map((m) => m.id);
  assert.ok(ids.includes("bedrock:amazon.nova-pro-v1:0"));
  const bearer = f.bedrock.requests.filter((r) => r.method === "GET").at(-1);
  assert.match(String(bearer?.headers.authorization), /^Bearer /);
});

test("a key lists only the providers it can reach; a listing that fails leaves that provider out without failing the call", async () => {
  let proxy: TestProxy | undefined;
  try {
    proxy = await startTestProxy(`
credentials:
  - { id: anthropic-main, provider: anthropic, apiKey: sk-ant-router, baseUrl: "${f.anthropic.url}" }
  - { id: gemini-broken, provider: gemini, apiKey: AIza-router, baseUrl: "http://127.0.0.1:9" }
  - { id: cohere-main, provider: cohere, apiKey: co-router, baseUrl: "${f.cohere.url}" }
proxies:
  - { id: default, name: Default }
virtualKeys:
  - { name: narrow, key: pk-test-narrow-0123456789abcdefghijklmnop, proxies: [default], credentials: { anthropic: anthropic-main, gemini: gemini-broken } }
`);
    const client = new OpenAI({ baseURL: `${proxy.url}/v1/model-router/default`, apiKey: "pk-test-narrow-0123456789abcdefghijklmnop", maxRetries: 0 });
    const ids = (await client.models.list()).data.map((m) => m.id);
    assert.ok(ids.length > 0 && ids.every((id) => id.startsWith("anthropic:")), `only Anthropic: ${ids}`);
  } finally {
    await proxy?.stop();
  }
});
