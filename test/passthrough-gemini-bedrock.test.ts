import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { GoogleGenAI } from "@google/genai";
import { BedrockRuntimeClient, ConverseCommand, ConverseStreamCommand } from "@aws-sdk/client-bedrock-runtime";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import { converseStream } from "./fake-upstreams/bedrock.ts";
import { geminiErrorReply } from "./fake-upstreams/gemini.ts";
import { interactionRow, PT_KEY, startPassthroughFixture, type PassthroughFixture } from "./helpers/passthrough-fixture.ts";

let f: PassthroughFixture;
before(async () => {
  f = await startPassthroughFixture();
});
after(() => f.close());

const gemini = (apiKey = PT_KEY) => new GoogleGenAI({ apiKey, httpOptions: { baseUrl: f.url("gemini"), apiVersion: "v1beta" } });
const MODEL_ID = "anthropic.claude-3-5-sonnet-20240620-v1:0";

test("@google/genai generateContent: virtual key swapped in x-goog-api-key, model from the URL", async () => {
  const res = await gemini().models.generateContent({ model: "gemini-2.5-flash", contents: "hi gemini" });
  assert.equal(res.text, "Hello! You said: hi gemini");
  const up = f.gemini.last();
  assert.equal(new URL(up.url, "http://x").pathname, "/v1beta/models/gemini-2.5-flash:generateContent");
  assert.equal(up.headers["x-goog-api-key"], "AIza-upstream");
});

test("generateContentStream streams through; the interaction records the model from the URL", async () => {
  let text = "";
  for await (const chunk of await gemini().models.generateContentStream({ model: "gemini-2.5-flash", contents: "stream gemini" })) text += chunk.text ?? "";
  assert.equal(text, "Hello! You said: stream gemini");
  assert.match(f.gemini.last().url, /:streamGenerateContent\?alt=sse$/);
});

test("a key in ?key= counts as the client's key and never travels on in the URL; the JSON-array stream works too", async () => {
  const body = JSON.stringify({ contents: [{ role: "user", parts: [{ text: "array please" }] }] });
  const res = await fetch(`${f.url("gemini")}/v1beta/models/gemini-2.5-flash:streamGenerateContent?key=${PT_KEY}`, { method: "POST", headers: { "content-type": "application/json" }, body });
  assert.equal(res.status, 200);
  const elements = JSON.parse(await res.text()) as Array<{ candidates: Array<{ content: { parts: Array<{ text: string }> } }> }>;
  assert.equal(elements.map((e) => e.candidates[0].content.parts[0].text).join(""), "Hello! You said: array please");
  const up = f.gemini.last();
  assert.equal(up.url, "/v1beta/models/gemini-2.5-flash:streamGenerateContent");
  assert.equal(up.headers["x-goog-api-key"], "AIza-upstream");
  const row = await interactionRow(f.proxy, res.headers.get("x-portcullis-request-id"));
  assert.equal(row?.requested_model, "gemini-2.5-flash");
  assert.equal(row?.stream, 1);
});

test("the client's own Gemini key passes through; errors keep Gemini's shape and status", async () => {
  await gemini("AIza-client-own").models.generateContent({ model: "gemini-2.5-flash", contents: "own" });
  assert.equal(f.gemini.last().headers["x-goog-api-key"], "AIza-client-own");
  f.gemini.enqueue(geminiErrorReply(429, "Resource has been exhausted (e.g. check quota)."));
  const err = await gemini().models.generateContent({ model: "gemini-2.5-flash", contents: "x" }).catch((e) => e);
  assert.equal(err.status, 429);
  assert.match(err.message, /RESOURCE_EXHAUSTED|exhausted/);
});

const bedrock = (credentials: { accessKeyId: string; secretAccessKey: string }) =>
  new BedrockRuntimeClient({ region: "us-east-1", endpoint: f.url("bedrock"), credentials, maxAttempts: 1, requestHandler: new NodeHttpHandler() });

test("Bedrock Converse with a virtual key as the SigV4 access key id: re-signed with the configured AWS credential", async () => {
  const out = await bedrock({ accessKeyId: PT_KEY, secretAccessKey: "anything" }).send(
    new ConverseCommand({ modelId: MODEL_ID, messages: [{ role: "user", content: [{ text: "hi bedrock" }] }] }),
  );
  assert.equal(out.output?.message?.content?.[0].text, "Hello! You said: hi bedrock");
  const up = f.bedrock.last();
  assert.equal(up.url, `/model/${encodeURIComponent(MODEL_ID)}/converse`);
  assert.match(String(up.headers.authorization), /^AWS4-HMAC-SHA256 Credential=AKIAPROXYCONFIGURED1\//);
});

test("ConverseStream through the binary event stream, unchanged frames forwarded as they came", async () => {
  const client = bedrock({ accessKeyId: PT_KEY, secretAccessKey: "anything" });
  f.bedrock.enqueue({ kind: "stream", events: converseStream("Streamed through Bedrock") });
  const out = await client.send(new ConverseStreamCommand({ modelId: MODEL_ID, messages: [{ role: "user", content: [{ text: "s" }] }] }));
  let text = "";
  let stop = "";
  for await (const e of out.stream ?? []) {
    text += e.contentBlockDelta?.delta?.text ?? "";
    if (e.messageStop) stop = e.messageStop.stopReason ?? "";
  }
  assert.equal(text, "Streamed through Bedrock");
  assert.equal(stop, "end_turn");
});

test("SigV4 signed with the client's own AWS keys cannot be forwarded: a clear 401", async () => {
  const before = f.bedrock.requests.length;
  const err = await bedrock({ accessKeyId: "AKIACLIENTOWNKEY0001", secretAccessKey: "client-secret" })
    .send(new ConverseCommand({ modelId: MODEL_ID, messages: [{ role: "user", content: [{ text: "x" }] }] }))
    .catch((e) => e);
  assert.equal(err.$metadata?.httpStatusCode, 401);
  assert.match(String(err.message), /SigV4/);
  assert.equal(f.bedrock.requests.length, before);
});

test("a Bedrock API key (Bearer) passes through as it came", async () => {
  const res = await fetch(`${f.url("bedrock")}/model/${encodeURIComponent(MODEL_ID)}/converse`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: "Bearer ABSK-client-own-bedrock-key" },
    body: JSON.stringify({ messages: [{ role: "user", content: [{ text: "bearer" }] }] }),
  });
  assert.equal(res.status, 200);
  assert.equal(f.bedrock.last().headers.authorization, "Bearer ABSK-client-own-bedrock-key");
});
