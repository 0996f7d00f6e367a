import { promisify } from "node:util";
import { gzip } from "node:zlib";
import { encodeTraces } from "./otlp-json.ts";
import type { Attributes, FinishedSpan, SpanExporter } from "./span.ts";

export interface OtlpHttpExporterOptions {
  /** The full traces URL (`http://collector:4318/v1/traces`). */
  url: string;
  headers?: Record<string, string>;
  timeoutMs?: number;
  /** gzip (the default: a span is ~1.7 KB of JSON, ~10–70× smaller compressed) or none. */
  compression?: "gzip" | "none";
  resource: Attributes;
  scope: { name: string; version: string };
}

/**
 * OTLP over HTTP with the JSON encoding (`application/json`), which every OpenTelemetry
 * Collector and most backends (Jaeger, Tempo, Honeycomb, …) accept on /v1/traces. Used instead
 * of the OpenTelemetry SDK: a span here is one plain object built when the interaction ends,
 * so a disabled tracer costs nothing and an enabled one a few microseconds. Compression runs on
 * libuv's thread pool, off the event loop.
 */
export class OtlpHttpExporter implements SpanExporter {
  readonly #options: OtlpHttpExporterOptions;

  constructor(options: OtlpHttpExporterOptions) {
    this.#options = options;
  }

  async export(spans: readonly FinishedSpan[]): Promise<void> {
    const o = this.#options;
    const json = encodeTraces(spans, o.resource, o.scope);
    const zipped = o.compression !== "none";
    const res = await fetch(o.url, {
      method: "POST",
      headers: { ...o.headers, "content-type": "application/json", ...(zipped ? { "content-encoding": "gzip" } : {}) },
      body: zipped ? await gzipAsync(json, { level: 1 }) : json,
      signal: AbortSignal.timeout(o.timeoutMs ?? 10_000),
    });
    if (!res.ok) {
      const text = await res.text().catch(() => "");
      throw new Error(`OTLP collector at ${o.url} answered ${res.status}${text ? `: ${text.slice(0, 200)}` : ""}`);
    }
    await res.body?.cancel();
  }
}

const gzipAsync = promisify(gzip);
