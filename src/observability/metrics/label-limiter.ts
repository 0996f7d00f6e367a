/** What a folded value is reported as. */
export const OTHER = "other";

/**
 * Bounds the distinct values one metric label takes: the first `max` values seen are reported as
 * themselves, later ones as `other` (each fold is counted, so an operator sees it happening).
 * First come, first kept: a Prometheus series, once exported, should not change its meaning.
 */
export class LabelLimiter {
  readonly #admitted = new Set<string>();
  readonly #max: number;
  readonly #onFold: () => void;

  constructor(max: number, onFold: () => void) {
    this.#max = max;
    this.#onFold = onFold;
  }

  /** The label value to report; an absent value is the empty string. */
  label(value: string | undefined): string {
    if (!value) return "";
    if (this.#admitted.has(value)) return value;
    if (this.#admitted.size < this.#max) {
      this.#admitted.add(value);
      return value;
    }
    this.#onFold();
    return OTHER;
  }

  get size(): number {
    return this.#admitted.size;
  }
}
