import type { ParentContext } from "./trace-context.ts";

/** Decides whether an interaction's span is recorded, from the OpenTelemetry `OTEL_TRACES_SAMPLER` settings. */
export type Sampler = (traceId: string, parent: ParentContext | undefined) => boolean;

const SAMPLERS = ["always_on", "always_off", "traceidratio", "parentbased_always_on", "parentbased_always_off", "parentbased_traceidratio"] as const;

/**
 * The standard samplers (default `parentbased_always_on`: a caller that sampled its trace gets our
 * span, one that did not does not, a request without a parent is always traced). The ratio
 * sampler decides on the trace id's low 56 bits, so every service sampling by ratio agrees.
 */
export function createSampler(name: string | undefined, arg: string | undefined): Sampler {
  const kind = (name || "parentbased_always_on").trim().toLowerCase();
  if (!(SAMPLERS as readonly string[]).includes(kind)) {
    throw new Error(`OTEL_TRACES_SAMPLER: unsupported sampler '${name}' (supported: ${SAMPLERS.join(", ")})`);
  }
  const ratio = arg === undefined || arg === "" ? 1 : Number(arg);
  if (kind.endsWith("traceidratio") && !(ratio >= 0 && ratio <= 1)) throw new Error(`OTEL_TRACES_SAMPLER_ARG: expected a ratio from 0 to 1, got '${arg}'`);
  const root: Sampler =
    kind.endsWith("always_off") ? () => false : kind.endsWith("traceidratio") ? (traceId) => parseInt(traceId.slice(18), 16) < ratio * 2 ** 56 : () => true;
  if (!kind.startsWith("parentbased_")) return root;
  return (traceId, parent) => (parent ? parent.sampled : root(traceId, undefined));
}
