import type { ToolResultPart } from "../canonical/content.ts";
import { chooseRule, rulesFor, type CompiledProxyPolicies } from "./compile-policies.ts";
import { toolResultValue } from "./policy-values.ts";
import type { TrustedDataPolicy } from "./types.ts";

export interface ResultVerdict {
  /** The result may be read without tainting the conversation. */
  trusted: boolean;
  /** `block_always`: the result is replaced by a notice before the model sees it. */
  blocked: boolean;
  /** The policy that decided; none when no rule applies (the result is untrusted). */
  policy?: TrustedDataPolicy;
}

const UNTRUSTED: ResultVerdict = { trusted: false, blocked: false };

/** How the trusted-data policies treat one tool result (of a tool of unknown name: untrusted). */
export function judgeToolResult(policies: CompiledProxyPolicies, tool: { name: string; namespace?: string } | undefined, part: ToolResultPart): ResultVerdict {
  if (!tool) return UNTRUSTED;
  const policy = chooseRule(rulesFor(policies.trustedDataRules, tool.name, tool.namespace), () => toolResultValue(part));
  if (!policy) return UNTRUSTED;
  return { trusted: policy.action === "mark_as_trusted", blocked: policy.action === "block_always", policy };
}
