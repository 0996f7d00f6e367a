import { CostCalculator } from "./cost/cost-calculator.ts";
import { LlmMetrics } from "./metrics/llm-metrics.ts";
import type { ObservabilitySettings } from "./settings.ts";
import type { SpanExporter } from "./tracing/span.ts";
import { Tracer } from "./tracing/tracer.ts";
import { tracingFromEnv } from "./tracing/tracing-env.ts";

/** The long-lived observability services the record stage feeds and the routes expose. */
export interface Observability {
  settings: ObservabilitySettings;
  costs: CostCalculator;
  metrics: LlmMetrics;
  /** Absent when tracing is off: nothing is built per request then. */
  tracer?: Tracer;
  /** Where spans go, for the start-up line. */
  tracing?: string;
  /** Exports the spans still queued. */
  close(): Promise<void>;
}

export interface ObservabilityOptions {
  /** Overrides the OTLP exporter the environment configures (tests capture spans in memory). */
  spanExporter?: SpanExporter;
  processMetrics?: boolean;
  report?: (message: string) => void;
}

export function createObservability(settings: ObservabilitySettings, env: NodeJS.ProcessEnv, options: ObservabilityOptions = {}): Observability {
  const report = options.report ?? ((m: string) => console.error(m));
  let tracer: Tracer | undefined;
  let tracing: string | undefined;
  if (!settings.enabled) {
    // Measuring the cost of observability: no tracer either.
  } else if (options.spanExporter) {
    tracer = new Tracer({ exporter: options.spanExporter, batcher: { report } });
    tracing = "a custom span exporter";
  } else {
    const setup = tracingFromEnv(env, report);
    if (setup) {
      tracer = new Tracer(setup);
      tracing = setup.description;
    }
  }
  return {
    settings,
    costs: new CostCalculator(settings.prices),
    metrics: new LlmMetrics({ maxAgentIds: settings.maxAgentIds, maxModels: settings.maxModels, processMetrics: options.processMetrics }),
    tracer,
    tracing,
    close: async () => {
      await tracer?.close();
    },
  };
}
