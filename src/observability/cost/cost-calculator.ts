import { calcPrice, type ModelPrice, type Provider } from "@pydantic/genai-prices";
import type { Usage } from "../../canonical/response.ts";
import type { PriceOverride } from "../settings.ts";
import { priceProviderId } from "./price-provider-ids.ts";
import { billableUsage } from "./billable-usage.ts";
import { formulaCovers, tokenCost } from "./token-cost.ts";

/** How one (provider, model) is priced, found once and cached. */
interface PriceSource {
  /** A plain price (override or bundled data) that `tokenCost` computes exactly. */
  formula?: ModelPrice;
  /** The bundled data's entry: the library prices time-dependent prices and billable extras with it. */
  library?: { provider: Provider; model: string };
}


/** Distinct (provider, model) pairs remembered; a flood of invented model names cannot grow it further. */
const MAX_CACHED = 5000;

export interface CostQuery {
  provider: string;
  /** The model asked of the upstream, and the one that answered (often a dated variant). */
  model: string | undefined;
  responseModel: string | undefined;
  usage: Usage;
  /** When the interaction happened (some prices depend on the time of day or date). */
  at: Date;
}

/**
 * USD per interaction from the token usage: config overrides (`provider:model`) first, then the
 * maintained price data of `@pydantic/genai-prices` (bundled, offline), cached-token prices
 * included. Returns null when no price is known: an unknown cost is not a zero cost.
 */
export class CostCalculator {
  readonly #overrides: Map<string, ModelPrice>;
  readonly #cache = new Map<string, PriceSource | null>();

  constructor(overrides: Readonly<Record<string, PriceOverride>> = {}) {
    this.#overrides = new Map(Object.entries(overrides).map(([id, p]) => [id, overridePrice(p)]));
  }

  cost(q: CostQuery): number | null {
    const source = this.#source(q.provider, q.responseModel, q.model);
    if (!source) return null;
    const { tokens: t, extra } = billableUsage(q.usage);
    if (source.formula && !(extra && source.library)) return tokenCost(source.formula, t);
    const library = source.library!;
    try {
      const result = calcPrice(
        { input_tokens: t.input, output_tokens: t.output, cache_read_tokens: t.cacheRead, cache_write_tokens: t.cacheWrite, output_reasoning_tokens: t.reasoning, ...extra },
        library.model,
        { provider: library.provider, timestamp: q.at },
      );
      return result ? result.total_price : null;
    } catch {
      // Usage the library finds inconsistent (cache tokens above the input): no price rather than a wrong one.
      return null;
    }
  }

  /** An override for either model name wins; then the price data, for the answering model first. */
  #source(provider: string, responseModel: string | undefined, model: string | undefined): PriceSource | null {
    for (const name of [responseModel, model]) {
      const price = name ? this.#overrides.get(`${provider}:${name}`) : undefined;
      if (price) return { formula: price };
    }
    for (const name of [responseModel, model]) {
      if (!name) continue;
      const source = this.#lookup(provider, name);
      if (source) return source;
    }
    return null;
  }

  #lookup(provider: string, model: string): PriceSource | null {
    const key = `${provider}\u0000${model}`;
    let source = this.#cache.get(key);
    if (source !== undefined) return source;
    source = findSource(provider, model);
    if (this.#cache.size >= MAX_CACHED) this.#cache.clear();
    this.#cache.set(key, source);
    return source;
  }
}

function findSource(provider: string, model: string): PriceSource | null {
  const providerId = priceProviderId(provider);
  if (!providerId) return null;
  let found;
  try {
    found = calcPrice({}, model, { providerId });
  } catch {
    return null;
  }
  if (!found) return null;
  const info = found.model;
  const p = found.provider;
  const library = { provider: { id: p.id, name: p.name, api_pattern: p.api_pattern, models: [info] }, model };
  return !Array.isArray(info.prices) && formulaCovers(info.prices) ? { formula: info.prices, library } : { library };
}

function overridePrice(p: PriceOverride): ModelPrice {
  return { input_mtok: p.input, output_mtok: p.output, cache_read_mtok: p.cacheRead, cache_write_mtok: p.cacheWrite };
}
