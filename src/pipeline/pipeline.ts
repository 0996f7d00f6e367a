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
import { trustedData } from "./stages/trusted-data.ts";
import { toolInvocation } from "./stages/tool-invocation.ts";
import type { PolicySource } from "../policies/compile-policies.ts";
import { guardrails } from "./stages/guardrails.ts";
import { guardrailRewrite } from "../guardrails/guardrail-rewrite.ts";
import { guardrailSettingsFrom } from "../guardrails/settings-lookup.ts";
import { enforceLimits } from "./stages/enforce-limits.ts";
import type { LimitService } from "../limits/limit-service.ts";
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
export function buildPipeline(services: PipelineServices & { interactions: InteractionSink; observability?: Observability; rewrites?: readonly ResponseRewrite[]; limits?: LimitService; policies?: PolicySource }): Pipeline {
  const callerStages = [authenticate(services.catalog, services.authenticator), identifyCaller()];
  const policies = services.policies;
  const invocation = policies && toolInvocation(policies);
  const stages: Stage[] = [
    ...callerStages,
    decodeRequest(),
    resolveTarget(services.catalog, services.providers),
    // Before tool names: policies name the client's own tools.
    ...(policies && invocation ? [trustedData(policies), invocation.stage] : []),
    toolNames(),
    // After tool names: the guardrails read text, and see the conversation as it goes upstream.
    guardrails(guardrailSettingsFrom(policies)),
    // Limits last before forward: a request a policy refuses or changes reserves nothing for it.
    ...(services.limits ? [enforceLimits(services.limits)] : []),
    forward(services.transport),
    streamUsageVisibility(),
    // Guardrails first: restored arguments are what a tool-invocation policy must judge.
    responseModifier([guardrailRewrite(), ...(invocation ? [invocation.rewrite] : []), ...(services.rewrites ?? [])]),
    record(services.interactions, services.observability),
  ];
  return { stages, callerStages };
}
