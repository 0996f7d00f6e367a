import type { WireCodec } from "../../adapters/types.ts";
import { ProxyError, type CanonicalError } from "../canonical/error.ts";
import type { JsonObject } from "../canonical/extras.ts";
import type { LimitStatus } from "./limit-service.ts";
import { EACH_SUBJECT, type LimitMeasure, type LimitScope } from "./types.ts";
import { isoOrNull, secondsUntil } from "./windows.ts";

const SCOPE_NAMES: Record<LimitScope, string> = {
  proxy: "LLM proxy",
  virtualKey: "virtual key",
  oauthClient: "OAuth client",
  user: "user",
  externalAgent: "external agent",
};

/** What a refusal body tells a client about the limit, in every format. */
export interface LimitDetails {
  id: string;
  scope: LimitScope;
  subject: string;
  measure: LimitMeasure;
  window: string;
  max: number;
  used: number;
  remaining: number;
  /** ISO instant, or null for a lifetime limit. */
  resetsAt: string | null;
}

export function limitDetails(s: LimitStatus, subjectLabel: string): LimitDetails {
  return {
    id: s.limit.id,
    scope: s.limit.scope,
    subject: subjectLabel,
    measure: s.limit.measure,
    window: s.limit.window,
    max: s.max,
    used: round(s.used + s.reserved, s.limit.measure),
    remaining: round(s.remaining, s.limit.measure),
    resetsAt: isoOrNull(s.window.end),
  };
}

/**
 * The refusal of a request over a limit, in the client's own error format: 402 for a budget (SDKs
 * do not retry it), 429 with `Retry-After` for a rate. The message names the limit, its scope and
 * subject, its window and when it resets; the body also carries the same as data where the format
 * has room (OpenAI and Anthropic: `error.limit`; Gemini: an ErrorInfo detail).
 */
export function limitRefusal(codec: WireCodec, s: LimitStatus, httpStatus: 402 | 429, subjectLabel: string, now: number): ProxyError {
  const d = limitDetails(s, subjectLabel);
  const seconds = secondsUntil(s.window.end, now);
  const who = `${SCOPE_NAMES[d.scope]} '${subjectLabel}'`;
  const per = d.window === "lifetime" ? "in total" : `per ${d.window}`;
  const resets = d.resetsAt ? `It resets at ${d.resetsAt} (in ${seconds} s).` : "It does not reset (a lifetime limit): raise it or remove it to go on.";
  const message =
    httpStatus === 402
      ? `Usage limit '${d.id}' reached: the ${who} may use ${amount(d.max, d.measure)} ${per} (used or reserved: ${amount(d.used, d.measure)}) and this request needs up to ${amount(s.amount, d.measure)}. ${resets}`
      : `Rate limit '${d.id}' reached: the ${who} may use ${amount(d.max, d.measure)} ${per}. ${resets}`;
  const error: CanonicalError = {
    status: httpStatus,
    kind: httpStatus === 402 ? "over_budget" : "rate_limit",
    message,
    code: httpStatus === 402 ? "budget_exceeded" : "rate_limit_exceeded",
  };
  if (httpStatus === 429 && d.resetsAt) error.retryAfter = seconds;
  error.native = { format: codec.format, body: withDetails(codec, codec.encodeError(error), d) };
  return new ProxyError(error);
}

function withDetails(codec: WireCodec, body: JsonObject, d: LimitDetails): JsonObject {
  const inner = body.error;
  if (typeof inner !== "object" || inner === null || Array.isArray(inner)) return body;
  if (codec.format === "gemini") {
    const metadata: Record<string, string> = {};
    for (const [k, v] of Object.entries(d)) metadata[k] = v === null ? "" : String(v);
    const info = { "@type": "type.googleapis.com/google.rpc.ErrorInfo", reason: d.measure === "requests" ? "RATE_LIMIT_EXCEEDED" : "BUDGET_EXCEEDED", domain: "portcullis", metadata };
    const details = (inner as JsonObject).details;
    return { ...body, error: { ...inner, details: [info, ...(Array.isArray(details) ? details : [])] } };
  }
  return { ...body, error: { ...inner, limit: d } };
}

function amount(n: number, measure: LimitMeasure): string {
  switch (measure) {
    case "costUsd":
      return `${round(n, measure)} USD`;
    case "tokens":
      return plural(round(n, measure), "token");
    case "requests":
      return plural(round(n, measure), "request");
  }
}

function plural(n: number, unit: string): string {
  return `${n} ${unit}${n === 1 ? "" : "s"}`;
}

/** Micro-dollars for cost; whole units otherwise (a generous estimate is rounded up). */
function round(n: number, measure: LimitMeasure): number {
  return measure === "costUsd" ? Math.round(n * 1e6) / 1e6 : Math.max(0, Math.ceil(n - 1e-9));
}

/**
 * `X-RateLimit-*` for the tightest limit: its max, what is left of it after this request's
 * reservation, and the seconds until it resets (as `Retry-After` counts; absent for a lifetime
 * limit); `X-RateLimit-Policy` says which limit and in what unit.
 */
export function rateLimitHeaders(s: LimitStatus, now: number): Record<string, string> {
  const m = s.limit.measure;
  const headers: Record<string, string> = {
    "x-ratelimit-limit": String(round(s.max, m)),
    "x-ratelimit-remaining": String(m === "costUsd" ? round(s.remaining, m) : Math.floor(s.remaining)),
    "x-ratelimit-policy": `${s.limit.id};measure=${m};window=${s.limit.window}`,
  };
  if (Number.isFinite(s.window.end)) headers["x-ratelimit-reset"] = String(secondsUntil(s.window.end, now));
  return headers;
}

/** How a refusal names the subject: the limit's own subject, or the caller's for a `*` limit. */
export function subjectLabel(s: LimitStatus, name: (id: string) => string | undefined): string {
  if (s.limit.subject !== EACH_SUBJECT) return s.limit.subject;
  return (s.limit.scope === "virtualKey" && name(s.subject)) || s.subject;
}
