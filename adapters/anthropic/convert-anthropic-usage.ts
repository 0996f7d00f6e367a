import type { JsonObject } from "../../src/canonical/extras.ts";
import type { Usage } from "../../src/canonical/response.ts";
import { anthropicExtras, isObject, own, restOfKnown } from "./anthropic-extras.ts";

/**
 * Anthropic counts `input_tokens` apart from cache reads and writes; canonical usage has OpenAI
 * semantics (input includes both). Reasoning tokens come from `output_tokens_details`.
 * A known field the provider sent as something other than a number (`null`) is kept verbatim.
 */
const INPUT = "input_tokens";
const OUTPUT = "output_tokens";
const CACHE_WRITE = "cache_creation_input_tokens";
const CACHE_READ = "cache_read_input_tokens";
const DETAILS = "output_tokens_details";
const CUMULATIVE = [INPUT, CACHE_WRITE, CACHE_READ] as const;
const THINKING: ReadonlySet<string> = new Set(["thinking_tokens"]);

const num = (v: unknown): number | undefined => (typeof v === "number" ? v : undefined);

/** Usage of a message (`message.usage`, `message_start.message.usage`). */
export function decodeAnthropicUsage(u: JsonObject): Usage {
  return decode(u, undefined);
}

/**
 * Usage of a `message_delta`: cumulative counts that may leave out (or, on some compatible servers,
 * resend) the input side; what it leaves out comes from `message_start`.
 */
export function decodeAnthropicDeltaUsage(u: JsonObject, start: Usage | undefined): Usage {
  return decode(u, start ?? { inputTokens: 0, outputTokens: 0 });
}

function decode(u: JsonObject, start: Usage | undefined): Usage {
  let rest: JsonObject | undefined;
  let reasoning: number | undefined;
  for (const key in u) {
    const v = u[key];
    if (key === DETAILS && isObject(v)) {
      if (typeof v.thinking_tokens === "number") reasoning = v.thinking_tokens;
      const other = reasoning === undefined ? v : restOfKnown(v, THINKING);
      if (other !== undefined) (rest ??= {})[key] = other;
    } else if (key === OUTPUT || key === INPUT || key === CACHE_READ || key === CACHE_WRITE) {
      if (typeof v !== "number") (rest ??= {})[key] = v;
    } else (rest ??= {})[key] = v;
  }
  const startCacheRead = start?.cacheReadTokens;
  const startCacheWrite = start?.cacheWriteTokens;
  const cacheRead = num(u[CACHE_READ]) ?? startCacheRead;
  const cacheWrite = num(u[CACHE_WRITE]) ?? startCacheWrite;
  const startInput = start ? start.inputTokens - (startCacheRead ?? 0) - (startCacheWrite ?? 0) : 0;
  const input = num(u[INPUT]) ?? startInput;
  const usage: Usage = {
    inputTokens: input + (cacheRead ?? 0) + (cacheWrite ?? 0),
    outputTokens: num(u[OUTPUT]) ?? 0,
  };
  if (cacheRead !== undefined) usage.cacheReadTokens = cacheRead;
  if (cacheWrite !== undefined) usage.cacheWriteTokens = cacheWrite;
  if (reasoning !== undefined) usage.reasoningTokens = reasoning;
  let markers: JsonObject | undefined;
  if (start) {
    const omit = CUMULATIVE.filter((k) => !(k in u) && (k === INPUT || (k === CACHE_READ ? cacheRead : cacheWrite) !== undefined));
    if (omit.length > 0) markers = { $omit: omit };
  }
  const extras = anthropicExtras(rest, markers);
  if (extras) usage.extras = extras;
  return usage;
}

/** Anthropic `usage` for canonical usage (of any origin). */
export function encodeAnthropicUsage(usage: Usage): JsonObject {
  const x = own(usage);
  const omit = Array.isArray(x.$omit) ? (x.$omit as string[]) : undefined;
  const out: JsonObject = {};
  const put = (key: string, value: number | undefined) => {
    if (key in x) out[key] = x[key];
    else if (value !== undefined && !omit?.includes(key)) out[key] = value;
  };
  const cacheRead = usage.cacheReadTokens;
  const cacheWrite = usage.cacheWriteTokens;
  put(INPUT, Math.max(0, usage.inputTokens - (cacheRead ?? 0) - (cacheWrite ?? 0)));
  put(CACHE_WRITE, cacheWrite);
  put(CACHE_READ, cacheRead);
  put(OUTPUT, usage.outputTokens);
  for (const key in x) {
    if (key.charCodeAt(0) === 36 /* $ */ || key in out) continue;
    out[key] = x[key];
  }
  if (usage.reasoningTokens !== undefined) {
    const details = x[DETAILS];
    out[DETAILS] = isObject(details) ? { ...details, thinking_tokens: usage.reasoningTokens } : { thinking_tokens: usage.reasoningTokens };
  }
  return out;
}
