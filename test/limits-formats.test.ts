import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import Anthropic from "@anthropic-ai/sdk";
import { ApiError, GoogleGenAI } from "@google/genai";
import OpenAI from "openai";
import { startAnthropicFake } from "./fake-upstreams/anthropic.ts";
import type { FakeUpstream } from "./fake-upstreams/fake-reply.ts";
import { startGeminiFake } from "./fake-upstreams/gemini.ts";
import { startOpenAiFake } from "./fake-upstreams/openai.ts";
import { FakeClock, LIMIT_KEY, startLimitProxy, type LimitProxy } from "./limits-support.ts";

/**
 * Refusals reach each client in its own format, through its own SDK: the model router with the
 * openai SDK (Chat and Responses), the Anthropic passthrough with @anthropic-ai/sdk, the Gemini
 * passthrough with @google/genai. User `broke` has a budget of 0 USD (always 402), user
 * `throttled` a rate of 0 requests a minute (always 429); the key's token budget is roomy.
 */

let openai: FakeUpstream;
let anthropic: FakeUpstream;
let gemini: FakeUpstream;
let p: LimitProxy;
const clock = new FakeClock("2026-03-10T12:00:15Z");

before(async () => {
  [openai, anthropic, gemini] = await Promise.all([startOpenAiFake(), startAnthropicFake(), startGeminiFake()]);
  p = await startLimitProxy(
    `
credentials:
  - { id: openai-main, provider: openai, apiKey: sk-upstream, baseUrl: "${openai.url}/v1" }
  - { id: anthropic-main, provider: anthropic, apiKey: sk-ant-upstream, baseUrl: "${anthropic.url}" }
  - { id: gemini-main, provider: gemini, apiKey: AIza-upstream, baseUrl: "${gemini.url}" }
virtualKeys:
  - { name: app, key: "${LIMIT_KEY}", proxies: [default], credentials: { openai: openai-main, anthropic: anthropic-main, gemini: gemini-main } }
limits:
  - { id: broke, scope: user, subject: broke, measure: costUsd, window: month, max: 0 }
  - { id: throttled, scope: user, subject: throttled, measure: requests, window: minute, max: 0 }
  - { id: key-tokens, scope: virtualKey, subject: app, measure: tokens, window: day, max: 1000000 }
`,
    { clock },
  );
});
after(async () => {
  await p.stop();
  await Promise.all([openai.close(), anthropic.close(), gemini.close()]);
});

const user = (id: string) => ({ "x-archestra-user-id": id });

function openaiClient(userId: string, calls: { n: number }, maxRetries = 0): OpenAI {
  return new OpenAI({
    baseURL: `${p.url}/v1/model-router/default`,
    apiKey: LIMIT_KEY,
    maxRetries,
    defaultHeaders: user(userId),
    fetch: (input, init) => {
      calls.n++;
      return fetch(input, init);
    },
  });
}

test("openai SDK, Chat: over budget is a 402 APIError it does not retry, with the limit in error.limit", async () => {
  const calls = { n: 0 };
  const before = openai.requests.length;
  const err = await openaiClient("broke", calls, 2)
    .chat.completions.create({ model: "openai:gpt-4o-mini", messages: [{ role: "user", content: "hi" }] })
    .catch((e: unknown) => e);
  assert.ok(err instanceof OpenAI.APIError);
  assert.equal(err.status, 402);
  assert.equal(calls.n, 1, "402 is not retried, even with retries on");
  assert.equal(openai.requests.length, before, "nothing reached the upstream");
  assert.equal(err.code, "budget_exceeded");
  assert.equal(err.type, "insufficient_quota");
  assert.match(err.message, /^402 Usage limit 'broke' reached: the user 'broke' may use 0 USD per month/);
  assert.match(err.message, /It resets at 2026-04-01T00:00:00\.000Z/);
  const limit = (err.error as { limit?: Record<string, unknown> }).limit;
  assert.deepEqual(limit, { id: "broke", scope: "user", subject: "broke", measure: "costUsd", window: "month", max: 0, used: 0, remaining: 0, resetsAt: "2026-04-01T00:00:00.000Z" });
  assert.equal(err.headers?.get("x-ratelimit-policy"), "broke;measure=costUsd;window=month");
});

test("openai SDK, Responses: over a rate is a RateLimitError (429) with Retry-After", async () => {
  const err = await openaiClient("throttled", { n: 0 })
    .responses.create({ model: "openai:gpt-4o-mini", input: "hi" })
    .catch((e: unknown) => e);
  assert.ok(err instanceof OpenAI.RateLimitError);
  assert.equal(err.status, 429);
  assert.equal(err.code, "rate_limit_exceeded");
  assert.equal(err.type, "rate_limit_error");
  assert.equal(err.headers?.get("retry-after"), "45");
  assert.equal(err.headers?.get("x-ratelimit-remaining"), "0");
  assert.equal(err.headers?.get("x-ratelimit-reset"), "45");
  assert.match(err.message, /Rate limit 'throttled' reached: the user 'throttled' may use 0 requests per minute\. It resets at 2026-03-10T12:01:00\.000Z \(in 45 s\)/);
});

