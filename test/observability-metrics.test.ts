import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { calcPrice } from "@pydantic/genai-prices";
import OpenAI from "openai";
import { chatCompletion, chatStream, startOpenAiFake } from "./fake-upstreams/openai.ts";
import type { FakeUpstream } from "./fake-upstreams/fake-reply.ts";
import { startTestProxy, type TestProxy } from "./helpers/start-proxy.ts";
import { labelValues, metricValue, near, scrape } from "./observability-support.ts";

const KEY = "pk-test-metrics-0123456789abcdefghijklmnopqrstuv";
let upstream: FakeUpstream;
let proxy: TestProxy;
let client: OpenAI;

before(async () => {
  upstream = await startOpenAiFake();
  proxy = await startTestProxy(`
credentials:
  - { id: openai-main, provider: openai, apiKey: sk-upstream, baseUrl: "${upstream.url}/v1" }
  - { id: groq-main, provider: groq, apiKey: gsk-upstream, baseUrl: "${upstream.url}/openai/v1" }
proxies:
  - { id: default, name: Default }
virtualKeys:
  - { name: metrics, key: "${KEY}", proxies: [default], credentials: { openai: openai-main, groq: groq-main } }
observability:
  metrics: { maxAgentIds: 3 }
  prices:
    "groq:priced-by-config": { input: 2, output: 4 }
`);
  client = new OpenAI({ baseURL: `${proxy.url}/v1/model-router/default`, apiKey: KEY, maxRetries: 0 });
});
after(async () => {
  await proxy.stop();
  await upstream.close();
});

const headers = (agent?: string, execution?: string) => ({
  ...(agent ? { "X-Archestra-Agent-Id": agent } : {}),
  ...(execution ? { "X-Archestra-Execution-Id": execution } : {}),
});
const gpt = (input: number, output: number, cached = 0) =>
  calcPrice({ input_tokens: input, output_tokens: output, cache_read_tokens: cached }, "gpt-4o-mini", { providerId: "openai" })!.total_price;
const base = { provider: "openai", model: "gpt-4o-mini", proxy_id: "default" };

test("non-stream and stream calls through the router: durations, tokens, cost, TTFT, tokens per second", async () => {
  const a = await client.chat.completions.create({ model: "openai:gpt-4o-mini", messages: [{ role: "user", content: "count me" }] }, { headers: headers("agent-a", "exec-1") });
  const b = await client.chat.completions.create({ model: "openai:gpt-4o-mini", messages: [{ role: "user", content: "count me too" }] }, { headers: headers("agent-a", "exec-1") });
  let streamed = { prompt_tokens: 0, completion_tokens: 0 };
  const stream = await client.chat.completions.create(
    { model: "openai:gpt-4o-mini", messages: [{ role: "user", content: "stream me please" }], stream: true, stream_options: { include_usage: true } },
    { headers: headers("agent-a", "exec-2") },
  );
  for await (const chunk of stream) if (chunk.usage) streamed = chunk.usage;
  assert.ok(streamed.prompt_tokens > 0);

  const m = await scrape(proxy.url);
  const agentA = { ...base, external_agent_id: "agent-a" };
  assert.equal(metricValue(m, "llm_request_duration_seconds_count", { ...agentA, status_code: "200" }), 3);
  assert.ok(metricValue(m, "llm_request_duration_seconds_sum", { ...agentA, status_code: "200" }) > 0);
  const input = a.usage!.prompt_tokens + b.usage!.prompt_tokens + streamed.prompt_tokens;
  const output = a.usage!.completion_tokens + b.usage!.completion_tokens + streamed.completion_tokens;
  assert.equal(metricValue(m, "llm_tokens_total", { ...agentA, type: "input" }), input);
  assert.equal(metricValue(m, "llm_tokens_total", { ...agentA, type: "output" }), output);
  near(metricValue(m, "llm_cost_total", agentA), gpt(a.usage!.prompt_tokens, a.usage!.completion_tokens) + gpt(b.usage!.prompt_tokens, b.usage!.completion_tokens) + gpt(streamed.prompt_tokens, streamed.completion_tokens), "llm_cost_total");
  // TTFT is a streaming measure: one observation, for the one stream.
  assert.equal(metricValue(m, "llm_time_to_first_token_seconds_count", agentA), 1);
  assert.equal(metricValue(m, "llm_tokens_per_second_count", agentA), 3);
  assert.ok(metricValue(m, "llm_tokens_per_second_sum", agentA) > 0);
  // Two calls of exec-1 and one of exec-2 are two executions.
  assert.equal(metricValue(m, "agent_executions_total", { proxy_id: "default", external_agent_id: "agent-a" }), 2);
});

