import assert from "node:assert/strict";
import { test } from "node:test";
import type { InteractionRow } from "../../store/interaction-log.ts";
import { LlmMetrics } from "./llm-metrics.ts";

const row = (i: number, extra: Partial<InteractionRow> = {}): InteractionRow => ({
  id: `r${i}`,
  createdAt: new Date().toISOString(),
  proxyId: "default",
  route: "router",
  clientFormat: "openai-chat",
  provider: "openai",
  model: "gpt-4o-mini",
  status: 200,
  stream: false,
  inputTokens: 10,
  outputTokens: 5,
  durationMs: 100,
  costUsd: 0.001,
  ...extra,
});

test("a flood of agent ids and model names cannot grow the series beyond the limits", async () => {
  const m = new LlmMetrics({ maxAgentIds: 50, maxModels: 20, processMetrics: false });
  for (let i = 0; i < 20_000; i++) m.observe(row(i, { agentId: `agent-${i}`, model: `model-${i % 5000}`, executionId: `e-${i}` }), { proxy: "default", blockedTools: 0 });
  const text = (await m.scrape()).body;
  const agents = new Set([...text.matchAll(/external_agent_id="([^"]*)"/g)].map((x) => x[1]));
  const models = new Set([...text.matchAll(/model="([^"]*)"/g)].map((x) => x[1]));
  assert.ok(agents.size <= 51, `${agents.size} agent label values`);
  assert.ok(models.size <= 21, `${models.size} model label values`);
  assert.ok(agents.has("other") && models.has("other"));
  assert.ok(text.split("\n").length < 200_000 / 10, "series stay in the thousands, not the hundreds of thousands");
});

test("observing an interaction is cheap once its label set is known (< 1 µs)", () => {
  const m = new LlmMetrics({ maxAgentIds: 100, maxModels: 100, processMetrics: false });
  const r = row(1, { agentId: "a", stream: true, ttftMs: 20, cacheReadTokens: 3 });
  m.observe(r, { proxy: "default", blockedTools: 0 });
  const n = 100_000;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) m.observe(r, { proxy: "default", blockedTools: 0 });
  const us = ((performance.now() - t0) * 1000) / n;
  assert.ok(us < 1, `${us.toFixed(3)} µs per observation`);
});

test("blocked tool calls are counted; a failure adds no token or cost series", async () => {
  const m = new LlmMetrics({ maxAgentIds: 10, maxModels: 10, processMetrics: false });
  m.observe(row(1, { blocked: true }), { proxy: "default", blockedTools: 2 });
  m.observe(row(2, { status: 401, provider: undefined, model: undefined, inputTokens: undefined, outputTokens: undefined, costUsd: null }), { proxy: undefined, blockedTools: 0 });
  const text = (await m.scrape()).body;
  assert.match(text, /llm_blocked_tools_total\{provider="openai",model="gpt-4o-mini",proxy_id="default",external_agent_id=""\} 2/);
  assert.match(text, /llm_request_duration_seconds_count\{provider="",model="",proxy_id="",external_agent_id="",status_code="401"\} 1/);
  assert.doesNotMatch(text, /llm_tokens_total\{provider="",/);
  assert.doesNotMatch(text, /llm_unpriced_interactions_total\{/, "no usage, so not 'unpriced'");
});
