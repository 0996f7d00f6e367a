/**
 * The security policies of one LLM proxy, as the request path reads them (from memory, never the
 * database). Shared by the policy stages (trusted data, tool invocation) and the guardrails.
 */

export type ConditionOperator = "equal" | "notEqual" | "contains" | "notContains" | "startsWith" | "endsWith" | "regex";

export interface Condition {
  /** JSON path into the parsed arguments or result: `a.b[0].c`, `to[*]` (every element must match). */
  path: string;
  op: ConditionOperator;
  value: string;
}

export type TrustedDataAction = "mark_as_trusted" | "mark_as_untrusted" | "block_always";
export type ToolInvocationAction = "allow_when_context_is_untrusted" | "block_when_context_is_untrusted" | "block_always";

export interface TrustedDataPolicy {
  id: string;
  tool: string;
  when?: Condition[];
  action: TrustedDataAction;
  reason?: string;
}

export interface ToolInvocationPolicy {
  id: string;
  tool: string;
  when?: Condition[];
  action: ToolInvocationAction;
  reason?: string;
}

export type GuardrailAction = "block" | "redact" | "log" | "off";

export interface GuardrailSettings {
  secrets: GuardrailAction;
  pii: GuardrailAction;
  /** Put redacted values back where the model's answer repeats their placeholders. */
  restore: boolean;
}

export interface ProxyPolicies {
  proxyId: string;
  /** The proxy treats every conversation as untrusted from the start. */
  contextUntrusted: boolean;
  trustedData: TrustedDataPolicy[];
  toolInvocation: ToolInvocationPolicy[];
  guardrails: GuardrailSettings;
}

export const DEFAULT_GUARDRAILS: GuardrailSettings = { secrets: "off", pii: "off", restore: false };

export const CONDITION_OPERATORS = ["equal", "notEqual", "contains", "notContains", "startsWith", "endsWith", "regex"] as const satisfies readonly ConditionOperator[];
export const TRUSTED_DATA_ACTIONS = ["mark_as_trusted", "mark_as_untrusted", "block_always"] as const satisfies readonly TrustedDataAction[];
export const TOOL_INVOCATION_ACTIONS = ["allow_when_context_is_untrusted", "block_when_context_is_untrusted", "block_always"] as const satisfies readonly ToolInvocationAction[];
export const GUARDRAIL_ACTIONS = ["block", "redact", "log", "off"] as const satisfies readonly GuardrailAction[];

/** The two policy lists of a proxy, by the names the config file and the admin API use. */
export type PolicyKind = "trustedData" | "toolInvocation";

/** A stored policy: one rule of one proxy, with its place among that proxy's rules of its kind. */
export type PolicyDefinition = ({ kind: "trustedData" } & TrustedDataPolicy) | ({ kind: "toolInvocation" } & ToolInvocationPolicy);

export type PolicyRecord = PolicyDefinition & {
  proxyId: string;
  /** Rules are tried in this order (the first matching conditional rule wins). */
  position: number;
  /** Made by the config file (re-applied at every start) or through the admin API. */
  source: "config" | "api";
  createdAt: string;
  updatedAt: string;
};

/** A proxy's settings besides its rules. */
export interface PolicySettings {
  contextUntrusted: boolean;
  guardrails: GuardrailSettings;
}

export const DEFAULT_POLICY_SETTINGS: PolicySettings = { contextUntrusted: false, guardrails: DEFAULT_GUARDRAILS };
