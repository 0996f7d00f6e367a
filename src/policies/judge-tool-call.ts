import type { ToolCallPart } from "../canonical/content.ts";
import { chooseRule, rulesFor, type CompiledProxyPolicies, type ToolRules } from "./compile-policies.ts";
import { toolCallValue } from "./policy-values.ts";
import type { ToolInvocationPolicy } from "./types.ts";

export interface CallVerdict {
  blocked: boolean;
  /** The deciding policy's action, or what applied without one (`block_undeclared_tool`, `block_unparsable_arguments`, `block_when_context_is_untrusted`, `allow`). */
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
export const UNPARSABLE_REASON = "its arguments are not valid JSON, so the conditions of the policies that could block it cannot be checked";

/**
 * Whether a tool call the model made may reach the client. A tool the request did not declare
 * is blocked; otherwise the rule chosen as for results decides — `block_always` blocks,
 * `allow_when_context_is_untrusted` allows, `block_when_context_is_untrusted` (and a tool no rule
 * names) blocks only when the conversation is tainted.
 *
 * Arguments that are not JSON match no condition. Agents with lenient parsers (trailing commas,
 * single quotes) would still act on them, so a model steered into malformed arguments must not
 * slip past a conditional rule that would block it: such a call is blocked whenever a conditional
 * rule on the tool could block it here.
 */
export function judgeToolCall(policies: CompiledProxyPolicies, call: ToolCallPart, context: CallContext): CallVerdict {
  if (!context.declared) return { blocked: true, action: "block_undeclared_tool", reason: UNDECLARED_REASON };
  const rules = rulesFor(policies.toolInvocationRules, call.name, call.namespace);
  let value: unknown;
  if (rules?.needsValue) {
    value = toolCallValue(call);
    if (value === undefined && conditionalRuleCouldBlock(rules, context.tainted)) return { blocked: true, action: "block_unparsable_arguments", reason: UNPARSABLE_REASON };
  }
  const policy = chooseRule(rules, () => value);
  if (!policy) return context.tainted ? { blocked: true, action: "block_when_context_is_untrusted", reason: UNTRUSTED_REASON } : { blocked: false, action: "allow", reason: "no policy applies" };
  const blocked = policy.action === "block_always" || (policy.action === "block_when_context_is_untrusted" && context.tainted);
  return { blocked, action: policy.action, policy, reason: policy.reason ?? defaultReason(policy, blocked) };
}

function conditionalRuleCouldBlock(rules: ToolRules<ToolInvocationPolicy>, tainted: boolean): boolean {
  if (rules.blockAlways.some((r) => r.test)) return true;
  return tainted && rules.conditional.some((r) => r.policy.action === "block_when_context_is_untrusted");
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
