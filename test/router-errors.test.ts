import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import OpenAI from "openai";
import { startRouterFixture, NO_GROQ_KEY, VIRTUAL_KEY, type RouterFixture } from "./helpers/router-fixture.ts";

let f: RouterFixture;
before(async () => {
  f = await startRouterFixture();
});
after(() => f.close());

const chatUrl = () => `${f.proxy.url}/v1/model-router/default/chat/completions`;
async function post(body: string, headers: Record<string, string> = {}) {
  const res = await fetch(chatUrl(), { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${(f.client as OpenAI).apiKey}`, ...headers }, body });
  return { status: res.status, headers: res.headers, body: (await res.json()) as { error: { message: string; type: string; code: string | null; param: string | null } } };
}

test("malformed JSON is a 400 in OpenAI's error shape", async () => {
  const r = await post("{not json");
  assert.equal(r.status, 400);
  assert.equal(r.body.error.type, "invalid_request_error");
  assert.match(r.body.error.message, /Malformed JSON/);
});

test("a schema violation is a 400 naming the field", async () => {
  const r = await post(JSON.stringify({ model: "openai:gpt-4o-mini", messages: [{ role: "user", content: 42 }] }));
  assert.equal(r.status, 400);
  assert.match(r.body.error.param ?? "", /^messages\[0\]\.content/);
});

test("an oversize body is a 413", async () => {
  const r = await post(JSON.stringify({ model: "openai:gpt-4o-mini", messages: [{ role: "user", content: "x".repeat(33 * 1024 * 1024) }] }));
  assert.equal(r.status, 413);
});

test("an unknown provider prefix is a 404 listing the valid prefixes", async () => {
  const err = await f.client.chat.completions.create({ model: "nope:model", messages: [{ role: "user", content: "x" }] }).catch((e) => e);
  assert.ok(err instanceof OpenAI.NotFoundError);
  assert.match(err.message, /Unknown provider 'nope'.*openai.*groq/);
  const bare = await f.client.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "x" }] }).catch((e) => e);
  assert.ok(bare instanceof OpenAI.NotFoundError);
  assert.match(bare.message, /provider-qualified/);
});

test("keys: missing and unknown are 401; a provider without credential is 403 naming it; other proxies are 403/404", async () => {
  const missing = await fetch(chatUrl(), { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
  assert.equal(missing.status, 401);
  const bad = await f.clientFor("pk-wrong").chat.completions.create({ model: "openai:gpt-4o-mini", messages: [{ role: "user", content: "x" }] }).catch((e) => e);
  assert.ok(bad instanceof OpenAI.AuthenticationError);
  const noGroq = await f.clientFor(NO_GROQ_KEY).chat.completions.create({ model: "groq:llama-3.3-70b-versatile", messages: [{ role: "user", content: "x" }] }).catch((e) => e);
  assert.ok(noGroq instanceof OpenAI.PermissionDeniedError);
  assert.match(noGroq.message, /groq/);
  const otherProxy = await f.clientFor(VIRTUAL_KEY, "team-b").chat.completions.create({ model: "openai:gpt-4o-mini", messages: [{ role: "user", content: "x" }] }).catch((e) => e);
  assert.ok(otherProxy instanceof OpenAI.PermissionDeniedError);
  const unknownProxy = await f.clientFor(VIRTUAL_KEY, "ghost").chat.completions.create({ model: "openai:gpt-4o-mini", messages: [{ role: "user", content: "x" }] }).catch((e) => e);
  assert.ok(unknownProxy instanceof OpenAI.NotFoundError);
});

test("a revoked key stops working at once", async () => {
  const admin = { authorization: `Bearer ${f.proxy.adminToken}`, "content-type": "application/json" };
  const created = (await (await fetch(`${f.proxy.url}/api/virtual-keys`, { method: "POST", headers: admin, body: JSON.stringify({ name: "short-lived", proxies: ["default"], credentials: { openai: "openai-main" } }) })).json()) as { id: string; key: string };
  const client = f.clientFor(created.key);
  const ok = await client.chat.completions.create({ model: "openai:gpt-4o-mini", messages: [{ role: "user", content: "x" }] });
  assert.ok(ok.choices[0].message.content);
  const del = await fetch(`${f.proxy.url}/api/virtual-keys/${created.id}`, { method: "DELETE", headers: admin });
  assert.ok(del.ok);
  const err = await client.chat.completions.create({ model: "openai:gpt-4o-mini", messages: [{ role: "user", content: "x" }] }).catch((e) => e);
  assert.ok(err instanceof OpenAI.AuthenticationError);
  assert.match(err.message, /revoked/);
});

test("an upstream 429 keeps its status, body and Retry-After", async () => {
  f.upstream.enqueue({
    kind: "json",
    status: 429,
    headers: { "retry-after": "7" },
    body: { error: { message: "Rate limit reached for gpt-4o-mini", type: "requests", param: null, code: "rate_limit_exceeded" } },
  });
  const err = await f.client.chat.completions.create({ model: "openai:gpt-4o-mini", messages: [{ role: "user", content: "x" }] }).catch((e) => e);
  assert.ok(err instanceof OpenAI.RateLimitError);
  assert.equal(err.headers.get("retry-after"), "7");
  assert.equal(err.code, "rate_limit_exceeded");
});

test("an upstream error before a stream starts is a real HTTP error, not a 200", async () => {
  f.upstream.enqueue({ kind: "json", status: 503, body: { error: { message: "The server is overloaded", type: "server_error", param: null, code: null } } });
  const err = await f.client.chat.completions.create({ model: "openai:gpt-4o-mini", messages: [{ role: "user", content: "x" }], stream: true }).catch((e) => e);
  assert.ok(err instanceof OpenAI.APIError);
  assert.equal(err.status, 503);
});

test("an upstream that dies mid-stream gives the client an in-stream error, not a truncated success", async () => {
  const base = { id: "c", object: "chat.completion.chunk", created: 1, model: "gpt-4o-mini" };
  f.upstream.enqueue({
    kind: "stream",
    cutAfter: 2,
    events: [
      { data: { ...base, choices: [{ index: 0, delta: { role: "assistant", content: "" }, finish_reason: null }] } },
      { data: { ...base, choices: [{ index: 0, delta: { content: "partial" }, finish_reason: null }] } },
      { data: { ...base, choices: [{ index: 0, delta: { content: " never" }, finish_reason: null }] } },
    ],
  });
  const stream = await f.client.chat.completions.create({ model: "openai:gpt-4o-mini", messages: [{ role: "user", content: "x" }], stream: true });
  let text = "";
  await assert.rejects(async () => {
    for await (const c of stream) text += c.choices[0]?.delta.content ?? "";
  });
  assert.equal(text, "partial");
});

test("an unreachable upstream is a 502 naming it", async () => {
  f.upstream.enqueue({ kind: "reset" });
  const err = await f.client.chat.completions.create({ model: "openai:gpt-4o-mini", messages: [{ role: "user", content: "x" }] }).catch((e) => e);
  assert.ok(err instanceof OpenAI.APIError);
  assert.equal(err.status, 502);
});

test("a client that disconnects aborts the upstream request", async () => {
  const base = { id: "c", object: "chat.completion.chunk", created: 1, model: "gpt-4o-mini" };
  const events = Array.from({ length: 50 }, (_, i) => ({ data: { ...base, choices: [{ index: 0, delta: { content: `w${i} ` }, finish_reason: null }] } }));
  f.upstream.enqueue({ kind: "stream", events, delayMs: 40 });
  const closed = new Promise<void>((resolve) => f.upstream.server.once("request", (_req, res) => res.once("close", () => resolve())));
  const stream = await f.client.chat.completions.create({ model: "openai:gpt-4o-mini", messages: [{ role: "user", content: "x" }], stream: true });
  let n = 0;
  // Leaving the loop aborts the SDK's request: the client goes away mid-stream.
  for await (const _c of stream) if (++n === 3) break;
  const t0 = Date.now();
  await closed;
  assert.ok(Date.now() - t0 < 1500, "the upstream connection closed soon after the client left");
});
