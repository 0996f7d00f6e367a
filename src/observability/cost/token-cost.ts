import type { ModelPrice } from "@pydantic/genai-prices";

/** Token counts with the canonical semantics: `input` includes cache reads and writes, `output` reasoning. */
export interface TokenCounts {
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
  reasoning: number;
}

interface Tiered {
  base: number;
  tiers: ReadonlyArray<{ start: number; price: number }>;
}

type Rate = number | Tiered | undefined;

/** Price keys this formula models; every other key prices usage we never report (audio, images, searches…). */
const MODELLED = new Set(["input_mtok", "output_mtok", "cache_read_mtok", "cache_write_mtok"]);
/** Keys that do apply to our usage but that the formula leaves to the library (a per-request fee, separately priced reasoning). */
const LIBRARY_ONLY = new Set(["requests_kcount", "output_reasoning_mtok"]);

/**
 * Whether `tokenCost` prices this model exactly as `@pydantic/genai-prices` would: no price key
 * that our usage feeds beyond input/output/cache, and rates that are numbers or token tiers.
 */
export function formulaCovers(price: ModelPrice): boolean {
  for (const [key, rate] of Object.entries(price)) {
    if (LIBRARY_ONLY.has(key)) return false;
    if (MODELLED.has(key) && rate !== undefined && typeof rate !== "number" && !isTiered(rate)) return false;
  }
  return true;
}

/**
 * USD for the tokens at per-million rates. Cache reads and writes are carved out of the input
 * and charged at their own rate when the model has one (else as input); a tiered rate applies
 * the highest tier whose start the total input exceeds, to every token (long-context pricing).
 * The library's own calculation costs ~7-30 µs; this one well under one.
 */
export function tokenCost(price: ModelPrice, t: TokenCounts): number {
  const cacheRead = price.cache_read_mtok as Rate;
  const cacheWrite = price.cache_write_mtok as Rate;
  let uncached = t.input;
  let usd = 0;
  if (cacheRead !== undefined) {
    uncached -= t.cacheRead;
    usd += t.cacheRead * rate(cacheRead, t.input);
  }
  if (cacheWrite !== undefined) {
    uncached -= t.cacheWrite;
    usd += t.cacheWrite * rate(cacheWrite, t.input);
  }
  usd += Math.max(0, uncached) * rate(price.input_mtok as Rate, t.input);
  usd += t.output * rate(price.output_mtok as Rate, t.input);
  return usd / 1e6;
}

function rate(r: Rate, inputTokens: number): number {
  if (r === undefined) return 0;
  if (typeof r === "number") return r;
  let p = r.base;
  let from = -1;
  for (const tier of r.tiers) {
    if (inputTokens > tier.start && tier.start > from) {
      p = tier.price;
      from = tier.start;
    }
  }
  return p;
}

function isTiered(v: unknown): v is Tiered {
  return typeof v === "object" && v !== null && typeof (v as Tiered).base === "number" && Array.isArray((v as Tiered).tiers);
}