test("openai SDK: an admitted request's answer carries the tightest limit's X-RateLimit headers", async () => {
  const { data, response } = await openaiClient("fine", { n: 0 })
    .chat.completions.create({ model: "openai:gpt-4o-mini", messages: [{ role: "user", content: "hi" }], max_tokens: 100 })
    .withResponse();
  assert.match(data.choices[0].message.content ?? "", /Hello/);
  assert.equal(response.headers.get("x-ratelimit-limit"), "1000000");
  assert.equal(response.headers.get("x-ratelimit-policy"), "key-tokens;measure=tokens;window=day");
  assert.ok(Number(response.headers.get("x-ratelimit-remaining")) < 1_000_000 - 100);
  assert.equal(response.headers.get("x-ratelimit-reset"), String(12 * 3600 - 15));
});

function anthropicClient(userId: string): Anthropic {
  return new Anthropic({ baseURL: `${p.url}/v1/anthropic`, apiKey: LIMIT_KEY, maxRetries: 0, defaultHeaders: user(userId) });
}

test("Anthropic SDK through the passthrough: billing_error 402 and rate_limit_error 429 in Anthropic's error shape", async () => {
  const before = anthropic.requests.length;
  const budget = await anthropicClient("broke")
    .messages.create({ model: "claude-opus-4-6", max_tokens: 100, messages: [{ role: "user", content: "hi" }] })
    .catch((e: unknown) => e);
  assert.ok(budget instanceof Anthropic.APIError);
  assert.equal(budget.status, 402);
  const body = budget.error as { type: string; error: { type: string; message: string; limit: { id: string; resetsAt: string } } };
  assert.equal(body.type, "error");
  assert.equal(body.error.type, "billing_error");
  assert.match(body.error.message, /Usage limit 'broke' reached: the user 'broke' may use 0 USD per month/);
  assert.equal(body.error.limit.id, "broke");
  assert.equal(body.error.limit.resetsAt, "2026-04-01T00:00:00.000Z");

  const rate = await anthropicClient("throttled")
    .messages.create({ model: "claude-opus-4-6", max_tokens: 100, messages: [{ role: "user", content: "hi" }] })
    .catch((e: unknown) => e);
  assert.ok(rate instanceof Anthropic.RateLimitError);
  assert.equal(rate.status, 429);
  assert.equal(rate.headers?.get("retry-after"), "45");
  assert.equal((rate.error as { error: { type: string } }).error.type, "rate_limit_error");
  // A streaming request is refused before it starts, as a plain HTTP error.
  await assert.rejects(
    anthropicClient("throttled").messages.stream({ model: "claude-opus-4-6", max_tokens: 100, messages: [{ role: "user", content: "hi" }] }).finalMessage(),
    (e: unknown) => e instanceof Anthropic.RateLimitError,
  );
  assert.equal(anthropic.requests.length, before, "nothing reached the upstream");

  const ok = await anthropicClient("fine").messages.create({ model: "claude-opus-4-6", max_tokens: 100, messages: [{ role: "user", content: "hi" }] }).withResponse();
  assert.equal(ok.response.headers.get("x-ratelimit-policy"), "key-tokens;measure=tokens;window=day");
});

function geminiClient(userId: string): GoogleGenAI {
  return new GoogleGenAI({ apiKey: LIMIT_KEY, httpOptions: { baseUrl: `${p.url}/v1/gemini`, apiVersion: "v1beta", headers: user(userId) } });
}

test("Gemini SDK through the passthrough: RESOURCE_EXHAUSTED with 402 or 429, an ErrorInfo naming the limit, RetryInfo for a rate", async () => {
  const before = gemini.requests.length;
  const budget = await geminiClient("broke")
    .models.generateContent({ model: "gemini-2.5-flash", contents: "hi" })
    .catch((e: unknown) => e);
  assert.ok(budget instanceof ApiError);
  assert.equal(budget.status, 402);
  const body = JSON.parse(budget.message) as { error: { code: number; status: string; message: string; details: Array<Record<string, any>> } };
  assert.equal(body.error.code, 402);
  assert.equal(body.error.status, "RESOURCE_EXHAUSTED");
  assert.match(body.error.message, /Usage limit 'broke' reached/);
  const info = body.error.details.find((d) => d["@type"] === "type.googleapis.com/google.rpc.ErrorInfo");
  assert.equal(info?.reason, "BUDGET_EXCEEDED");
  assert.equal(info?.domain, "portcullis");
  assert.deepEqual(info?.metadata, { id: "broke", scope: "user", subject: "broke", measure: "costUsd", window: "month", max: "0", used: "0", remaining: "0", resetsAt: "2026-04-01T00:00:00.000Z" });

  const rate = await geminiClient("throttled")
    .models.generateContentStream({ model: "gemini-2.5-flash", contents: "hi" })
    .catch((e: unknown) => e);
  assert.ok(rate instanceof ApiError);
  assert.equal(rate.status, 429);
  const rateBody = JSON.parse(rate.message) as { error: { details: Array<Record<string, any>> } };
  assert.equal(rateBody.error.details.find((d) => d["@type"] === "type.googleapis.com/google.rpc.ErrorInfo")?.reason, "RATE_LIMIT_EXCEEDED");
  assert.equal(rateBody.error.details.find((d) => d["@type"] === "type.googleapis.com/google.rpc.RetryInfo")?.retryDelay, "45s");
  assert.equal(gemini.requests.length, before, "nothing reached the upstream");

  const res = await fetch(`${p.url}/v1/gemini/v1beta/models/gemini-2.5-flash:generateContent`, {
    method: "POST",
    headers: { "x-goog-api-key": LIMIT_KEY, "content-type": "application/json", ...user("throttled") },
    body: JSON.stringify({ contents: [{ role: "user", parts: [{ text: "hi" }] }] }),
  });
  assert.equal(res.status, 429);
  assert.equal(res.headers.get("retry-after"), "45");
});
