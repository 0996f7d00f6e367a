import { DEFAULT_GUARDRAILS, type GuardrailSettings, type ProxyPolicies } from "../policies/types.ts";

/** Where the proxy's policies live in memory (the catalog). */
export interface GuardrailSettingsSource {
  policiesFor(proxyId: string): Pick<ProxyPolicies, "guardrails"> | undefined;
}

/** A proxy's guardrail settings, read from memory at request time; off without a policy source. */
export function guardrailSettingsFrom(source: GuardrailSettingsSource | undefined): (proxyId: string) => GuardrailSettings {
  if (!source) return () => DEFAULT_GUARDRAILS;
  return (proxyId) => source.policiesFor(proxyId)?.guardrails ?? DEFAULT_GUARDRAILS;
}
