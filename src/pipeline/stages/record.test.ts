import assert from "node:assert/strict";
import { test } from "node:test";
import { OPENAI_WIRE_PROVIDERS } from "../../../adapters/compatible.ts";
import { chatCodec } from "../../../adapters/openai/chat/chat-codec.ts";
import { createObservability } from "../../observability/observability.ts";
import { OBSERVABILITY_DEFAULTS, type ObservabilitySettings } from "../../observability/settings.ts";
import { InMemorySpanExporter } from "../../observability/tracing/in-memory-span-exporter.ts";
import type { InteractionRow } from "../../store/interaction-log.ts";
import { serializeBody } from "../../store/serialize-body.ts";
import type { RequestContext } from "../context.ts";
import { createContext } from "../create-context.ts";
import { record } from "./record.ts";

const openai = OPENAI_WIRE_PROVIDERS.find((p) => p.id === "openai")!;

function finishedContext(headers: Record<string, string> = {}): RequestContext {
  const ctx = createContext({ route: "router", clientCodec: chatCodec, proxyId: "default", headers, readBody: async () => Buffer.from("{}") });
  ctx.proxy = { id: "default", name: "Default", credentials: {}, createdAt: "2026-01-01T00:00:00.000Z" };
  ctx.caller = { authMethod: "virtual-key", virtualKeyId: "vk-1", agentId: "agent-r", sessionId: "s-1", executionId: "x-1" };
  ctx.rawBody = Buffer.from('{"model":"openai:gpt-4o-mini","messages":[{"role":"user","content":"my key is sk-live-abc123"}]}');
  ctx.request = { model: "gpt-4o-mini", messages: [], stream: false, temperature: 0.2 };
  ctx.requestedModel = "openai:gpt-4o-mini";
  ctx.target = { provider: openai, model: "gpt-4o-mini", format: "openai-chat", codec: chatCodec, credential: { id: "c", provider: "openai", baseUrl: "https://api.openai.com/v1" }, framing: "sse" };
  ctx.status = 200;
  ctx.usage = { inputTokens: 1000, outputTokens: 200, cacheReadTokens: 400 };
  ctx.finish = { reason: "tool_calls" };
  ctx.responseModel = "gpt-4o-mini-2024-07-18";
  ctx.response = { id: "chatcmpl-1", model: "gpt-4o-mini-2024-07-18", content: [{ type: "text", text: "ok" }], finish: { reason: "tool_calls" }, usage: ctx.usage };
  ctx.decisions = [
    { kind: "trusted-data", action: "mark_as_untrusted", blocked: false, tool: "read_inbox" },
    { kind: "tool-invocation", action: "block_always", blocked: true, tool: "delete_repo", policyId: "pol-1", reason: "never from an agent" },
    { kind: "tool-invocation", action: "block_when_context_is_untrusted", blocked: true, tool: "send_email" },
  ];
  ctx.taint = { source: "tool-result", messageIndex: 2, tool: "read_inbox" };
  ctx.redactForLog = (text) => text.replace(/sk-live-[a-z0-9]+/g, "[SECRET]");
  ctx.firstTokenAt = ctx.startedAt + 40;
  ctx.endedAt = ctx.startedAt + 50;
  return ctx;
}

const settings = (over: Partial<ObservabilitySettings> = {}): ObservabilitySettings => ({ ...OBSERVABILITY_DEFAULTS, ...over });

