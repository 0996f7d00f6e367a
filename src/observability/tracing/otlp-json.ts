import type { AttributeValue, Attributes, FinishedSpan } from "./span.ts";

/**
 * OTLP/JSON encoding of an ExportTraceServiceRequest (opentelemetry-proto, JSON mapping):
 * trace and span ids as hex, 64-bit integers as decimal strings, enums as numbers. Written as
 * text directly (no intermediate objects): a span is ~1.7 KB of JSON, and building it as objects
 * for JSON.stringify cost twice the time.
 */
export function encodeTraces(spans: readonly FinishedSpan[], resource: Attributes, scope: { name: string; version: string }): string {
  let out = `{"resourceSpans":[{"resource":{"attributes":${attributes(resource)}},"scopeSpans":[{"scope":{"name":${q(scope.name)},"version":${q(scope.version)}},"spans":[`;
  for (let i = 0; i < spans.length; i++) {
    if (i > 0) out += ",";
    out += span(spans[i]);
  }
  return `${out}]}]}]}`;
}

function span(s: FinishedSpan): string {
  let out = `{"traceId":"${s.traceId}","spanId":"${s.spanId}"`;
  if (s.parentSpanId) out += `,"parentSpanId":"${s.parentSpanId}"`;
  if (s.traceState) out += `,"traceState":${q(s.traceState)}`;
  out += `,"name":${q(s.name)},"kind":${s.kind},"startTimeUnixNano":"${unixNanos(s.startMs)}","endTimeUnixNano":"${unixNanos(s.endMs)}","attributes":${attributes(s.attributes)},"events":[`;
  for (let i = 0; i < s.events.length; i++) {
    const e = s.events[i];
    out += `${i > 0 ? "," : ""}{"timeUnixNano":"${unixNanos(e.timeMs)}","name":${q(e.name)},"attributes":${attributes(e.attributes)}}`;
  }
  out += `],"status":{"code":${s.status.code}${s.status.message ? `,"message":${q(s.status.message)}` : ""}}}`;
  return out;
}

function attributes(a: Attributes): string {
  let out = "[";
  let first = true;
  for (const key in a) {
    out += `${first ? "" : ","}{"key":${q(key)},"value":${value(a[key])}}`;
    first = false;
  }
  return `${out}]`;
}

function value(v: AttributeValue): string {
  if (typeof v === "string") return `{"stringValue":${q(v)}}`;
  if (typeof v === "boolean") return `{"boolValue":${v}}`;
  if (typeof v === "number") return Number.isInteger(v) ? `{"intValue":"${v}"}` : `{"doubleValue":${finite(v)}}`;
  if (Array.isArray(v)) return `{"arrayValue":{"values":[${v.map((s) => `{"stringValue":${q(s)}}`).join(",")}]}}`;
  return `{"doubleValue":${finite(v.double)}}`;
}

const q = (s: string) => JSON.stringify(s);

/** JSON has no NaN or Infinity. */
const finite = (n: number) => (Number.isFinite(n) ? String(n) : "0");

/** Epoch milliseconds (fractional) as decimal nanoseconds: beyond 2^53, so assembled as a BigInt. */
export function unixNanos(ms: number): string {
  const whole = Math.floor(ms);
  return (BigInt(whole) * 1_000_000n + BigInt(Math.round((ms - whole) * 1e6))).toString();
}
