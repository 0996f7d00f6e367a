import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import Anthropic from "@anthropic-ai/sdk";
import { GoogleGenAI } from "@google/genai";
import { BedrockRuntimeClient, ConverseCommand, ConverseStreamCommand } from "@aws-sdk/client-bedrock-runtime";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import OpenAI from "openai";
import { anthropicMessage, anthropicStreamEvents } from "./fake-upstreams/anthropic.ts";
import { bodiesOf, CARD, EMAIL, GITHUB_TOKEN, latestRow, leaks, OPENAI_KEY, PT_KEY, rowOf, startGuardrailFixture, type GuardrailFixture } from "./guardrails-support.ts";

let f: GuardrailFixture;
before(async () => {
  f = await startGuardrailFixture();
});
after(() => f.close());

const PROMPT = `Deploy with ${OPENAI_KEY} and mail ${EMAIL}; card ${CARD}.`;
const VALUES = [OPENAI_KEY, EMAIL, CARD, GITHUB_TOKEN];
const openai = (proxyId: string) => new OpenAI({ baseURL: f.url(`/v1/openai/${proxyId}`), apiKey: PT_KEY, maxRetries: 0 });
const anthropic = (proxyId: string) => new Anthropic({ baseURL: f.url(`/v1/anthropic/${proxyId}`), apiKey: PT_KEY, maxRetries: 0 });
const gemini = (proxyId: string) => new GoogleGenAI({ apiKey: PT_KEY, httpOptions: { baseUrl: f.url(`/v1/gemini/${proxyId}`), apiVersion: "v1beta" } });
const bedrock = (proxyId: string) =>
  new BedrockRuntimeClient({ region: "us-east-1", endpoint: f.url(`/v1/bedrock/${proxyId}`), credentials: { accessKeyId: PT_KEY, secretAccessKey: "x" }, maxAttempts: 1, requestHandler: new NodeHttpHandler() });
const BEDROCK_MODEL = "anthropic.claude-3-5-sonnet-20240620-v1:0";

test("/v1/openai chat completions: a redacted secret never reaches the upstream; the native body is re-encoded", async () => {
  const res = await openai("redact").chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: PROMPT }] });
  const up = f.openai.last();
  assert.deepEqual(leaks(up.body, ...VALUES), []);
  assert.equal((up.json as { messages: Array<{ content: string }> }).messages[0].content, "Deploy with [SECRET_1] and mail [EMAIL_1]; card [CREDIT_CARD_1].");
  assert.equal(res.choices[0].message.content, "Hello! You said: Deploy with [SECRET_1] and mail [EMAIL_1]; card [CREDIT_CARD_1].");
});

test("/v1/openai responses, restore, stream: the upstream sees placeholders, the client its own values", async () => {
  const stream = await openai("restore").responses.create({ model: "gpt-4o-mini", input: PROMPT, stream: true });
  let text = "";
  for await (const e of stream) if (e.type === "response.output_text.delta") text += e.delta;
  assert.equal(text, `Hello! You said: ${PROMPT}`);
  assert.deepEqual(leaks(f.openai.last().body, ...VALUES), []);
});

test("/v1/anthropic messages: a redacted secret never reaches the upstream, in system, user text or tool results", async () => {
  const res = await anthropic("redact").messages.create({
    model: "claude-sonnet-4-5",
    max_tokens: 100,
    system: `Internal token ${GITHUB_TOKEN}`,
    messages: [
      { role: "user", content: "look it up" },
      { role: "assistant", content: [{ type: "tool_use", id: "toolu_1", name: "lookup", input: {} }] },
      { role: "user", content: [{ type: "tool_result", tool_use_id: "toolu_1", content: `contact ${EMAIL}` }, { type: "text", text: PROMPT }] },
    ],
  });
  const up = f.anthropic.last();
  assert.equal(up.url, "/v1/messages");
  assert.deepEqual(leaks(up.body, ...VALUES), []);
  const body = up.json as { system: unknown; messages: Array<{ content: unknown }> };
  assert.match(JSON.stringify(body.system), /Internal token \[SECRET_1\]/);
  assert.match(JSON.stringify(body.messages[2].content), /contact \[EMAIL_1\].*Deploy with \[SECRET_2\]/);
  assert.ok(res.content[0].type === "text");
});

