import assert from "node:assert/strict";
import { createHash, createHmac } from "node:crypto";
import { describe, it } from "node:test";
import { SignatureV4 } from "@smithy/signature-v4";
import { signAwsRequest, toAmzDate, type AwsCredentials } from "./aws-sigv4.ts";

// AWS's SigV4 test suite (aws-sig-v4-test-suite): fixed credentials, time, region and service.
const SUITE_CREDS: AwsCredentials = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY" };
const SUITE_DATE = new Date("2015-08-30T12:36:00Z");
const suite = (method: string, url: string, headers: Record<string, string> = {}) =>
  signAwsRequest({ method, url: new URL(url), headers, region: "us-east-1", service: "service", credentials: SUITE_CREDS, date: SUITE_DATE });

/** A minimal hash for @smithy/signature-v4 over node's crypto (what @smithy/hash-node does). */
class NodeSha256 {
  #h: ReturnType<typeof createHash> | ReturnType<typeof createHmac>;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    const key = secret === undefined || typeof secret === "string" ? secret : ArrayBuffer.isView(secret) ? Buffer.from(secret.buffer, secret.byteOffset, secret.byteLength) : Buffer.from(secret);
    this.#h = key ? createHmac("sha256", key) : createHash("sha256");
  }
  update(data: Uint8Array) {
    this.#h.update(data);
  }
  async digest() {
    return new Uint8Array(this.#h.digest());
  }
  reset() {}
}

async function smithySign(url: URL, headers: Record<string, string>, body: string, creds: AwsCredentials, region: string, date: Date) {
  const signer = new SignatureV4({ service: "bedrock", region, credentials: creds, sha256: NodeSha256, applyChecksum: false });
  const signed = await signer.sign(
    { method: "POST", protocol: url.protocol, hostname: url.hostname, port: url.port ? Number(url.port) : undefined, path: url.pathname, query: {}, headers: { host: url.host, ...headers }, body },
    { signingDate: date },
  );
  return signed.headers;
}

describe("SigV4", () => {
  it("matches AWS's test suite: get-vanilla", () => {
    assert.equal(
      suite("GET", "https://example.amazonaws.com/").authorization,
      "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
    );
  });

  it("matches AWS's test suite: get-vanilla-query-order-key-case (query sorted)", () => {
    assert.match(suite("GET", "https://example.amazonaws.com/?Param2=value2&Param1=value1").authorization, /Signature=b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500$/);
  });

  it("matches AWS's test suite: post-vanilla (empty body)", () => {
    assert.match(suite("POST", "https://example.amazonaws.com/").authorization, /Signature=5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b$/);
  });

  it("formats the date as AWS wants it", () => {
    assert.equal(toAmzDate(SUITE_DATE), "20150830T123600Z");
    assert.equal(suite("GET", "https://example.amazonaws.com/")["x-amz-date"], "20150830T123600Z");
  });

  it("computes what @smithy/signature-v4 computes for a Bedrock call (model id with ':' and session token)", async () => {
    const creds = { accessKeyId: "ASIAFAKEKEY", secretAccessKey: "fakeSecret/With+Chars", sessionToken: "token/with=chars" };
    const date = new Date("2026-03-01T08:09:10Z");
    const body = JSON.stringify({ messages: [{ role: "user", content: [{ text: "Hi ✓" }] }] });
    for (const url of [
      new URL("https://bedrock-runtime.eu-west-1.amazonaws.com/model/anthropic.claude-3-5-sonnet-20240620-v1%3A0/converse"),
      new URL(`https://bedrock-runtime.eu-west-1.amazonaws.com/model/${encodeURIComponent("arn:aws:bedrock:eu-west-1:123456789012:inference-profile/eu.anthropic.claude-3-7-sonnet-20250219-v1:0")}/converse-stream`),
      new URL("http://127.0.0.1:4567/model/amazon.nova-pro-v1%3A0/converse"),
    ]) {
      const headers = { "content-type": "application/json", accept: "application/json", "X-Custom": "  spaced   out\tvalue " };
      const ours = signAwsRequest({ method: "POST", url, headers, body, region: "eu-west-1", service: "bedrock", credentials: creds, date });
      const theirs = await smithySign(url, headers, body, creds, "eu-west-1", date);
      assert.equal(ours.authorization, theirs.authorization, url.href);
      assert.equal(ours["x-amz-security-token"], theirs["x-amz-security-token"]);
      assert.equal(ours["x-amz-date"], theirs["x-amz-date"]);
    }
  });

  it("signs a byte body like the same text", () => {
    const url = new URL("https://bedrock-runtime.us-east-1.amazonaws.com/model/m/converse");
    const base = { method: "POST", url, headers: {}, region: "us-east-1", service: "bedrock", credentials: SUITE_CREDS, date: SUITE_DATE };
    assert.equal(signAwsRequest({ ...base, body: "{}" }).authorization, signAwsRequest({ ...base, body: Buffer.from("{}") }).authorization);
    assert.notEqual(signAwsRequest({ ...base, body: "{}" }).authorization, signAwsRequest({ ...base, body: "{ }" }).authorization);
  });

  it("is fast: well under the proxy's budget, and faster than @smithy/signature-v4", async () => {
    const url = new URL("https://bedrock-runtime.us-east-1.amazonaws.com/model/anthropic.claude-3-5-sonnet-20240620-v1%3A0/converse");
    const body = JSON.stringify({ messages: [{ role: "user", content: [{ text: "x".repeat(2000) }] }] });
    const headers = { "content-type": "application/json" };
    const n = 2000;
    const sign = () => signAwsRequest({ method: "POST", url, headers, body, region: "us-east-1", service: "bedrock", credentials: SUITE_CREDS });
    for (let i = 0; i < 200; i++) sign();
    let t = process.hrtime.bigint();
    for (let i = 0; i < n; i++) sign();
    const oursUs = Number(process.hrtime.bigint() - t) / n / 1000;
    for (let i = 0; i < 200; i++) await smithySign(url, headers, body, SUITE_CREDS, "us-east-1", new Date());
    t = process.hrtime.bigint();
    for (let i = 0; i < n; i++) await smithySign(url, headers, body, SUITE_CREDS, "us-east-1", new Date());
    const smithyUs = Number(process.hrtime.bigint() - t) / n / 1000;
    console.log(`sigv4 per request (2 KB body): ours ${oursUs.toFixed(1)} µs, @smithy/signature-v4 ${smithyUs.toFixed(1)} µs`);
    assert.ok(oursUs < 100, `signing took ${oursUs} µs`);
    assert.ok(oursUs < smithyUs, `ours ${oursUs} µs vs smithy ${smithyUs} µs`);
  });
});
