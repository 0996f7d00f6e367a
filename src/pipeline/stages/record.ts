import type { Observability } from "../../observability/observability.ts";
import { StreamResponseCollector } from "../../observability/stream-response-collector.ts";
import { parseTraceparent } from "../../observability/tracing/trace-context.ts";
import type { InteractionRow } from "../../store/interaction-log.ts";
import type { RequestContext } from "../context.ts";
import type { Stage } from "../stage.ts";

export interface InteractionSink {
  record(row: InteractionRow): void;
}

/**
 * Every interaction, whatever its outcome, becomes one log row (written in batches, off the
 * request path), with its cost; the same row feeds the Prometheus metrics and, when tracing is
 * on, one OpenTelemetry span. Bodies are held by reference and serialized by the log writer;
 * `ctx.redactForLog` (set by the guardrail stage) is applied to them there.
 */
export function record(sink: InteractionSink, observability?: Observability): Stage {
  if (observability?.settings.enabled === false) return { name: "record" };
  const logBodies = observability?.settings.logBodies ?? false;
  const tracer = observability?.tracer;
  const collectors = new WeakMap<RequestContext, StreamResponseCollector>();
  return {
    name: "record",
    stream(ctx) {
      // The streamed answer is rebuilt only for the body log and the span's response id.
      if (!logBodies && !tracer) return undefined;
      const collector = new StreamResponseCollector();
      collectors.set(ctx, collector);
      return {
        chunk(chunk) {
          collector.observe(chunk);
          return [chunk];
        },
      };
    },
    complete(ctx) {
      const row = toRow(ctx);
      const collector = collectors.get(ctx);
      if (observability) {
        row.costUsd = ctx.usage
          ? observability.costs.cost({ provider: row.provider ?? "", model: row.model, responseModel: row.responseModel, usage: ctx.usage, at: ctx.receivedAt })
          : null;
      }
      if (logBodies) {
        row.requestBody = ctx.rawBody;
        row.responseBody = ctx.response ?? collector?.result() ?? (ctx.error ? { error: ctx.error } : undefined);
        row.redact = ctx.redactForLog;
      }
      sink.record(row);
      if (!observability) return;
      observability.metrics.observe(row, { proxy: ctx.proxy?.id, blockedTools: blockedTools(ctx) });
      if (tracer) {
        tracer.record(parseTraceparent(ctx.headers.traceparent, ctx.headers.tracestate), (ids) => ({
          ...ids,
          row,
          startMs: performance.timeOrigin + ctx.startedAt,
          endMs: performance.timeOrigin + (ctx.endedAt ?? performance.now()),
          request: ctx.target ? ctx.request : undefined,
          serverUrl: ctx.target ? (ctx.target.credential.baseUrl ?? ctx.target.provider.defaultBaseUrl) : undefined,
          errorCode: ctx.error?.code,
          responseId: ctx.response?.id ?? collector?.id,
          decisions: ctx.decisions,
        }));
      }
    },
  };
}

export function toRow(ctx: RequestContext): InteractionRow {
  const u = ctx.usage;
  const end = ctx.endedAt ?? performance.now();
  const c = ctx.caller;
  const decisions = ctx.decisions;
  return {
    id: ctx.id,
    createdAt: ctx.receivedAt.toISOString(),
    proxyId: ctx.proxyId,
    route: ctx.route,
    clientFormat: ctx.clientFormat,
    upstreamFormat: ctx.target?.format,
    provider: ctx.target?.provider.id,
    model: ctx.target?.model,
    requestedModel: ctx.requestedModel,
    responseModel: ctx.responseModel,
    authMethod: c.authMethod,
    virtualKeyId: c.virtualKeyId,
    oauthClientId: c.oauthClientId,
    identityProviderId: c.identityProviderId,
    agentId: c.agentId,
    userId: c.userId,
    sessionId: c.sessionId,
    executionId: c.executionId,
    status: ctx.status ?? 500,
    error: ctx.error?.message,
    stream: ctx.request.stream,
    finishReason: ctx.finish?.reason,
    blocked: decisions?.some((d) => d.blocked) ?? false,
    inspected: ctx.passthrough?.inspected ?? true,
    decisions,
    taint: ctx.taint,
    inputTokens: u?.inputTokens,
    outputTokens: u?.outputTokens,
    cacheReadTokens: u?.cacheReadTokens,
    cacheWriteTokens: u?.cacheWriteTokens,
    reasoningTokens: u?.reasoningTokens,
    ttftMs: ctx.firstTokenAt !== undefined ? round(ctx.firstTokenAt - ctx.startedAt) : undefined,
    durationMs: round(end - ctx.startedAt),
  };
}

function blockedTools(ctx: RequestContext): number {
  let n = 0;
  for (const d of ctx.decisions ?? []) if (d.blocked && d.kind === "tool-invocation") n++;
  return n;
}

const round = (ms: number) => Math.round(ms * 1000) / 1000;