test("/v1/anthropic stream: a secret the model writes, split across deltas, is redacted before the client sees it", async () => {
  const message = anthropicMessage("claude-sonnet-4-5", [{ type: "text", text: `Here it is: ${GITHUB_TOKEN} — keep it safe, and rotate it every ninety days please.` }]);
  const events = anthropicStreamEvents(message);
  const at = events.findIndex((e) => JSON.stringify(e.data).includes("ghp_"));
  const delta = (text: string) => ({ event: "content_block_delta", data: { type: "content_block_delta", index: 0, delta: { type: "text_delta", text } } });
  events.splice(at, 1, delta(GITHUB_TOKEN.slice(0, 6)), delta(GITHUB_TOKEN.slice(6, 20)), delta(`${GITHUB_TOKEN.slice(20)} `));
  f.anthropic.enqueue({ kind: "stream", events });
  const stream = anthropic("redact").messages.stream({ model: "claude-sonnet-4-5", max_tokens: 100, messages: [{ role: "user", content: "token?" }] });
  const deltas: string[] = [];
  stream.on("text", (t) => deltas.push(t));
  const final = await stream.finalMessage();
  assert.equal(deltas.join(""), "Here it is: [SECRET] — keep it safe, and rotate it every ninety days please.");
  assert.ok(deltas.every((d) => !d.includes("ghp_") && !/abcdefgh/.test(d)), JSON.stringify(deltas));
  assert.equal(final.stop_reason, "end_turn");
  const row = await latestRow(f.proxy);
  assert.deepEqual(row.decisions.map((d) => `${d.side}:${d.detector}:${d.action}`), ["response:github_token:redact"]);
  const bodies = await bodiesOf(f.proxy, row.id);
  assert.deepEqual(leaks(bodies.response, GITHUB_TOKEN), [], "the streamed answer is logged redacted");
});

test("/v1/gemini generateContent and stream: the upstream gets placeholders; restore gives the values back", async () => {
  const res = await gemini("redact").models.generateContent({ model: "gemini-2.5-flash", contents: PROMPT, config: { systemInstruction: `token ${GITHUB_TOKEN}` } });
  const up = f.gemini.last();
  assert.deepEqual(leaks(up.body, ...VALUES), []);
  assert.match(up.body, /token \[SECRET_1\]/);
  assert.equal(res.text, "Hello! You said: Deploy with [SECRET_2] and mail [EMAIL_1]; card [CREDIT_CARD_1].");
  let text = "";
  for await (const chunk of await gemini("restore").models.generateContentStream({ model: "gemini-2.5-flash", contents: PROMPT })) text += chunk.text ?? "";
  assert.equal(text, `Hello! You said: ${PROMPT}`);
  assert.deepEqual(leaks(f.gemini.last().body, ...VALUES), []);
});

test("/v1/bedrock converse and converse-stream: re-signed body carries placeholders only; restore on the stream", async () => {
  const out = await bedrock("redact").send(new ConverseCommand({ modelId: BEDROCK_MODEL, messages: [{ role: "user", content: [{ text: PROMPT }] }] }));
  const up = f.bedrock.last();
  assert.deepEqual(leaks(up.body, ...VALUES), []);
  assert.match(String(up.headers.authorization), /^AWS4-HMAC-SHA256 Credential=AKIAPROXYCONFIGURED1\//, "signed again over the changed body");
  assert.equal(out.output?.message?.content?.[0].text, "Hello! You said: Deploy with [SECRET_1] and mail [EMAIL_1]; card [CREDIT_CARD_1].");
  const stream = await bedrock("restore").send(new ConverseStreamCommand({ modelId: BEDROCK_MODEL, messages: [{ role: "user", content: [{ text: PROMPT }] }] }));
  let text = "";
  for await (const e of stream.stream ?? []) text += e.contentBlockDelta?.delta?.text ?? "";
  assert.equal(text, `Hello! You said: ${PROMPT}`);
  assert.deepEqual(leaks(f.bedrock.last().body, ...VALUES), []);
});

test("passthrough block: each native client gets a 400 in its own format; nothing reaches the upstream", async () => {
  const before = [f.openai, f.anthropic, f.gemini, f.bedrock].map((u) => u.requests.length);
  const oErr = await openai("block").chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: PROMPT }] }).catch((e: unknown) => e);
  assert.ok(oErr instanceof OpenAI.BadRequestError && oErr.code === "guardrail_blocked");
  const aErr = await anthropic("block").messages.create({ model: "claude-sonnet-4-5", max_tokens: 10, messages: [{ role: "user", content: PROMPT }] }).catch((e: unknown) => e);
  assert.ok(aErr instanceof Anthropic.BadRequestError);
  assert.equal((aErr.error as { error: { type: string } }).error.type, "invalid_request_error");
  assert.match(aErr.message, /openai_api_key/);
  const gErr = (await gemini("block").models.generateContent({ model: "gemini-2.5-flash", contents: PROMPT }).catch((e: unknown) => e)) as { status?: number; message: string };
  assert.equal(gErr.status, 400);
  assert.match(gErr.message, /INVALID_ARGUMENT|guardrails/);
  const bErr = (await bedrock("block").send(new ConverseCommand({ modelId: BEDROCK_MODEL, messages: [{ role: "user", content: [{ text: PROMPT }] }] })).catch((e: unknown) => e)) as { name: string; $metadata: { httpStatusCode: number }; message: string };
  assert.equal(bErr.$metadata.httpStatusCode, 400);
  assert.equal(bErr.name, "ValidationException");
  for (const e of [oErr, aErr, gErr, bErr]) assert.deepEqual(leaks((e as Error).message, ...VALUES), []);
  assert.deepEqual([f.openai, f.anthropic, f.gemini, f.bedrock].map((u) => u.requests.length), before);
});

