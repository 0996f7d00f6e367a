import { collectDefaultMetrics, Registry } from "prom-client";
import type { InteractionRow } from "../../store/interaction-log.ts";
import { ExecutionTracker } from "./execution-tracker.ts";
import { FastCounter, FastHistogram, type CounterSeries, type HistogramSeries } from "./fast-metrics.ts";
import { LabelLimiter } from "./label-limiter.ts";

const BASE_LABELS = ["provider", "model", "proxy_id", "external_agent_id"] as const;

export interface LlmMetricsOptions {
  /** Distinct `external_agent_id` values before new ones are reported as `other`. */
  maxAgentIds: number;
  /** Distinct `model` values before new ones are reported as `other`. */
  maxModels: number;
  /** Node.js process metrics (CPU, memory, event loop, GC) in the same registry. */
  processMetrics?: boolean;
  executions?: ExecutionTracker;
}

/** What the record stage knows besides the row. */
export interface MetricsContext {
  /** The proxy's id when it exists (a request naming an unknown proxy must not mint a label value). */
  proxy: string | undefined;
  /** Tool calls a policy blocked in this interaction. */
  blockedTools: number;
}

/**
 * The series of one (provider, model, proxy, agent) label set, made on first use (a series, once
 * made, is exported even at zero: a failed request should not add empty token series).
 */
interface LabelSet {
  labels: readonly string[];
  duration: Map<number, HistogramSeries>;
  ttft?: HistogramSeries;
  tokensPerSecond?: HistogramSeries;
  input?: CounterSeries;
  output?: CounterSeries;
  cacheRead?: CounterSeries;
  cacheWrite?: CounterSeries;
  cost?: CounterSeries;
  blocked?: CounterSeries;
  unpriced?: CounterSeries;
}

/** Distinct label sets remembered for fast lookup; beyond it lookups still work, through the metrics' own maps. */
const MAX_CACHED_SETS = 50_000;

/**
 * The Prometheus metrics of LLM interactions, in a registry of their own (several proxies may run
 * in one process, as in tests). Label values that clients choose (agent ids, model names) are
 * bounded; the series of a label set are resolved once and cached, so observing an interaction
 * is one map lookup and a few field updates.
 */
export class LlmMetrics {
  readonly registry = new Registry();
  readonly #duration: FastHistogram;
  readonly #ttft: FastHistogram;
  readonly #tokensPerSecond: FastHistogram;
  readonly #tokens: FastCounter;
  readonly #cacheTokens: FastCounter;
  readonly #cost: FastCounter;
  readonly #blocked: FastCounter;
  readonly #executions: FastCounter;
  readonly #unpriced: FastCounter;
  readonly #agents: LabelLimiter;
  readonly #models: LabelLimiter;
  readonly #tracker: ExecutionTracker;
  readonly #sets = new Map<string, LabelSet>();

