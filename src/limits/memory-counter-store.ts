import { fits, type Claim, type ClaimOutcome, type CounterRow, type CounterState, type CounterStore } from "./counter-store.ts";

/** A counter's use that is not yet written, and the row it belongs to. */
export interface CounterDelta {
  key: string;
  subject: string;
  windowStart: number;
  windowEnd: number;
  used: number;
}

/** Where the in-memory counters are kept between runs (the embedded database). */
export interface CounterPersistence {
  /** Counters of windows that have not ended at `now`. */
  load(now: number): Promise<CounterDelta[]>;
  /** Adds each delta's `used` to its stored counter. */
  save(deltas: readonly CounterDelta[]): Promise<void>;
}

interface Counter extends CounterState {
  key: string;
  subject: string;
  windowStart: number;
  windowEnd: number;
  /** Used since the last save. */
  unsaved: number;
}

/**
 * Counters in this process's memory: the embedded default, one instance. Claims and settlements
 * are synchronous map updates (no I/O on the request path); settled use is written to the
 * database in batches, every `flushMs` and on close, so a restart keeps it. Reservations are never
 * written: a crash forgets them, and with them any budget they held. What a crash can lose is the
 * use settled since the last write (at most `flushMs`).
 */
export class MemoryCounterStore implements CounterStore {
  readonly kind = "memory";
  readonly #counters = new Map<string, Counter>();
  readonly #persistence: CounterPersistence | undefined;
  readonly #timer: NodeJS.Timeout | undefined;
  readonly #now: () => number;
  #saving: Promise<void> = Promise.resolve();

  private constructor(persistence: CounterPersistence | undefined, flushMs: number, now: () => number) {
    this.#persistence = persistence;
    this.#now = now;
    if (persistence) {
      this.#timer = setInterval(() => void this.flush(), flushMs);
      this.#timer.unref();
    }
  }

  static async open(options: { persistence?: CounterPersistence; flushMs?: number; now?: () => number } = {}): Promise<MemoryCounterStore> {
    const now = options.now ?? Date.now;
    const store = new MemoryCounterStore(options.persistence, options.flushMs ?? 1000, now);
    for (const row of (await options.persistence?.load(now())) ?? []) {
      store.#counter(row.key, row.subject, row.windowStart, row.windowEnd).used += row.used;
    }
    return store;
  }

  claim(_requestId: string, claims: readonly Claim[]): ClaimOutcome {
    const counters = claims.map((c) => this.#counter(c.key, c.subject, c.windowStart, c.windowEnd));
    let failed: number[] | undefined;
    for (let i = 0; i < claims.length; i++) if (!fits(counters[i], claims[i])) (failed ??= []).push(i);
    if (failed) return { ok: false, failed, states: counters.map(stateOf) };
    for (let i = 0; i < claims.length; i++) counters[i].reserved += claims[i].amount;
    return { ok: true, states: counters.map(stateOf) };
  }

  settle(_requestId: string, claims: readonly Claim[], actual: readonly number[]): void {
    for (let i = 0; i < claims.length; i++) {
      const c = claims[i];
      const counter = this.#counter(c.key, c.subject, c.windowStart, c.windowEnd);
      counter.reserved = Math.max(0, counter.reserved - c.amount);
      counter.used += actual[i];
      counter.unsaved += actual[i];
    }
  }

  async read(key: string, windowStart: number, subject: string | undefined, max: number): Promise<CounterRow[]> {
    if (subject !== undefined) {
      const c = this.#counters.get(id(key, subject, windowStart));
      return c ? [rowOf(c)] : [];
    }
    const rows: CounterRow[] = [];
    for (const c of this.#counters.values()) if (c.key === key && c.windowStart === windowStart) rows.push(rowOf(c));
    return rows.sort((a, b) => b.used + b.reserved - (a.used + a.reserved)).slice(0, max);
  }

  /** Writes the use settled since the last write, and forgets counters of ended windows. */
  flush(): Promise<void> {
    this.#saving = this.#saving.then(() => this.#save());
    return this.#saving;
  }

  async #save(): Promise<void> {
    const deltas: CounterDelta[] = [];
    const now = this.#now();
    for (const [k, c] of this.#counters) {
      if (c.unsaved !== 0) {
        deltas.push({ key: c.key, subject: c.subject, windowStart: c.windowStart, windowEnd: c.windowEnd, used: c.unsaved });
        c.unsaved = 0;
      } else if (c.windowEnd <= now && c.reserved === 0) this.#counters.delete(k);
    }
    if (deltas.length === 0 || !this.#persistence) return;
    try {
      await this.#persistence.save(deltas);
    } catch (err) {
      // Kept for the next attempt rather than lost.
      for (const d of deltas) this.#counter(d.key, d.subject, d.windowStart, d.windowEnd).unsaved += d.used;
      console.error(`portcullis: saving limit counters failed, retrying: ${(err as Error).message}`);
    }
  }

  async close(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    await this.flush();
  }

  #counter(key: string, subject: string, windowStart: number, windowEnd: number): Counter {
    const k = id(key, subject, windowStart);
    let c = this.#counters.get(k);
    if (!c) {
      c = { key, subject, windowStart, windowEnd, used: 0, reserved: 0, unsaved: 0 };
      this.#counters.set(k, c);
    }
    return c;
  }
}

const id = (key: string, subject: string, windowStart: number) => `${key}\u0000${windowStart}\u0000${subject}`;
const stateOf = (c: Counter): CounterState => ({ used: c.used, reserved: c.reserved });
const rowOf = (c: Counter): CounterRow => ({ subject: c.subject, used: c.used, reserved: c.reserved });
