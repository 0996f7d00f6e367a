import type { Kysely } from "kysely";
import type { CostCalculator } from "../observability/cost/cost-calculator.ts";
import type { Store } from "../store/db.ts";
import { addToCounters, deleteEndedCounters, listLimits, loadCounters } from "../store/limits.ts";
import { listVirtualKeys } from "../store/virtual-keys.ts";
import type { CounterStore } from "./counter-store.ts";
import { LimitService } from "./limit-service.ts";
import { MemoryCounterStore } from "./memory-counter-store.ts";
import { PostgresCounterStore } from "./postgres-counter-store.ts";
import { RedisCounterStore } from "./redis-counter-store.ts";

export interface LimitSetup {
  store: Store;
  /** Moves when the catalog reloads (limits and keys may have changed). */
  generation: () => number;
  costs: CostCalculator;
  env: NodeJS.ProcessEnv;
  /** The clock windows are measured by (tests move it). */
  now?: () => number;
}

/** Counters of windows that ended more than this long ago are dropped from the embedded database. */
const KEEP_ENDED_MS = 7 * 24 * 3_600_000;

/**
 * The limit service with the counter stores this deployment calls for: PostgreSQL when the proxy
 * runs on it (shared by every instance), memory persisted to SQLite otherwise; and, with
 * `REDIS_URL`, Redis for request counts (`PORTCULLIS_REDIS_PREFIX` prefixes its keys).
 */
export async function createLimitService(setup: LimitSetup): Promise<LimitService> {
  const { store, env } = setup;
  const now = setup.now ?? Date.now;
  let counters: CounterStore;
  if (store.dialect === "postgres") counters = new PostgresCounterStore(store.db as unknown as Kysely<unknown>, { now });
  else {
    await deleteEndedCounters(store, now() - KEEP_ENDED_MS);
    counters = await MemoryCounterStore.open({ now, persistence: { load: (at) => loadCounters(store, at), save: (deltas) => addToCounters(store, deltas) } });
  }
  let rateStore: CounterStore | undefined;
  try {
    rateStore = env.REDIS_URL ? await RedisCounterStore.open(env.REDIS_URL, { prefix: env.PORTCULLIS_REDIS_PREFIX || undefined }) : undefined;
  } catch (err) {
    await counters.close();
    throw err;
  }
  return LimitService.open({
    costs: setup.costs,
    store: counters,
    rateStore,
    now,
    source: {
      generation: setup.generation,
      async load() {
        const limits = await listLimits(store);
        // Limits name virtual keys; requests carry their ids (and the usage view shows names).
        const named = limits.some((l) => l.scope === "virtualKey");
        const virtualKeys = new Map<string, string>();
        if (named) for (const k of await listVirtualKeys(store)) virtualKeys.set(k.name, k.id);
        return { limits, virtualKeys };
      },
    },
  });
}
