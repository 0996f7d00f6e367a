/**
 * Where limit counters live: in memory (the embedded default, persisted in batches), in
 * PostgreSQL (shared by every instance on it), in Redis (request rates at high rates). A counter is
 * one limit's use by one subject in one window: what settled requests used, and what requests in
 * flight have reserved.
 */

export interface CounterKey {
  /** The limit's counter identity (id, measure and window: changing either starts afresh). */
  key: string;
  subject: string;
  /** Epoch ms the window starts and ends (Infinity: never). */
  windowStart: number;
  windowEnd: number;
}

/** Reserve `amount` on a counter unless it would pass `cap`. */
export interface Claim extends CounterKey {
  cap: number;
  amount: number;
}

export interface CounterState {
  used: number;
  reserved: number;
}

/**
 * All or nothing: either every claim is reserved (the counters' states after it, this request's
 * reservation included), or none is and `failed` names the claims that did not fit (with their
 * states as seen).
 */
export type ClaimOutcome = { ok: true; states: CounterState[] } | { ok: false; failed: number[]; states: Array<CounterState | undefined> };

export interface CounterRow extends CounterState {
  subject: string;
}

export interface CounterStore {
  readonly kind: "memory" | "postgres" | "redis";
  /**
   * A claim fits when nothing of the counter's cap is left over (used + reserved < cap) and the
   * amount fits in what is left (used + reserved + amount <= cap).
   */
  claim(requestId: string, claims: readonly Claim[], now: number): ClaimOutcome | Promise<ClaimOutcome>;
  /** Replaces each claim's reservation by what was actually used (0 releases it all). */
  settle(requestId: string, claims: readonly Claim[], actual: readonly number[], now: number): void | Promise<void>;
  /** Current counters of one limit's window: one subject, or every subject when undefined (largest first, at most `max`). */
  read(key: string, windowStart: number, subject: string | undefined, max: number): Promise<CounterRow[]>;
  close(): Promise<void>;
}

/** The admission rule every store applies, in one place. */
export function fits(state: CounterState, claim: Claim): boolean {
  const taken = state.used + state.reserved;
  return taken < claim.cap && taken + claim.amount <= claim.cap;
}
