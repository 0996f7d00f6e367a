import type { FinishedSpan, SpanExporter } from "./span.ts";

/** Keeps exported spans in memory (tests, and debugging with a REPL). */
export class InMemorySpanExporter implements SpanExporter {
  readonly spans: FinishedSpan[] = [];

  async export(spans: readonly FinishedSpan[]): Promise<void> {
    this.spans.push(...spans);
  }

  reset(): void {
    this.spans.length = 0;
  }
}
