import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ProviderCredential } from "../provider.ts";
import { bedrockCredentialFromEnv, regionFromUrl } from "./bedrock-auth.ts";
import { bedrockModelPath, bedrockProvider } from "./bedrock-provider.ts";

const cred = (c: Partial<ProviderCredential>): ProviderCredential => ({ id: "c", provider: "bedrock", ...c });
const prepare = (c: Partial<ProviderCredential>, operation: "generate" | "stream" | "models" = "generate", model = "anthropic.claude-3-5-sonnet-20240620-v1:0") =>
  bedrockProvider.prepare({ operation, format: "bedrock", model, body: '{"messages":[]}', credential: cred(c) }) as Awaited<ReturnType<typeof bedrockProvider.prepare>>;

describe("bedrock provider", () => {
  it("builds the Converse URLs with the model id as one encoded segment and the region filled in", async () => {
    const r = await prepare({ apiKey: "k", options: { region: "eu-west-1" } });
    assert.equal(r.url, "https://bedrock-runtime.eu-west-1.amazonaws.com/model/anthropic.claude-3-5-sonnet-20240620-v1%3A0/converse");
    assert.equal(r.method, "POST");
    assert.equal(r.body, '{"messages":[]}');
    const s = await prepare({ apiKey: "k" }, "stream", "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-3-7-sonnet-20250219-v1:0");
    assert.equal(s.url, "https://bedrock-runtime.us-east-1.amazonaws.com/model/arn%3Aaws%3Abedrock%3Aus-east-1%3A123456789012%3Ainference-profile%2Fus.anthropic.claude-3-7-sonnet-20250219-v1%3A0/converse-stream");
    assert.equal(bedrockModelPath("m", "generate"), "/model/m/converse");
  });

  it("authenticates with a Bedrock API key as a bearer token", async () => {
    const r = await prepare({ apiKey: "ABSK-key" });
    assert.deepEqual(r.headers, { "content-type": "application/json", authorization: "Bearer ABSK-key" });
  });

  it("signs with AWS keys (secret in options or in apiKey), with the session token and the region of the base URL", async () => {
    const r = await prepare({ baseUrl: "https://bedrock-runtime.ap-southeast-2.amazonaws.com", options: { accessKeyId: "AKIA1", secretAccessKey: "s", sessionToken: "t" } });
    assert.match(r.headers.authorization, /^AWS4-HMAC-SHA256 Credential=AKIA1\/\d{8}\/ap-southeast-2\/bedrock\/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-security-token, Signature=[0-9a-f]{64}$/);
    assert.equal(r.headers["x-amz-security-token"], "t");
    assert.match(r.headers["x-amz-date"], /^\d{8}T\d{6}Z$/);
    const viaApiKey = await prepare({ apiKey: "s", options: { accessKeyId: "AKIA1" } });
    assert.match(viaApiKey.headers.authorization, /Credential=AKIA1\/\d{8}\/us-east-1\/bedrock/);
  });

  it("refuses a credential with nothing to authenticate with, or a secret-less access key", () => {
    assert.throws(() => prepare({}), /neither an API key nor AWS access keys/);
    assert.throws(() => prepare({ options: { accessKeyId: "AKIA1" } }), /no secret access key/);
  });

  it("lists models on the control plane (or the custom base URL) and parses the summaries", async () => {
    assert.equal((await prepare({ apiKey: "k", options: { region: "eu-central-1" } }, "models")).url, "https://bedrock.eu-central-1.amazonaws.com/foundation-models?byOutputModality=TEXT");
    assert.equal((await prepare({ apiKey: "k", baseUrl: "https://bedrock-runtime.us-west-2.amazonaws.com" }, "models")).url, "https://bedrock.us-west-2.amazonaws.com/foundation-models?byOutputModality=TEXT");
    assert.equal((await prepare({ apiKey: "k", baseUrl: "http://127.0.0.1:9999/" }, "models")).url, "http://127.0.0.1:9999/foundation-models?byOutputModality=TEXT");
    assert.deepEqual(bedrockProvider.parseModels!({ modelSummaries: [{ modelId: "a" }, { modelId: 3 }, {}] }), ["a"]);
    assert.deepEqual(bedrockProvider.parseModels!(null), []);
  });

  it("is described for the router: id, format, env prefix, event-stream framing", () => {
    assert.equal(bedrockProvider.id, "bedrock");
    assert.deepEqual(bedrockProvider.formats, ["bedrock"]);
    assert.equal(bedrockProvider.envPrefix, "BEDROCK");
    assert.equal(bedrockProvider.framing("bedrock"), "aws-eventstream");
  });
});

describe("bedrock credentials from the environment", () => {
  it("maps the AWS standard variables, the secret kept in apiKey", () => {
    assert.deepEqual(bedrockCredentialFromEnv({ AWS_ACCESS_KEY_ID: "AKIA", AWS_SECRET_ACCESS_KEY: "sec", AWS_SESSION_TOKEN: "tok", AWS_REGION: "eu-west-3" }), {
      apiKey: "sec",
      options: { region: "eu-west-3", accessKeyId: "AKIA", sessionToken: "tok" },
    });
  });

  it("prefers a Bedrock API key, from BEDROCK_API_KEY or AWS_BEARER_TOKEN_BEDROCK", () => {
    assert.deepEqual(bedrockCredentialFromEnv({ AWS_BEARER_TOKEN_BEDROCK: "ABSK1", AWS_ACCESS_KEY_ID: "x", AWS_SECRET_ACCESS_KEY: "y", AWS_DEFAULT_REGION: "us-west-2", BEDROCK_BASE_URL: "http://gw" }), {
      apiKey: "ABSK1",
      options: { region: "us-west-2" },
      baseUrl: "http://gw",
    });
    assert.equal(bedrockCredentialFromEnv({ BEDROCK_API_KEY: "k" })?.apiKey, "k");
    assert.equal(bedrockCredentialFromEnv({ AWS_REGION: "x" }), undefined);
  });

  it("finds the region in regional endpoints only", () => {
    assert.equal(regionFromUrl("https://bedrock-runtime.eu-west-1.amazonaws.com"), "eu-west-1");
    assert.equal(regionFromUrl("https://bedrock-runtime-fips.us-gov-west-1.amazonaws.com/"), "us-gov-west-1");
    assert.equal(regionFromUrl("https://bedrock-runtime.cn-north-1.amazonaws.com.cn"), "cn-north-1");
    assert.equal(regionFromUrl("http://127.0.0.1:4000"), undefined);
  });
});
