import type { Metric, Registry } from "prom-client";

/**
 * Counters and histograms whose series are plain objects the caller keeps: an increment is a
 * field update. prom-client's own children re-validate and re-hash their labels on every
 * observation (~0.5 µs each, several per interaction); these are formatted by the same prom-client
 * registry at scrape time, beside its process metrics.
 */

type Labels = Record<string, string>;

export interface CounterSeries {
  value: number;
}

export interface HistogramSeries {
  /** Observations per bucket (not cumulative); the last slot is +Inf. */
  readonly counts: Float64Array;
  sum: number;
  count: number;
}

interface Exported {
  name: string;
  help: string;
  type: "counter" | "histogram";
  aggregator: "sum";
  values: Array<{ labels: Record<string, string | number>; value: number; metricName?: string }>;
}

abstract class FastMetric<S> {
  readonly name: string;
  readonly help: string;
  readonly aggregator = "sum" as const;
  protected readonly labelNames: readonly string[];
  protected readonly series = new Map<string, { labels: Labels; series: S }>();

  constructor(registry: Registry, name: string, help: string, labelNames: readonly string[]) {
    this.name = name;
    this.help = help;
    this.labelNames = labelNames;
    // The registry only calls get() and reset(); it types its members as prom-client's own classes.
    registry.registerMetric(this as unknown as Metric);
  }

  /** The series for these label values (in `labelNames` order), made on first use. Keep it. */
  with(...values: string[]): S {
    const key = values.join("\u0001");
    let entry = this.series.get(key);
    if (!entry) {
      const labels: Labels = {};
      this.labelNames.forEach((n, i) => (labels[n] = values[i] ?? ""));
      entry = { labels, series: this.create() };
      this.series.set(key, entry);
    }
    return entry.series;
  }

  reset(): void {
    this.series.clear();
  }

  protected abstract create(): S;
}

export class FastCounter extends FastMetric<CounterSeries> {
  readonly type = "counter" as const;

  protected create(): CounterSeries {
    return { value: 0 };
  }

  async get(): Promise<Exported> {
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values: [...this.series.values()].map((e) => ({ labels: e.labels, value: e.series.value })) };
  }
}

export class FastHistogram extends FastMetric<HistogramSeries> {
  readonly type = "histogram" as const;
  readonly #buckets: readonly number[];

  constructor(registry: Registry, name: string, help: string, labelNames: readonly string[], buckets: readonly number[]) {
    super(registry, name, help, labelNames);
    this.#buckets = [...buckets].sort((a, b) => a - b);
  }

  protected create(): HistogramSeries {
    return { counts: new Float64Array(this.#buckets.length + 1), sum: 0, count: 0 };
  }

  observe(s: HistogramSeries, value: number): void {
    if (!Number.isFinite(value)) return;
    const b = this.#buckets;
    let i = 0;
    while (i < b.length && value > b[i]) i++;
    s.counts[i]++;
    s.sum += value;
    s.count++;
  }

  async get(): Promise<Exported> {
    const values: Exported["values"] = [];
    for (const { labels, series } of this.series.values()) {
      let cumulative = 0;
      for (let i = 0; i <= this.#buckets.length; i++) {
        cumulative += series.counts[i];
        values.push({ metricName: `${this.name}_bucket`, labels: { le: i < this.#buckets.length ? this.#buckets[i] : "+Inf", ...labels }, value: cumulative });
      }
      values.push({ metricName: `${this.name}_sum`, labels, value: series.sum });
      values.push({ metricName: `${this.name}_count`, labels, value: series.count });
    }
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values };
  }
}