  constructor(options: LlmMetricsOptions) {
    const r = this.registry;
    this.#duration = new FastHistogram(
      r,
      "llm_request_duration_seconds",
      "LLM interaction duration through the proxy, from arrival to the last byte, by status code",
      [...BASE_LABELS, "status_code"],
      [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120, 300],
    );
    this.#ttft = new FastHistogram(r, "llm_time_to_first_token_seconds", "Time from arrival to the first content sent to the client, streaming interactions", BASE_LABELS, [
      0.05, 0.1, 0.25, 0.5, 0.75, 1, 2, 3, 5, 10, 20, 30,
    ]);
    this.#tokensPerSecond = new FastHistogram(r, "llm_tokens_per_second", "Output tokens per second: after the first token for streams, over the whole interaction otherwise", BASE_LABELS, [
      1, 5, 10, 20, 30, 50, 75, 100, 150, 200, 300, 500, 1000,
    ]);
    this.#tokens = new FastCounter(r, "llm_tokens_total", "Tokens by type: input (cached included) and output (reasoning included)", [...BASE_LABELS, "type"]);
    this.#cacheTokens = new FastCounter(r, "llm_cache_tokens_total", "Input tokens read from (type=read) or written to (type=write) the provider's prompt cache", [...BASE_LABELS, "type"]);
    this.#cost = new FastCounter(r, "llm_cost_total", "Cost in USD of priced interactions", BASE_LABELS);
    this.#blocked = new FastCounter(r, "llm_blocked_tools_total", "Tool calls blocked by tool invocation policies", BASE_LABELS);
    this.#executions = new FastCounter(r, "agent_executions_total", "Distinct agent executions (X-Archestra-Execution-Id), each counted once", ["proxy_id", "external_agent_id"]);
    this.#unpriced = new FastCounter(r, "llm_unpriced_interactions_total", "Interactions with token usage but no known price (their cost is recorded as null)", ["provider", "model"]);
    const folded = new FastCounter(r, "portcullis_metric_label_overflow_total", "Observations whose label value was reported as 'other' because the label reached its limit of distinct values", ["label"]);
    const foldedAgents = folded.with("external_agent_id");
    const foldedModels = folded.with("model");
    this.#agents = new LabelLimiter(options.maxAgentIds, () => foldedAgents.value++);
    this.#models = new LabelLimiter(options.maxModels, () => foldedModels.value++);
    this.#tracker = options.executions ?? new ExecutionTracker();
    if (options.processMetrics !== false) collectDefaultMetrics({ register: r });
  }

  /** Counts one finished interaction (called once per interaction, success or failure). */
  observe(row: InteractionRow, context: MetricsContext): void {
    const proxy = context.proxy ?? "";
    const agent = this.#agents.label(row.agentId);
    const c = this.#set(row.provider ?? "", this.#models.label(row.model), proxy, agent);
    const l = c.labels;
    const seconds = (row.durationMs ?? 0) / 1000;
    let duration = c.duration.get(row.status);
    if (!duration) {
      duration = this.#duration.with(...l, String(row.status));
      c.duration.set(row.status, duration);
    }
    this.#duration.observe(duration, seconds);

    if (row.inputTokens) (c.input ??= this.#tokens.with(...l, "input")).value += row.inputTokens;
    if (row.outputTokens) (c.output ??= this.#tokens.with(...l, "output")).value += row.outputTokens;
    if (row.cacheReadTokens) (c.cacheRead ??= this.#cacheTokens.with(...l, "read")).value += row.cacheReadTokens;
    if (row.cacheWriteTokens) (c.cacheWrite ??= this.#cacheTokens.with(...l, "write")).value += row.cacheWriteTokens;
    if (typeof row.costUsd === "number") (c.cost ??= this.#cost.with(...l)).value += row.costUsd;
    else if (row.costUsd === null && (row.inputTokens || row.outputTokens)) (c.unpriced ??= this.#unpriced.with(l[0], l[1])).value++;
    if (context.blockedTools > 0) (c.blocked ??= this.#blocked.with(...l)).value += context.blockedTools;

    if (row.status < 400) {
      if (row.stream && row.ttftMs !== undefined) this.#ttft.observe((c.ttft ??= this.#ttft.with(...l)), row.ttftMs / 1000);
      // Streams: the generation rate after the first token; whole answers: over the interaction.
      const window = row.stream && row.ttftMs !== undefined ? seconds - row.ttftMs / 1000 : seconds;
      if (row.outputTokens && window > 0) this.#tokensPerSecond.observe((c.tokensPerSecond ??= this.#tokensPerSecond.with(...l)), row.outputTokens / window);
    }

    if (row.executionId && this.#tracker.firstSeen(`${row.agentId ?? ""}\u0000${row.executionId}`)) this.#executions.with(proxy, agent).value++;
  }

  /** The exposition text and its content type, for `GET /metrics`. */
  async scrape(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }

  #set(provider: string, model: string, proxy: string, agent: string): LabelSet {
    const key = `${provider}\u0001${model}\u0001${proxy}\u0001${agent}`;
    let c = this.#sets.get(key);
    if (c) return c;
    c = { labels: [provider, model, proxy, agent], duration: new Map() };
    if (this.#sets.size >= MAX_CACHED_SETS) this.#sets.clear();
    this.#sets.set(key, c);
    return c;
  }
}