test("cached input tokens are counted and priced at the cache rate, stream and non-stream", async () => {
  const usage = { prompt_tokens: 2000, completion_tokens: 10, total_tokens: 2010, prompt_tokens_details: { cached_tokens: 1500 } };
  upstream.enqueue({ kind: "json", body: { ...chatCompletion("gpt-4o-mini", "cached"), usage } });
  await client.chat.completions.create({ model: "openai:gpt-4o-mini", messages: [{ role: "user", content: "x" }] }, { headers: headers("agent-cache") });
  const events = chatStream("gpt-4o-mini", "cached stream", true);
  const usageEvent = events.find((e) => typeof e.data === "object" && "usage" in e.data)!;
  (usageEvent.data as Record<string, unknown>).usage = usage;
  upstream.enqueue({ kind: "stream", events });
  const stream = await client.chat.completions.create({ model: "openai:gpt-4o-mini", messages: [{ role: "user", content: "y" }], stream: true }, { headers: headers("agent-cache") });
  for await (const _ of stream) {
    // drain
  }
  const m = await scrape(proxy.url);
  const labels = { ...base, external_agent_id: "agent-cache" };
  assert.equal(metricValue(m, "llm_cache_tokens_total", { ...labels, type: "read" }), 3000);
  assert.equal(metricValue(m, "llm_tokens_total", { ...labels, type: "input" }), 4000);
  near(metricValue(m, "llm_cost_total", labels), 2 * gpt(2000, 10, 1500), "cost with cache reads");
  assert.ok(2 * gpt(2000, 10, 1500) < 2 * gpt(2000, 10), "the cache rate is lower");
});

test("failures are counted by status code; an unknown proxy mints no label", async () => {
  const bad = new OpenAI({ baseURL: `${proxy.url}/v1/model-router/default`, apiKey: "pk-wrong-key-0000000000000000000000", maxRetries: 0 });
  await assert.rejects(bad.chat.completions.create({ model: "openai:gpt-4o-mini", messages: [{ role: "user", content: "x" }] }), { status: 401 });
  upstream.enqueue({ kind: "json", status: 500, body: { error: { message: "boom", type: "server_error", param: null, code: null } } });
  await assert.rejects(client.chat.completions.create({ model: "openai:gpt-4o-mini", messages: [{ role: "user", content: "x" }] }, { headers: headers("agent-fail") }), { status: 500 });
  const ghost = new OpenAI({ baseURL: `${proxy.url}/v1/model-router/ghost-proxy-xyz`, apiKey: KEY, maxRetries: 0 });
  await assert.rejects(ghost.chat.completions.create({ model: "openai:gpt-4o-mini", messages: [{ role: "user", content: "x" }] }), { status: 404 });
  const m = await scrape(proxy.url);
  assert.equal(metricValue(m, "llm_request_duration_seconds_count", { status_code: "401", proxy_id: "default", provider: "" }), 1);
  assert.equal(metricValue(m, "llm_request_duration_seconds_count", { ...base, external_agent_id: "agent-fail", status_code: "500" }), 1);
  assert.equal(metricValue(m, "llm_request_duration_seconds_count", { status_code: "404", proxy_id: "" }), 1);
  assert.ok(!labelValues(m, "llm_request_duration_seconds_count", "proxy_id").has("ghost-proxy-xyz"));
  assert.equal(metricValue(m, "llm_tokens_total", { external_agent_id: "agent-fail" }), 0, "a failure without usage adds no tokens");
});

test("a model without a price: cost absent, counted as unpriced; a config price override is used", async () => {
  await client.chat.completions.create({ model: "groq:mystery-model-9000", messages: [{ role: "user", content: "x" }] });
  const priced = await client.chat.completions.create({ model: "groq:priced-by-config", messages: [{ role: "user", content: "x" }] });
  const m = await scrape(proxy.url);
  assert.equal(metricValue(m, "llm_unpriced_interactions_total", { provider: "groq", model: "mystery-model-9000" }), 1);
  assert.equal(metricValue(m, "llm_cost_total", { provider: "groq", model: "mystery-model-9000" }), 0);
  assert.ok(!m.some((s) => s.name === "llm_cost_total" && s.labels.model === "mystery-model-9000"), "no cost series for an unpriced model");
  near(metricValue(m, "llm_cost_total", { provider: "groq", model: "priced-by-config" }), (priced.usage!.prompt_tokens * 2 + priced.usage!.completion_tokens * 4) / 1e6, "override");
});

test("agent ids beyond the configured limit are folded into 'other', and the folds are counted", async () => {
  // agent-a and agent-cache took two of the three slots (agent-fail the third).
  for (const agent of ["agent-x", "agent-y", "agent-x"]) {
    await client.chat.completions.create({ model: "openai:gpt-4o-mini", messages: [{ role: "user", content: "x" }] }, { headers: headers(agent, `exec-${agent}`) });
  }
  const m = await scrape(proxy.url);
  const agents = labelValues(m, "llm_request_duration_seconds_count", "external_agent_id");
  assert.ok(!agents.has("agent-x") && !agents.has("agent-y"), [...agents].join(","));
  assert.ok(agents.has("other"));
  assert.equal(metricValue(m, "llm_request_duration_seconds_count", { external_agent_id: "other" }), 3);
  assert.equal(metricValue(m, "portcullis_metric_label_overflow_total", { label: "external_agent_id" }), 3);
  // Executions are still told apart under the folded label.
  assert.equal(metricValue(m, "agent_executions_total", { external_agent_id: "other" }), 2);
  assert.ok([...agents].filter((a) => a !== "" && a !== "other").length <= 3);
});

test("process metrics are exposed beside the LLM metrics", async () => {
  const res = await fetch(`${proxy.url}/metrics`);
  assert.match(res.headers.get("content-type") ?? "", /^text\/plain; version=0\.0\.4/);
  const m = await scrape(proxy.url);
  for (const name of ["process_cpu_user_seconds_total", "process_resident_memory_bytes", "nodejs_heap_size_used_bytes", "nodejs_eventloop_lag_seconds"]) {
    assert.ok(m.some((s) => s.name === name), name);
  }
});