test("passthrough log: the client's bytes reach the upstream untouched; the log stores them redacted", async () => {
  const body = `{"model":"gpt-4o-mini",  "messages":[{"role":"user","content":${JSON.stringify(PROMPT)}}], "x_vendor":1}`;
  const res = await fetch(f.url("/v1/openai/logonly/chat/completions"), { method: "POST", headers: { authorization: `Bearer ${PT_KEY}`, "content-type": "application/json" }, body });
  assert.equal(res.status, 200);
  assert.equal(f.openai.last().body, body, "byte for byte");
  const id = res.headers.get("x-portcullis-request-id");
  const row = await rowOf(f.proxy, id);
  assert.deepEqual(row.decisions.filter((d) => d.side === "request").map((d) => d.detector), ["openai_api_key", "email", "credit_card"]);
  const bodies = await bodiesOf(f.proxy, id);
  assert.deepEqual(leaks(bodies.request + bodies.response, ...VALUES), []);
  assert.match(bodies.request, /"x_vendor":1/);
});

test("a stream with guardrails on and nothing to redact reaches the client as the provider's own bytes", async () => {
  const frames = [
    { id: "c1", object: "chat.completion.chunk", created: 1, model: "gpt-4o-mini", choices: [{ index: 0, delta: { role: "assistant", content: "" }, finish_reason: null }] },
    ...["A perfectly ", "ordinary answer ", "with nothing ", "secret in it, ", "streamed in ", "small pieces."].map((content) => ({ id: "c1", object: "chat.completion.chunk", created: 1, model: "gpt-4o-mini", choices: [{ index: 0, delta: { content }, finish_reason: null }] })),
    { id: "c1", object: "chat.completion.chunk", created: 1, model: "gpt-4o-mini", choices: [{ index: 0, delta: {}, finish_reason: "stop" }] },
  ];
  // Spacing no encoder would write: any re-encoded frame would show.
  const wire = frames.map((d) => JSON.stringify(d).replace(/,"/g, ', "'));
  f.openai.enqueue({ kind: "stream", events: [...wire.map((data) => ({ data })), { data: "[DONE]" }] });
  const res = await fetch(f.url("/v1/openai/restore/chat/completions"), {
    method: "POST",
    headers: { authorization: `Bearer ${PT_KEY}`, "content-type": "application/json" },
    body: JSON.stringify({ model: "gpt-4o-mini", stream: true, messages: [{ role: "user", content: "say something" }] }),
  });
  const expected = [...wire, "[DONE]"].map((d) => `data: ${d}\n\n`).join("");
  assert.equal(await res.text(), expected);
});

test("settings changed through the admin API apply to the next request", async () => {
  const patch = (guardrails: object) =>
    fetch(f.url("/api/proxies/default/policies/settings"), { method: "PATCH", headers: { authorization: `Bearer ${f.proxy.adminToken}`, "content-type": "application/json" }, body: JSON.stringify({ guardrails }) });
  assert.equal((await patch({ secrets: "redact" })).status, 200);
  try {
    await openai("default").chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: PROMPT }] });
    assert.equal((f.openai.last().json as { messages: Array<{ content: string }> }).messages[0].content, `Deploy with [SECRET_1] and mail ${EMAIL}; card ${CARD}.`);
  } finally {
    assert.equal((await patch({ secrets: "off" })).status, 200);
  }
  await openai("default").chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: PROMPT }] });
  assert.equal((f.openai.last().json as { messages: Array<{ content: string }> }).messages[0].content, PROMPT);
});
