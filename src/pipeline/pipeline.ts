import type { Observability } from "../observability/observability.ts";
import type { Stage, PipelineServices } from "./stage.ts";
import { authenticate } from "./stages/authenticate.ts";
import { decodeRequest } from "./stages/decode-request.ts";
import { forward } from "./stages/forward.ts";
import { identifyCaller } from "./stages/identify-caller.ts";
import { record, type InteractionSink } from "./stages/record.ts";
import { resolveTarget } from "./stages/resolve-target.ts";
import { streamUsageVisibility } from "./stages/stream-usage-visibility.ts";
import { toolNames } from "./stages/tool-names.ts";
import { responseModifier, type ResponseRewrite } from "./response-modifier.ts";

export interface Pipeline {
  /** Every stage, in order: the router and the passthrough routes run exactly these. */
  stages: readonly Stage[];
  /** The stages that establish who calls (for endpoints without a model call, e.g. GET /models). */
  callerStages: readonly Stage[];
}

/**
 * The ordered stages. Request hooks run top to bottom up to `forward`; response and stream hooks
 * of the stages after it see the answer; `record` completes every interaction.
 */
export function buildPipeline(services: PipelineServices & { interactions: InteractionSink; observability?: Observability; rewrites?: readonly ResponseRewrite[] }): Pipeline {
  const callerStages = [authenticate(services.catalog, services.authenticator), identifyCaller()];
  const stages: Stage[] = [
    ...callerStages,
    decodeRequest(),
    resolveTarget(services.catalog, services.providers),
    toolNames(),
    // Policy stages (trusted data, tool invocation, guardrails) and limit stages go here.
    forward(services.transport),
    streamUsageVisibility(),
    // Rewrites of the answer (refusals for blocked tool calls, redactions) plug in here.
    responseModifier(services.rewrites ?? []),
    record(services.interactions, services.observability),
  ];
  return { stages, callerStages };
}
