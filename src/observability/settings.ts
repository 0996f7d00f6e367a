import { z } from "zod";

/**
 * The `observability` config section: what the interaction log keeps, how often it is written,
 * price overrides, and how many distinct label values the metrics admit. Tracing is configured
 * by the standard OpenTelemetry environment variables (see `trace-exporter-config.ts`).
 */

/** USD per million tokens, as price lists quote them. */
export interface PriceOverride {
  input: number;
  output: number;
  /** Cache reads; absent: charged as input. */
  cacheRead?: number;
  /** Cache writes; absent: charged as input. */
  cacheWrite?: number;
}

export interface ObservabilitySettings {
  /**
   * False only to measure what observability costs (`PORTCULLIS_OBSERVABILITY=off`): no log row,
   * no metric, no span. Never for production: interactions then leave no trace.
   */
  enabled: boolean;
  /** Store request and response bodies on the interaction (guardrail redactions applied). */
  logBodies: boolean;
  /** Per body; a longer body is stored cut at this many bytes (its full size is recorded). */
  maxBodyBytes: number;
  /** How long a finished interaction may wait in memory before it is written (the crash-loss window). */
  flushIntervalMs: number;
  /** `provider:model` -> price; wins over the bundled price data. */
  prices: Record<string, PriceOverride>;
  /** Distinct `external_agent_id` label values; later ones are reported as `other`. */
  maxAgentIds: number;
  /** Distinct `model` label values; later ones are reported as `other`. */
  maxModels: number;
  /** When set, `GET /metrics` wants `Authorization: Bearer <token>` (label values name agents, models and proxies). */
  metricsToken?: string;
}

export const OBSERVABILITY_DEFAULTS: ObservabilitySettings = {
  enabled: true,
  logBodies: true,
  maxBodyBytes: 64 * 1024,
  flushIntervalMs: 200,
  prices: {},
  maxAgentIds: 1000,
  maxModels: 500,
};

/** `${VAR}` interpolates to text: accept "12" and "true" where numbers and booleans are expected. */
const number = (schema: z.ZodNumber) => z.preprocess((v) => (typeof v === "string" && /^\d+(\.\d+)?$/.test(v) ? Number(v) : v), schema);
const boolean = z.preprocess((v) => (v === "true" ? true : v === "false" ? false : v), z.boolean());

const usdPerMillion = number(z.number().nonnegative().max(1_000_000));

const priceOverride = z.strictObject({
  input: usdPerMillion,
  output: usdPerMillion,
  cacheRead: usdPerMillion.optional(),
  cacheWrite: usdPerMillion.optional(),
});

const qualifiedModel = z.string().regex(/^[a-z0-9][a-z0-9._-]*:.+$/, { error: "use '<provider>:<model>', e.g. 'openai:gpt-4o-mini'" });

export const observabilitySection = z.strictObject({
  logBodies: boolean.optional(),
  maxBodyBytes: number(z.number().int().min(0).max(16 * 1024 * 1024)).optional(),
  flushIntervalMs: number(z.number().int().min(10).max(60_000)).optional(),
  prices: z.record(qualifiedModel, priceOverride).optional(),
  metrics: z
    .strictObject({
      maxAgentIds: number(z.number().int().min(1).max(100_000)).optional(),
      maxModels: number(z.number().int().min(1).max(100_000)).optional(),
      token: z.string().min(16, { error: "use at least 16 characters" }).optional(),
    })
    .optional(),
});

export type ObservabilitySection = z.output<typeof observabilitySection>;

/**
 * The section with defaults filled in; `PORTCULLIS_LOG_BODIES=false` turns body logging off and
 * `PORTCULLIS_METRICS_TOKEN` sets the /metrics token.
 */
export function resolveObservabilitySettings(section: ObservabilitySection | undefined, env: NodeJS.ProcessEnv): ObservabilitySettings {
  const d = OBSERVABILITY_DEFAULTS;
  const envBodies = env.PORTCULLIS_LOG_BODIES;
  if (envBodies && envBodies !== "true" && envBodies !== "false") throw new Error(`PORTCULLIS_LOG_BODIES: expected true or false, got '${envBodies}'`);
  const switchedOff = env.PORTCULLIS_OBSERVABILITY;
  if (switchedOff && switchedOff !== "off" && switchedOff !== "on") throw new Error(`PORTCULLIS_OBSERVABILITY: expected on or off, got '${switchedOff}'`);
  return {
    enabled: switchedOff !== "off",
    logBodies: envBodies ? envBodies === "true" : (section?.logBodies ?? d.logBodies),
    maxBodyBytes: section?.maxBodyBytes ?? d.maxBodyBytes,
    flushIntervalMs: section?.flushIntervalMs ?? d.flushIntervalMs,
    prices: section?.prices ?? d.prices,
    maxAgentIds: section?.metrics?.maxAgentIds ?? d.maxAgentIds,
    maxModels: section?.metrics?.maxModels ?? d.maxModels,
    ...metricsToken(section?.metrics?.token ?? env.PORTCULLIS_METRICS_TOKEN),
  };
}

function metricsToken(token: string | undefined): { metricsToken?: string } {
  if (token === undefined || token === "") return {};
  if (token.length < 16) throw new Error("PORTCULLIS_METRICS_TOKEN: use at least 16 characters");
  return { metricsToken: token };
}
