import { OtlpHttpExporter } from "./otlp-http-exporter.ts";
import { createSampler, type Sampler } from "./sampler.ts";
import type { SpanBatcherOptions } from "./span-batcher.ts";
import type { Attributes, SpanExporter } from "./span.ts";

export interface TracingSetup {
  exporter: SpanExporter;
  sampler: Sampler;
  batcher: SpanBatcherOptions;
  /** Where spans go, for the start-up line (no headers: they may hold a token). */
  description: string;
}

const SCOPE = { name: "portcullis", version: "0.1.0" };

/**
 * Tracing from the standard OpenTelemetry environment variables: on when
 * `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` (used as is) or `OTEL_EXPORTER_OTLP_ENDPOINT` (+ `/v1/traces`)
 * is set, unless `OTEL_SDK_DISABLED=true` or `OTEL_TRACES_EXPORTER=none`. Also read:
 * `OTEL_EXPORTER_OTLP[_TRACES]_HEADERS` / `_TIMEOUT` / `_COMPRESSION` (gzip by default, or
 * none), `OTEL_SERVICE_NAME`,
 * `OTEL_RESOURCE_ATTRIBUTES`, `OTEL_TRACES_SAMPLER[_ARG]`, `OTEL_BSP_*`. Undefined: tracing off.
 */
export function tracingFromEnv(env: NodeJS.ProcessEnv, report: (message: string) => void = (m) => console.error(m)): TracingSetup | undefined {
  if (env.OTEL_SDK_DISABLED?.trim().toLowerCase() === "true") return undefined;
  const exporters = (env.OTEL_TRACES_EXPORTER ?? "otlp").split(",").map((s) => s.trim().toLowerCase());
  if (exporters.includes("none")) return undefined;
  const url = tracesUrl(env);
  if (!url) return undefined;
  if (!exporters.includes("otlp")) report(`portcullis: OTEL_TRACES_EXPORTER=${env.OTEL_TRACES_EXPORTER}: only 'otlp' is supported; exporting OTLP to ${url}`);
  const protocol = env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL || env.OTEL_EXPORTER_OTLP_PROTOCOL;
  if (protocol && protocol !== "http/json") report(`portcullis: OTLP protocol '${protocol}' requested; Portcullis exports http/json (accepted by OTLP/HTTP receivers on the same port)`);
  const resource: Attributes = { "service.name": "portcullis", ...parsePairs(env.OTEL_RESOURCE_ATTRIBUTES, "OTEL_RESOURCE_ATTRIBUTES") };
  if (env.OTEL_SERVICE_NAME) resource["service.name"] = env.OTEL_SERVICE_NAME;
  resource["telemetry.sdk.name"] = "portcullis";
  resource["telemetry.sdk.language"] = "nodejs";
  const exporter = new OtlpHttpExporter({
    url,
    headers: parsePairs(env.OTEL_EXPORTER_OTLP_TRACES_HEADERS ?? env.OTEL_EXPORTER_OTLP_HEADERS, "OTEL_EXPORTER_OTLP_HEADERS"),
    timeoutMs: positive(env, "OTEL_EXPORTER_OTLP_TRACES_TIMEOUT") ?? positive(env, "OTEL_EXPORTER_OTLP_TIMEOUT"),
    compression: compression(env.OTEL_EXPORTER_OTLP_TRACES_COMPRESSION || env.OTEL_EXPORTER_OTLP_COMPRESSION),
    resource,
    scope: SCOPE,
  });
  return {
    exporter,
    sampler: createSampler(env.OTEL_TRACES_SAMPLER, env.OTEL_TRACES_SAMPLER_ARG),
    batcher: {
      delayMs: positive(env, "OTEL_BSP_SCHEDULE_DELAY"),
      maxQueue: positive(env, "OTEL_BSP_MAX_QUEUE_SIZE"),
      maxBatch: positive(env, "OTEL_BSP_MAX_EXPORT_BATCH_SIZE"),
      report,
    },
    description: `OTLP/HTTP JSON to ${url}`,
  };
}

function compression(value: string | undefined): "gzip" | "none" {
  const v = (value ?? "gzip").trim().toLowerCase();
  if (v !== "gzip" && v !== "none") throw new Error(`OTEL_EXPORTER_OTLP_COMPRESSION: expected gzip or none, got '${value}'`);
  return v;
}

function tracesUrl(env: NodeJS.ProcessEnv): string | undefined {
  const specific = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim();
  const base = env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim();
  const url = specific || (base ? `${base.replace(/\/+$/, "")}/v1/traces` : undefined);
  if (!url) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`OTEL_EXPORTER_OTLP_ENDPOINT: not a URL: '${url}'`);
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") throw new Error(`OTEL_EXPORTER_OTLP_ENDPOINT: expected an http(s) URL, got '${url}'`);
  return parsed.toString();
}

/** `k1=v1,k2=v2` with percent-encoded values (the OpenTelemetry list format). */
function parsePairs(text: string | undefined, name: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (!text) return out;
  for (const item of text.split(",")) {
    if (!item.trim()) continue;
    const eq = item.indexOf("=");
    if (eq <= 0) throw new Error(`${name}: expected 'key=value' pairs separated by commas`);
    try {
      out[decodeURIComponent(item.slice(0, eq).trim())] = decodeURIComponent(item.slice(eq + 1).trim());
    } catch {
      throw new Error(`${name}: invalid percent-encoding`);
    }
  }
  return out;
}

function positive(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const text = env[name];
  if (!text) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name}: expected a positive integer, got '${text}'`);
  return n;
}
