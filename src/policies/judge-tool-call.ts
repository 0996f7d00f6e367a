import type { ToolCallPart } from "../canonical/content.ts";
import { chooseRule, rulesFor, type CompiledProxyPolicies, type ToolRules } from "./compile-policies.ts";
import { toolCallValue } from "./policy-values.ts";
import type { ToolInvocationPolicy } from "./types.ts";

export interface CallVerdict {
  blocked: boolean;
  /** The deciding policy's action, or what applied without one (`block_undeclared_tool`, `block_when_context_is_untrusted`, `allow`). */
  action: string;
  policy?: ToolInvocationPolicy;
  /** Why, in words the refusal and the log show. */
  reason: string;
}

export interface CallContext {
  /** Some content of the conversation is untrusted. */
  tainted: boolean;
  /** The request declared this tool. */
  declared: boolean;
}

export const UNDECLARED_REASON = "the request did not declare this tool";
export const UNTRUSTED_REASON = "the conversation contains untrusted content and no policy allows this tool then";

/**
 * Whether a tool call the model made may reach the client. A tool the request did not declare
 * is blocked; otherwise the rule chosen as for results decides — `block_always` blocks,
 * `allow_when_context_is_untrusted` allows, `block_when_context_is_untrusted` (and a tool no rule
 * names) blocks only when the conversation is tainted.
 */
export function judgeToolCall(policies: CompiledProxyPolicies, call: ToolCallPart, context: CallContext): CallVerdict {
  if (!context.declared) return { blocked: true, action: "block_undeclared_tool", reason: UNDECLARED_REASON };
  const policy = chooseRule(rulesFor(policies.toolInvocationRules, call.name, call.namespace), () => toolCallValue(call));
  if (!policy) return context.tainted ? { blocked: true, action: "block_when_context_is_untrusted", reason: UNTRUSTED_REASON } : { blocked: false, action: "allow", reason: "no policy applies" };
  const blocked = policy.action === "block_always" || (policy.action === "block_when_context_is_untrusted" && context.tainted);
  return { blocked, action: policy.action, policy, reason: policy.reason ?? defaultReason(policy, blocked) };
}

function defaultReason(policy: ToolInvocationPolicy, blocked: boolean): string {
  if (policy.action === "block_always") return `policy ${policy.id} never allows this tool`;
  if (policy.action === "block_when_context_is_untrusted") return blocked ? `policy ${policy.id} blocks this tool when the conversation contains untrusted content` : `policy ${policy.id} allows this tool in a trusted conversation`;
  return `policy ${policy.id} allows this tool even when the conversation contains untrusted content`;
}

/**
 * Whether a call of this tool could be blocked, judged from its name alone (at the start of a
 * streamed call, before its arguments): the modifier holds only such calls; others stream on.
 */
export function couldBlockCall(rules: ToolRules<ToolInvocationPolicy> | undefined, context: CallContext): boolean {
  if (!context.declared) return true;
  if (!rules) return context.tainted;
  if (rules.blockAlways.length > 0) return true;
  if (!context.tainted) return false;
  const allows = (p: ToolInvocationPolicy) => p.action === "allow_when_context_is_untrusted";
  return !(rules.unconditional && allows(rules.unconditional.policy) && rules.conditional.every((r) => allows(r.policy)));
}
