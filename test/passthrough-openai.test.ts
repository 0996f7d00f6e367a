import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import OpenAI from "openai";
import { interactionRow, PT_KEY, startPassthroughFixture, type PassthroughFixture } from "./helpers/passthrough-fixture.ts";

let f: PassthroughFixture;
before(async () => {
  f = await startPassthroughFixture();
});
after(() => f.close());

const client = (key = PT_KEY, base = f.url("openai")) => new OpenAI({ baseURL: base, apiKey: key, maxRetries: 0 });

test("openai SDK at /v1/openai: a virtual key is swapped for the mapped credential; the model is not touched", async () => {
  const res = await client().chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "native hi" }] });
  assert.equal(res.choices[0].message.content, "Hello! You said: native hi");
  const up = f.openai.last();
  assert.equal(up.url, "/v1/chat/completions");
  assert.equal(up.headers.authorization, "Bearer sk-upstream-openai");
  assert.equal((up.json as { model: string }).model, "gpt-4o-mini");
});

test("the client's own provider key passes through as it came", async () => {
  await client("sk-proj-client-own-key").chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "x" }] });
  assert.equal(f.openai.last().headers.authorization, "Bearer sk-proj-client-own-key");
});

test("the client's bytes reach the provider untouched: unknown fields, key order, spacing; provider headers kept, ours and hop-by-hop dropped", async () => {
  const body = '{ "messages":[{"role":"user","content":"exact"}],  "model":"gpt-4o-mini", "x_vendor": {"a":[1,2.50]} }';
  const res = await fetch(`${f.url("openai")}/chat/completions`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      authorization: `Bearer ${PT_KEY}`,
      "openai-organization": "org-123",
      "openai-beta": "assistants=v2",
      "x-archestra-agent-id": "agent-1",
      "x-forwarded-for": "10.1.2.3",
    },
    body,
  });
  assert.equal(res.status, 200);
  const up = f.openai.last();
  assert.equal(up.body, body);
  assert.equal(up.headers["openai-organization"], "org-123");
  assert.equal(up.headers["openai-beta"], "assistants=v2");
  assert.equal(up.headers["x-archestra-agent-id"], undefined);
  assert.equal(up.headers["x-forwarded-for"], undefined);
  const row = await interactionRow(f.proxy, res.headers.get("x-portcullis-request-id"));
  assert.equal(row?.route, "passthrough");
  assert.equal(row?.inspected, 1);
  assert.equal(row?.agent_id, "agent-1");
  assert.equal(row?.provider, "openai");
});

test("an unchanged stream comes back byte for byte", async () => {
  const frames = [
    { data: { id: "c1", object: "chat.completion.chunk", created: 1, model: "gpt-4o-mini", choices: [{ index: 0, delta: { role: "assistant", content: "" }, finish_reason: null }], obfuscation: "x1" } },
    { data: { id: "c1", object: "chat.completion.chunk", created: 1, model: "gpt-4o-mini", choices: [{ index: 0, delta: { content: "Hé 😀" }, finish_reason: null }], obfuscation: "x2" } },
    { data: { id: "c1", object: "chat.completion.chunk", created: 1, model: "gpt-4o-mini", choices: [{ index: 0, delta: {}, finish_reason: "stop" }] } },
    { data: "[DONE]" },
  ];
  f.openai.enqueue({ kind: "stream", events: frames });
  const res = await fetch(`${f.url("openai")}/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${PT_KEY}` },
    body: JSON.stringify({ model: "gpt-4o-mini", messages: [{ role: "user", content: "s" }], stream: true }),
  });
  const expected = frames.map((e) => `data: ${typeof e.data === "string" ? e.data : JSON.stringify(e.data)}\n\n`).join("");
  assert.equal(await res.text(), expected);
});

test("Responses, embeddings and the model list through /v1/openai; a named proxy in the path", async () => {
  const r = await client().responses.create({ model: "gpt-4o-mini", input: "resp" });
  assert.equal(r.output_text, "Hello! You said: resp");
  f.openai.enqueue({ kind: "json", body: { object: "list", data: [{ object: "embedding", index: 0, embedding: [0.1, 0.2] }], model: "text-embedding-3-small", usage: { prompt_tokens: 2, total_tokens: 2 } } });
  const e = await client().embeddings.create({ model: "text-embedding-3-small", input: "vec" });
  assert.deepEqual(e.data[0].embedding, [0.1, 0.2]);
  assert.equal(f.openai.last().url, "/v1/embeddings");
  const ids: string[] = [];
  for await (const m of client(PT_KEY, `${f.proxy.url}/v1/openai/team-a`).models.list()) ids.push(m.id);
  assert.ok(ids.includes("gpt-4o-mini"));
  assert.equal(f.openai.last().url, "/v1/models");
});

test("an OpenAI-wire provider's passthrough (/v1/groq) and an unknown provider prefix", async () => {
  const res = await client(PT_KEY, f.url("groq")).chat.completions.create({ model: "llama-3.3-70b-versatile", messages: [{ role: "user", content: "g" }] });
  assert.equal(res.choices[0].message.content, "Hello! You said: g");
  assert.equal(f.openai.last().url, "/openai/v1/chat/completions");
  assert.equal(f.openai.last().headers.authorization, "Bearer gsk-upstream");
  const missing = await fetch(`${f.proxy.url}/v1/nope/chat/completions`, { method: "POST", body: "{}" });
  assert.equal(missing.status, 404);
});

test("upstream errors come back in OpenAI's shape with their status and rate-limit headers", async () => {
  f.openai.enqueue({ kind: "json", status: 429, headers: { "retry-after": "3", "x-ratelimit-remaining-requests": "0" }, body: { error: { message: "slow down", type: "requests", param: null, code: "rate_limit_exceeded" } } });
  const err = await client().chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "x" }] }).catch((e) => e);
  assert.ok(err instanceof OpenAI.RateLimitError);
  assert.equal(err.headers.get("retry-after"), "3");
  assert.equal(err.headers.get("x-ratelimit-remaining-requests"), "0");
  assert.equal(err.message, "429 slow down");
});

test("a revoked-looking or unknown pk- key is refused, never forwarded", async () => {
  const before = f.openai.requests.length;
  const err = await client("pk-not-a-real-key-0000000000").chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "x" }] }).catch((e) => e);
  assert.ok(err instanceof OpenAI.AuthenticationError);
  assert.equal(f.openai.requests.length, before);
});
