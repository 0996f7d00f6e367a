/**
 * Recognises execution ids seen recently, in bounded memory, so `agent_executions_total` counts
 * each execution once although every LLM call of the execution carries its id. Two generations
 * of sets: an id is known if either holds it; the older generation is dropped when the current
 * one is `windowMs` old or holds `maxPerGeneration` ids. An execution is therefore counted once
 * as long as its calls are less than one window apart (an hour by default), and memory holds at
 * most twice `maxPerGeneration` ids whatever the flood. (A probabilistic sketch would bound
 * memory too, but could not answer "seen before?" exactly for the ids that matter.)
 */
export class ExecutionTracker {
  #current = new Set<string>();
  #previous = new Set<string>();
  #since: number;
  readonly #windowMs: number;
  readonly #maxPerGeneration: number;
  readonly #now: () => number;

  constructor(options: { windowMs?: number; maxPerGeneration?: number; now?: () => number } = {}) {
    this.#windowMs = options.windowMs ?? 60 * 60 * 1000;
    this.#maxPerGeneration = options.maxPerGeneration ?? 100_000;
    this.#now = options.now ?? Date.now;
    this.#since = this.#now();
  }

  /** True the first time an id is seen (within the window). */
  firstSeen(id: string): boolean {
    if (this.#now() - this.#since >= this.#windowMs || this.#current.size >= this.#maxPerGeneration) this.#rotate();
    if (this.#current.has(id)) return false;
    if (this.#previous.has(id)) {
      // Still alive: carry it forward so it survives the next rotation too.
      this.#current.add(id);
      return false;
    }
    this.#current.add(id);
    return true;
  }

  /** Ids held (both generations), for tests and the memory bound. */
  get size(): number {
    return this.#current.size + this.#previous.size;
  }

  #rotate(): void {
    this.#previous = this.#current;
    this.#current = new Set();
    this.#since = this.#now();
  }
}
