import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import Anthropic from "@anthropic-ai/sdk";
import { anthropicErrorReply, anthropicMessage, anthropicStreamError, anthropicStreamEvents } from "./fake-upstreams/anthropic.ts";
import { interactionRow, PT_KEY, startPassthroughFixture, type PassthroughFixture } from "./helpers/passthrough-fixture.ts";

let f: PassthroughFixture;
before(async () => {
  f = await startPassthroughFixture();
});
after(() => f.close());

const MODEL = "claude-sonnet-4-5";
const client = (apiKey = PT_KEY) => new Anthropic({ apiKey, baseURL: f.url("anthropic"), maxRetries: 0 });
const weather = { name: "get_weather", description: "Weather for a city", input_schema: { type: "object" as const, properties: { city: { type: "string" } }, required: ["city"] } };

test("messages.create: a virtual key is swapped for x-api-key; anthropic-version and betas pass through", async () => {
  const msg = await client().messages.create(
    { model: MODEL, max_tokens: 100, messages: [{ role: "user", content: "hello claude" }] },
    { headers: { "anthropic-beta": "context-management-2025-06-27,interleaved-thinking-2025-05-14" } },
  );
  assert.equal(msg.content[0].type === "text" && msg.content[0].text, "Hello! You said: hello claude");
  const up = f.anthropic.last();
  assert.equal(up.url, "/v1/messages");
  assert.equal(up.headers["x-api-key"], "sk-ant-upstream");
  assert.equal(up.headers.authorization, undefined);
  assert.ok(up.headers["anthropic-version"]);
  assert.equal(up.headers["anthropic-beta"], "context-management-2025-06-27,interleaved-thinking-2025-05-14");
});

test("the client's own Anthropic key passes through; Claude Code's beta path and unknown fields reach upstream byte for byte", async () => {
  const body = JSON.stringify({
    model: MODEL,
    max_tokens: 64,
    stream: false,
    messages: [{ role: "user", content: [{ type: "text", text: "cc", cache_control: { type: "ephemeral" } }] }],
    tools: [{ ...weather, defer_loading: true }],
    thinking: { type: "enabled", budget_tokens: 1024, display: "summarized" },
    context_management: { edits: [{ type: "clear_tool_uses_20250919" }] },
    metadata: { user_id: "user_abc_account_123_session_xyz" },
  });
  const res = await fetch(`${f.url("anthropic")}/v1/messages?beta=true`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-api-key": "sk-ant-client-own", "anthropic-version": "2023-06-01" },
    body,
  });
  assert.equal(res.status, 200);
  const up = f.anthropic.last();
  assert.equal(up.url, "/v1/messages?beta=true");
  assert.equal(up.headers["x-api-key"], "sk-ant-client-own");
  assert.equal(up.body, body);
});

test("messages.stream with tools and thinking: the SDK assembles the same message the provider sent", async () => {
  const message = anthropicMessage(MODEL, [
    { type: "thinking", thinking: "The user wants weather.", signature: "EqQBCkYIBRgCIkD+sig==" },
    { type: "text", text: "Let me check." },
    { type: "tool_use", id: "toolu_01A", name: "get_weather", input: { city: "Paris" } },
  ]);
  f.anthropic.enqueue({ kind: "stream", events: anthropicStreamEvents(message) });
  const stream = client().messages.stream({ model: MODEL, max_tokens: 2048, thinking: { type: "enabled", budget_tokens: 1024 }, tools: [weather], messages: [{ role: "user", content: "weather in Paris?" }] });
  const final = await stream.finalMessage();
  assert.deepEqual(
    final.content.map((b) => b.type),
    ["thinking", "text", "tool_use"],
  );
  assert.equal(final.content[0].type === "thinking" && final.content[0].signature, "EqQBCkYIBRgCIkD+sig==");
  assert.deepEqual(final.content[2].type === "tool_use" && final.content[2].input, { city: "Paris" });
  assert.equal(final.stop_reason, "tool_use");
});

test("an unchanged Anthropic stream comes back byte for byte, pings included", async () => {
  const events = anthropicStreamEvents(anthropicMessage(MODEL, [{ type: "text", text: "exact bytes" }]));
  f.anthropic.enqueue({ kind: "stream", events });
  const res = await fetch(`${f.url("anthropic")}/v1/messages`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-api-key": PT_KEY, "anthropic-version": "2023-06-01" },
    body: JSON.stringify({ model: MODEL, max_tokens: 10, stream: true, messages: [{ role: "user", content: "s" }] }),
  });
  const expected = events.map((e) => `event: ${e.event}\ndata: ${JSON.stringify(e.data)}\n\n`).join("");
  assert.equal(await res.text(), expected);
});

test("errors keep Anthropic's shape and status; a mid-stream error event reaches the SDK as an error", async () => {
  f.anthropic.enqueue(anthropicErrorReply(529, "overloaded_error", "Overloaded", 2));
  const err = await client().messages.create({ model: MODEL, max_tokens: 10, messages: [{ role: "user", content: "x" }] }).catch((e) => e);
  assert.ok(err instanceof Anthropic.APIError);
  assert.equal(err.status, 529);
  assert.equal((err.error as { error?: { type?: string } }).error?.type, "overloaded_error");
  f.anthropic.enqueue({ kind: "stream", events: anthropicStreamError(MODEL) });
  await assert.rejects(client().messages.stream({ model: MODEL, max_tokens: 10, messages: [{ role: "user", content: "x" }] }).finalMessage(), /Overloaded/);
});

test("count_tokens and the model list go through uninspected, and are logged", async () => {
  f.anthropic.enqueue({ kind: "json", body: { input_tokens: 12 } });
  const { data, response } = await client().messages.countTokens({ model: MODEL, messages: [{ role: "user", content: "count me" }] }).withResponse();
  assert.equal(data.input_tokens, 12);
  assert.equal(f.anthropic.last().url, "/v1/messages/count_tokens");
  assert.equal(f.anthropic.last().headers["x-api-key"], "sk-ant-upstream");
  const row = await interactionRow(f.proxy, response.headers.get("x-portcullis-request-id"));
  assert.equal(row?.route, "passthrough");
  assert.equal(row?.status, 200);
  assert.equal(row?.inspected, 0, "the log says the endpoint went through uninspected");
  const models = [];
  for await (const m of client().models.list()) models.push(m.id);
  assert.ok(models.length > 0);
});