test("one completion feeds the log row, the metrics and the span: decisions, taint, cost, redacted bodies", async () => {
  const rows: InteractionRow[] = [];
  const spans = new InMemorySpanExporter();
  const obs = createObservability(settings(), {}, { spanExporter: spans, processMetrics: false });
  const stage = record({ record: (r) => rows.push(r) }, obs);
  const ctx = finishedContext({ traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01" });
  stage.complete!(ctx);

  const row = rows[0];
  assert.equal(row.blocked, true);
  assert.deepEqual(row.decisions, ctx.decisions);
  assert.deepEqual(row.taint, ctx.taint);
  assert.equal(row.finishReason, "tool_calls");
  assert.equal(row.responseModel, "gpt-4o-mini-2024-07-18");
  assert.equal(row.ttftMs, 40);
  assert.equal(row.durationMs, 50);
  assert.ok(Math.abs(row.costUsd! - (600 * 0.15 + 400 * 0.075 + 200 * 0.6) / 1e6) < 1e-12);
  // The guardrail's redaction reaches the stored body (applied by the writer, off the request path).
  const stored = serializeBody(row.requestBody, row.redact, 65536);
  assert.ok(stored.text!.includes("[SECRET]") && !stored.text!.includes("sk-live"), stored.text!);
  assert.equal(JSON.parse(serializeBody(row.responseBody, row.redact, 65536).text!).id, "chatcmpl-1");

  const metrics = (await obs.metrics.scrape()).body;
  assert.match(metrics, /llm_blocked_tools_total\{provider="openai",model="gpt-4o-mini",proxy_id="default",external_agent_id="agent-r"\} 2/);
  assert.match(metrics, /llm_cache_tokens_total\{provider="openai",model="gpt-4o-mini",proxy_id="default",external_agent_id="agent-r",type="read"\} 400/);

  await obs.tracer!.flush();
  assert.equal(spans.spans.length, 1);
  const span = spans.spans[0];
  assert.equal(span.name, "chat gpt-4o-mini");
  assert.equal(span.traceId, "4bf92f3577b34da6a3ce929d0e0e4736");
  assert.equal(span.parentSpanId, "00f067aa0ba902b7");
  assert.ok(Math.abs(span.endMs - span.startMs - 50) < 1e-6);
  assert.equal(span.attributes["gen_ai.provider.name"], "openai");
  assert.deepEqual(span.attributes["gen_ai.response.finish_reasons"], ["tool_calls"]);
  assert.equal(span.attributes["gen_ai.usage.cache_read.input_tokens"], 400);
  assert.deepEqual(span.attributes["gen_ai.request.temperature"], { double: 0.2 });
  assert.equal(span.attributes["server.address"], "api.openai.com");
  assert.equal(span.attributes["server.port"], 443);
  assert.equal(span.attributes["portcullis.policy.blocked"], true);
  assert.deepEqual(
    span.events.map((e) => [e.name, e.attributes["portcullis.policy.action"], e.attributes["gen_ai.tool.name"], e.attributes["portcullis.policy.blocked"]]),
    [
      ["portcullis.policy.decision", "mark_as_untrusted", "read_inbox", false],
      ["portcullis.policy.decision", "block_always", "delete_repo", true],
      ["portcullis.policy.decision", "block_when_context_is_untrusted", "send_email", true],
    ],
  );
  assert.equal(span.events[1].attributes["portcullis.policy.reason"], "never from an agent");
  await obs.close();
});

test("the stream path: the answer is rebuilt from chunks only when bodies or tracing need it", () => {
  const quiet = record({ record: () => {} }, createObservability(settings({ logBodies: false }), {}, { processMetrics: false }));
  assert.equal(quiet.stream!(finishedContext()), undefined, "no bodies, no tracer: the stage stays off the stream path");

  const rows: InteractionRow[] = [];
  const stage = record({ record: (r) => rows.push(r) }, createObservability(settings(), {}, { processMetrics: false }));
  const ctx = finishedContext();
  ctx.response = undefined;
  ctx.request = { ...ctx.request, stream: true };
  const t = stage.stream!(ctx)!;
  const chunk = { events: [{ type: "start" as const, id: "chatcmpl-s", model: "gpt-4o-mini" }, { type: "part-start" as const, index: 0, part: { type: "text" as const, text: "" } }] };
  assert.deepEqual(t.chunk(chunk), [chunk], "chunks pass through untouched");
  t.chunk({ events: [{ type: "text-delta", index: 0, delta: "partial ans" }] });
  stage.complete!(ctx);
  const body = rows[0].responseBody as { id: string; content: Array<{ text: string }>; incomplete?: boolean };
  assert.equal(body.id, "chatcmpl-s");
  assert.equal(body.content[0].text, "partial ans");
  assert.equal(body.incomplete, true);
});

test("PORTCULLIS_OBSERVABILITY=off records nothing at all (for measuring the cost of observability)", () => {
  const rows: InteractionRow[] = [];
  const obs = createObservability(settings({ enabled: false }), { OTEL_EXPORTER_OTLP_ENDPOINT: "http://127.0.0.1:4318" }, { processMetrics: false });
  assert.equal(obs.tracer, undefined);
  const stage = record({ record: (r) => rows.push(r) }, obs);
  assert.equal(stage.complete, undefined);
  assert.equal(stage.stream, undefined);
});
