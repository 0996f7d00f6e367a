import type { AssistantPart, ToolCallPart } from "../../canonical/content.ts";
import type { ToolDefinition } from "../../canonical/request.ts";
import { rulesFor, type PolicySource } from "../../policies/compile-policies.ts";
import { couldBlockCall, judgeToolCall, type CallContext } from "../../policies/judge-tool-call.ts";
import { refusalText } from "../../policies/refusal-text.ts";
import type { RequestContext } from "../context.ts";
import type { ResponseRewrite } from "../response-modifier.ts";
import type { Stage } from "../stage.ts";
import { judgeHostedResult } from "./trusted-data.ts";

export interface ToolInvocationPolicies {
  /** Request side: notes the tools the client declared (before `tool-names` renames them). */
  stage: Stage;
  /** Response side: a blocked call becomes an assistant refusal (through the response modifier). */
  rewrite: ResponseRewrite;
}

const key = (t: { name: string; namespace?: string }) => (t.namespace ? `${t.namespace}__${t.name}` : t.name);

function declaredTools(tools: readonly ToolDefinition[] | undefined): ReadonlySet<string> {
  const names = new Set<string>();
  for (const t of tools ?? []) if (t.kind !== "hosted") names.add(key(t));
  return names;
}

/**
 * Tool-invocation policies, on the model's answer. Each tool call is judged when it is complete
 * (`judgeToolCall`): a tool the request did not declare is blocked; otherwise the tool's rules and
 * the taint the trusted-data stage found decide. A blocked call is removed and replaced by an
 * assistant text naming the tool, its arguments and the reason; the modifier then fixes the
 * finish reason. In streams only calls that could be blocked (known from the tool's name at
 * the call's start) are held; everything else flows as it comes. A hosted tool's result inside
 * the answer (a web search the provider ran) taints the calls after it.
 */
export function toolInvocation(policies: PolicySource): ToolInvocationPolicies {
  const declared = new WeakMap<RequestContext, ReadonlySet<string>>();

  const callContext = (ctx: RequestContext, call: ToolCallPart, names: ReadonlySet<string>): CallContext => ({
    tainted: ctx.taint !== undefined,
    declared: names.has(key(call)),
  });
  const couldBlock = (ctx: RequestContext, call: ToolCallPart, names: ReadonlySet<string>) =>
    couldBlockCall(rulesFor(policies.policiesFor(ctx.proxyId).toolInvocationRules, call.name, call.namespace), callContext(ctx, call, names));

  return {
    stage: {
      name: "tool-invocation",
      request(ctx) {
        if (ctx.passthrough && !ctx.passthrough.inspected) return;
        declared.set(ctx, declaredTools(ctx.request.tools));
      },
    },
    rewrite: {
      name: "tool-invocation",
      holds(ctx, part) {
        const names = declared.get(ctx);
        if (!names) return false;
        if (part.type === "native") {
          if (!ctx.taint) judgeHostedResult(ctx, policies.policiesFor(ctx.proxyId), part);
          return false;
        }
        return part.type === "tool-call" && couldBlock(ctx, part, names);
      },
      rewritePart(ctx, part): AssistantPart[] | undefined {
        const names = declared.get(ctx);
        if (!names) return undefined;
        if (part.type === "native") {
          if (!ctx.taint) judgeHostedResult(ctx, policies.policiesFor(ctx.proxyId), part);
          return undefined;
        }
        // Calls that could not be blocked are neither judged nor recorded: a stream lets them pass unseen.
        if (part.type !== "tool-call" || !couldBlock(ctx, part, names)) return undefined;
        const verdict = judgeToolCall(policies.policiesFor(ctx.proxyId), part, callContext(ctx, part, names));
        (ctx.decisions ??= []).push({
          kind: "tool-invocation",
          action: verdict.action,
          blocked: verdict.blocked,
          ...(verdict.policy && { policyId: verdict.policy.id }),
          tool: key(part),
          reason: verdict.reason,
        });
        return verdict.blocked ? [{ type: "text", text: refusalText(part, verdict) }] : undefined;
      },
    },
  };
}
