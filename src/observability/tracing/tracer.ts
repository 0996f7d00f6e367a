import { interactionSpan, type SpanInput } from "./interaction-span.ts";
import type { Sampler } from "./sampler.ts";
import { SpanBatcher, type SpanBatcherOptions } from "./span-batcher.ts";
import type { SpanExporter } from "./span.ts";
import { newSpanId, newTraceId, type ParentContext } from "./trace-context.ts";

export interface TracerOptions {
  exporter: SpanExporter;
  sampler?: Sampler;
  batcher?: SpanBatcherOptions;
}

/**
 * Records one span per interaction when it ends, continuing the caller's W3C trace. Exists only
 * when tracing is configured: with tracing off the record stage holds no tracer and does nothing.
 */
export class Tracer {
  readonly #batcher: SpanBatcher;
  readonly #sampler: Sampler;

  constructor(options: TracerOptions) {
    this.#batcher = new SpanBatcher(options.exporter, options.batcher);
    this.#sampler = options.sampler ?? ((_traceId, parent) => parent?.sampled ?? true);
  }

  /** Builds and queues the span if the trace is sampled; `build` supplies the rest of the span. */
  record(parent: ParentContext | undefined, build: (ids: { traceId: string; spanId: string; parent: ParentContext | undefined }) => SpanInput): void {
    const traceId = parent?.traceId ?? newTraceId();
    if (!this.#sampler(traceId, parent)) return;
    this.#batcher.add(interactionSpan(build({ traceId, spanId: newSpanId(), parent })));
  }

  flush(): Promise<void> {
    return this.#batcher.flush();
  }

  close(): Promise<void> {
    return this.#batcher.close();
  }
}
