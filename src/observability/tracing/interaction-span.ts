import type { CanonicalRequest } from "../../canonical/request.ts";
import type { InteractionRow } from "../../store/interaction-log.ts";
import { genAiProviderName } from "./gen-ai-provider-names.ts";
import { SPAN_KIND_CLIENT, STATUS_ERROR, STATUS_UNSET, type Attributes, type FinishedSpan, type SpanEvent } from "./span.ts";
import type { ParentContext } from "./trace-context.ts";

/** What a span is made of besides the log row. */
export interface SpanInput {
  row: InteractionRow;
  traceId: string;
  spanId: string;
  parent: ParentContext | undefined;
  /** Unix epoch milliseconds (fractional). */
  startMs: number;
  endMs: number;
  request: CanonicalRequest | undefined;
  /** The upstream's base URL, for `server.address` / `server.port`. */
  serverUrl: string | undefined;
  /** The error's machine-readable code, for `error.type`. */
  errorCode: string | undefined;
  responseId: string | undefined;
  decisions: ReadonlyArray<{ kind: string; action: string; blocked: boolean; policyId?: string; tool?: string; reason?: string }> | undefined;
}

/**
 * One span per interaction, named `chat {model}`, with the GenAI semantic conventions'
 * attributes (gen_ai.*), the caller's ids (`gen_ai.conversation.id` is the session id,
 * `gen_ai.agent.id` the agent id), and one event per policy decision.
 */
export function interactionSpan(input: SpanInput): FinishedSpan {
  const { row, request } = input;
  const a: Attributes = { "gen_ai.operation.name": "chat" };
  if (row.provider) a["gen_ai.provider.name"] = genAiProviderName(row.provider);
  if (row.model) a["gen_ai.request.model"] = row.model;
  a["gen_ai.request.stream"] = row.stream;
  if (request) {
    if (request.maxOutputTokens !== undefined) a["gen_ai.request.max_tokens"] = request.maxOutputTokens;
    if (request.temperature !== undefined) a["gen_ai.request.temperature"] = { double: request.temperature };
    if (request.topP !== undefined) a["gen_ai.request.top_p"] = { double: request.topP };
    if (request.topK !== undefined) a["gen_ai.request.top_k"] = { double: request.topK };
    if (request.frequencyPenalty !== undefined) a["gen_ai.request.frequency_penalty"] = { double: request.frequencyPenalty };
    if (request.presencePenalty !== undefined) a["gen_ai.request.presence_penalty"] = { double: request.presencePenalty };
    if (request.seed !== undefined) a["gen_ai.request.seed"] = request.seed;
    if (request.stop?.length) a["gen_ai.request.stop_sequences"] = request.stop;
  }
  if (row.responseModel) a["gen_ai.response.model"] = row.responseModel;
  if (input.responseId) a["gen_ai.response.id"] = input.responseId;
  if (row.finishReason) a["gen_ai.response.finish_reasons"] = [row.finishReason];
  if (row.stream && row.ttftMs !== undefined) a["gen_ai.response.time_to_first_chunk"] = { double: row.ttftMs / 1000 };
  if (row.inputTokens !== undefined) a["gen_ai.usage.input_tokens"] = row.inputTokens;
  if (row.outputTokens !== undefined) a["gen_ai.usage.output_tokens"] = row.outputTokens;
  if (row.cacheReadTokens !== undefined) a["gen_ai.usage.cache_read.input_tokens"] = row.cacheReadTokens;
  if (row.cacheWriteTokens !== undefined) a["gen_ai.usage.cache_creation.input_tokens"] = row.cacheWriteTokens;
  if (row.reasoningTokens !== undefined) a["gen_ai.usage.reasoning.output_tokens"] = row.reasoningTokens;
  if (row.sessionId) a["gen_ai.conversation.id"] = row.sessionId;
  if (row.agentId) a["gen_ai.agent.id"] = row.agentId;
  if (row.userId) a["user.id"] = row.userId;
  if (row.executionId) a["portcullis.execution.id"] = row.executionId;
  const server = serverAddress(input.serverUrl);
  if (server) {
    a["server.address"] = server.host;
    a["server.port"] = server.port;
  }
  a["http.response.status_code"] = row.status;
  a["portcullis.interaction.id"] = row.id;
  a["portcullis.proxy.id"] = row.proxyId;
  a["portcullis.route"] = row.route;
  a["portcullis.client.format"] = row.clientFormat;
  if (row.authMethod) a["portcullis.auth.method"] = row.authMethod;
  if (row.requestedModel) a["portcullis.request.model"] = row.requestedModel;
  if (typeof row.costUsd === "number") a["portcullis.cost.usd"] = { double: row.costUsd };
  if (row.blocked) a["portcullis.policy.blocked"] = true;

  const failed = row.status >= 400;
  if (failed) a["error.type"] = input.errorCode ?? String(row.status);
  const events: SpanEvent[] = [];
  for (const d of input.decisions ?? []) {
    const e: Attributes = { "portcullis.policy.kind": d.kind, "portcullis.policy.action": d.action, "portcullis.policy.blocked": d.blocked };
    if (d.policyId) e["portcullis.policy.id"] = d.policyId;
    if (d.tool) e["gen_ai.tool.name"] = d.tool;
    if (d.reason) e["portcullis.policy.reason"] = d.reason;
    events.push({ name: "portcullis.policy.decision", timeMs: input.endMs, attributes: e });
  }
  return {
    traceId: input.traceId,
    spanId: input.spanId,
    ...(input.parent ? { parentSpanId: input.parent.spanId, ...(input.parent.traceState ? { traceState: input.parent.traceState } : {}) } : {}),
    name: row.model ? `chat ${row.model}` : "chat",
    kind: SPAN_KIND_CLIENT,
    startMs: input.startMs,
    endMs: input.endMs,
    attributes: a,
    events,
    status: failed ? { code: STATUS_ERROR, message: row.error ?? `HTTP ${row.status}` } : { code: STATUS_UNSET },
  };
}

const servers = new Map<string, { host: string; port: number } | null>();

/** Base URLs are few: parsed once each. */
function serverAddress(url: string | undefined): { host: string; port: number } | null {
  if (!url) return null;
  let s = servers.get(url);
  if (s !== undefined) return s;
  try {
    const u = new URL(url);
    s = { host: u.hostname, port: u.port ? Number(u.port) : u.protocol === "https:" ? 443 : 80 };
  } catch {
    s = null;
  }
  if (servers.size > 1000) servers.clear();
  servers.set(url, s);
  return s;
}
