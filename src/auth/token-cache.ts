/**
 * Verified tokens, so a token's signature is checked once rather than on every request. Keyed by
 * the token's sha256 (the tokens themselves are not kept), bounded in size (oldest entries go
 * first), each entry kept until the token expires or `maxAgeMs`, whichever comes first. The owner
 * clears it whenever the keys or issuers it was verified against may have changed.
 */
export class TokenCache<V> {
  readonly #entries = new Map<string, { value: V; until: number }>();
  readonly #maxEntries: number;
  readonly #maxAgeMs: number;

  constructor(maxEntries = 10_000, maxAgeMs = 5 * 60_000) {
    this.#maxEntries = maxEntries;
    this.#maxAgeMs = maxAgeMs;
  }

  get size(): number {
    return this.#entries.size;
  }

  get(digest: string, now = Date.now()): V | undefined {
    const entry = this.#entries.get(digest);
    if (!entry) return undefined;
    if (entry.until <= now) {
      this.#entries.delete(digest);
      return undefined;
    }
    return entry.value;
  }

  /** Keeps a verified token's result until `expiresAtMs` (its `exp`) at the latest. */
  set(digest: string, value: V, expiresAtMs: number, now = Date.now()): void {
    const until = Math.min(expiresAtMs, now + this.#maxAgeMs);
    if (until <= now) return;
    this.#entries.delete(digest);
    if (this.#entries.size >= this.#maxEntries) this.#evict(now);
    this.#entries.set(digest, { value, until });
  }

  clear(): void {
    this.#entries.clear();
  }

  /** Drops expired entries; when none were, the oldest tenth (Map order is insertion order). */
  #evict(now: number): void {
    for (const [k, e] of this.#entries) if (e.until <= now) this.#entries.delete(k);
    if (this.#entries.size < this.#maxEntries) return;
    let drop = Math.ceil(this.#maxEntries / 10);
    for (const k of this.#entries.keys()) {
      this.#entries.delete(k);
      if (--drop === 0) break;
    }
  }
}
