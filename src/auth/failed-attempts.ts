export interface FailedAttemptLimits {
  /** Failed attempts an address may make within the window; 0 turns limiting off. */
  max: number;
  windowSeconds: number;
}

export const DEFAULT_FAILED_ATTEMPT_LIMITS: FailedAttemptLimits = { max: 20, windowSeconds: 60 };

/**
 * Failed authentication attempts per client address, over a sliding window (a log of the last
 * `max` failure times per address). Once an address has failed `max` times within the window,
 * every attempt from it is refused until the oldest of those failures leaves the window, valid
 * credentials included: otherwise a guesser would still learn which guess was right.
 *
 * Kept in memory, per instance: with N instances behind a balancer an address gets up to N × max
 * attempts per window. Bounded: at most `maxAddresses` addresses are tracked (the least recently
 * failing ones are forgotten first).
 */
export class FailedAttempts {
  readonly #limits: FailedAttemptLimits;
  readonly #maxAddresses: number;
  readonly #failures = new Map<string, number[]>();

  constructor(limits: FailedAttemptLimits = DEFAULT_FAILED_ATTEMPT_LIMITS, maxAddresses = 100_000) {
    this.#limits = limits;
    this.#maxAddresses = maxAddresses;
  }

  /** Whether any address has failures on record (when none has, nobody needs checking). */
  get active(): boolean {
    return this.#failures.size > 0;
  }

  /** Seconds until the address may try again; 0 when it may now. */
  retryAfter(address: string, now = Date.now()): number {
    const times = this.#failures.get(address);
    if (!times) return 0;
    const windowMs = this.#limits.windowSeconds * 1000;
    while (times.length > 0 && times[0] <= now - windowMs) times.shift();
    if (times.length === 0) {
      this.#failures.delete(address);
      return 0;
    }
    if (times.length < this.#limits.max) return 0;
    return Math.max(1, Math.ceil((times[0] + windowMs - now) / 1000));
  }

  /** Records a failure by the address. */
  record(address: string, now = Date.now()): void {
    if (this.#limits.max <= 0) return;
    let times = this.#failures.get(address);
    if (times) {
      // Re-inserted so the map's order stays least-recently-failed first.
      this.#failures.delete(address);
    } else {
      times = [];
      if (this.#failures.size >= this.#maxAddresses) this.#forgetOldest(now);
    }
    times.push(now);
    if (times.length > this.#limits.max) times.shift();
    this.#failures.set(address, times);
  }

  #forgetOldest(now: number): void {
    const windowMs = this.#limits.windowSeconds * 1000;
    for (const [address, times] of this.#failures) {
      if (times[times.length - 1] <= now - windowMs) this.#failures.delete(address);
    }
    if (this.#failures.size < this.#maxAddresses) return;
    const first = this.#failures.keys().next();
    if (!first.done) this.#failures.delete(first.value);
  }
}
