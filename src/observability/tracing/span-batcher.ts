import type { FinishedSpan, SpanExporter } from "./span.ts";

export interface SpanBatcherOptions {
  /** Spans waiting beyond this are dropped (and counted): an unreachable collector must not grow memory. */
  maxQueue?: number;
  /** Spans per export. */
  maxBatch?: number;
  /** How long a span may wait before its batch is exported. */
  delayMs?: number;
  report?: (message: string) => void;
}

/**
 * Collects finished spans and hands them to the exporter in batches, off the request path (the
 * OpenTelemetry BatchSpanProcessor's behaviour). One export at a time; a failed export is
 * reported and its spans dropped (traces are diagnostics, not records: the interaction log is).
 */
export class SpanBatcher {
  readonly #exporter: SpanExporter;
  readonly #maxQueue: number;
  readonly #maxBatch: number;
  readonly #delayMs: number;
  readonly #report: (message: string) => void;
  #queue: FinishedSpan[] = [];
  #timer: NodeJS.Timeout | undefined;
  #exporting: Promise<void> | undefined;
  #dropped = 0;
  #failures = 0;
  #closed = false;

  constructor(exporter: SpanExporter, options: SpanBatcherOptions = {}) {
    this.#exporter = exporter;
    this.#maxQueue = options.maxQueue ?? 2048;
    this.#maxBatch = options.maxBatch ?? 512;
    this.#delayMs = options.delayMs ?? 1000;
    this.#report = options.report ?? ((m) => console.error(m));
  }

  /** Spans dropped because the queue was full. */
  get dropped(): number {
    return this.#dropped;
  }

  add(span: FinishedSpan): void {
    if (this.#closed) return;
    if (this.#queue.length >= this.#maxQueue) {
      if (this.#dropped++ % 1000 === 0) this.#report(`portcullis: span queue full; ${this.#dropped} span(s) dropped`);
      return;
    }
    this.#queue.push(span);
    if (this.#queue.length >= this.#maxBatch) void this.#export();
    else this.#timer ??= setTimeout(() => void this.#export(), this.#delayMs).unref();
  }

  /** Exports everything queued; resolves when done. */
  async flush(): Promise<void> {
    while (this.#exporting || this.#queue.length > 0) await (this.#exporting ?? this.#export());
  }

  async close(): Promise<void> {
    this.#closed = true;
    await this.flush();
    clearTimeout(this.#timer);
    await this.#exporter.shutdown?.();
  }

  #export(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#exporting ??= this.#drain().finally(() => {
      this.#exporting = undefined;
      if (this.#queue.length > 0 && !this.#closed) this.#timer ??= setTimeout(() => void this.#export(), this.#delayMs).unref();
    });
    return this.#exporting;
  }

  async #drain(): Promise<void> {
    while (this.#queue.length > 0) {
      const batch = this.#queue.splice(0, this.#maxBatch);
      try {
        await this.#exporter.export(batch);
        if (this.#failures > 0) this.#report(`portcullis: span export works again after ${this.#failures} failure(s)`);
        this.#failures = 0;
      } catch (err) {
        if (this.#failures++ % 100 === 0) this.#report(`portcullis: exporting ${batch.length} span(s) failed: ${(err as Error).message}`);
      }
    }
  }
}
