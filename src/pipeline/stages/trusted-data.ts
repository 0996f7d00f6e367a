import type { IncomingHttpHeaders } from "node:http";
import type { NativePart, ToolResultPart } from "../../canonical/content.ts";
import type { Message } from "../../canonical/request.ts";
import { chooseRule, rulesFor, type CompiledProxyPolicies, type PolicySource } from "../../policies/compile-policies.ts";
import { hostedResultTool } from "../../policies/hosted-tool-results.ts";
import { judgeToolResult, type ResultVerdict } from "../../policies/judge-tool-result.ts";
import { withheldResultNotice } from "../../policies/refusal-text.ts";
import type { RequestContext, TaintBoundary } from "../context.ts";
import type { Stage } from "../stage.ts";

export const UNTRUSTED_HEADER = "x-archestra-context-untrusted";

const NO_TRUST_REASON = "no trusted-data policy trusts this tool's results";

interface ToolName {
  name: string;
  namespace?: string;
}

/**
 * Trusted-data policies, on the request: every tool result of the conversation is judged by its
 * tool's policies. A `block_always` result is replaced by a notice before the request goes
 * upstream (`ctx.requestChanged`, so the body is re-encoded); the first result no policy trusts
 * taints the context (`ctx.taint` records where), which the tool-invocation rewrite reads when
 * the model answers. The `X-Archestra-Context-Untrusted: true` header or the proxy's
 * `contextUntrusted` taint it from the start. Runs before `tool-names`, so policies see the
 * client's own tool names.
 */
export function trustedData(policies: PolicySource): Stage {
  return {
    name: "trusted-data",
    request(ctx) {
      if (ctx.passthrough && !ctx.passthrough.inspected) return;
      const p = policies.policiesFor(ctx.proxyId);
      if (headerSaysUntrusted(ctx.headers)) ctx.taint = { source: "header" };
      else if (p.contextUntrusted) ctx.taint = { source: "proxy" };
      judgeConversation(ctx, p);
    },
  };
}

function headerSaysUntrusted(headers: IncomingHttpHeaders): boolean {
  const v = headers[UNTRUSTED_HEADER];
  return typeof v === "string" && v.trim().toLowerCase() === "true";
}

/** Walks the messages once, in order; copies only the messages whose results it replaces. */
function judgeConversation(ctx: RequestContext, policies: CompiledProxyPolicies): void {
  const messages = ctx.request.messages;
  const calls = new Map<string, ToolName>();
  let replaced: Message[] | undefined;
  for (let i = 0; i < messages.length; i++) {
    // Once tainted, only a result to withhold still matters.
    if (ctx.taint && !policies.blocksResults) break;
    const m = messages[i];
    if (m.role === "system" || m.role === "developer") continue;
    if (m.role === "tool") {
      let content: ToolResultPart[] | undefined;
      m.content.forEach((part, j) => {
        const call = calls.get(part.callId);
        const tool = part.name !== undefined ? { name: part.name, namespace: call?.name === part.name ? call.namespace : undefined } : call;
        const verdict = judgeToolResult(policies, tool, part);
        if (verdict.blocked) {
          (content ??= [...m.content])[j] = withheld(part, tool!.name, verdict);
          record(ctx, verdict, tool!.name, true);
        } else if (!verdict.trusted && !ctx.taint) {
          taint(ctx, verdict, { source: "tool-result", messageIndex: i, tool: tool?.name, toolCallId: part.callId });
        }
      });
      if (content) (replaced ??= [...messages])[i] = { ...m, content };
      continue;
    }
    for (const part of m.content) {
      if (part.type === "tool-call") calls.set(part.id, part.namespace ? { name: part.name, namespace: part.namespace } : { name: part.name });
      else if (part.type === "native" && !ctx.taint) judgeHostedResult(ctx, policies, part, i);
    }
  }
  if (replaced) {
    ctx.request.messages = replaced;
    ctx.requestChanged = true;
  }
}

/**
 * A hosted tool's result (a web search the provider ran) is a tool result too. Its content is
 * the provider's own, so it cannot be withheld here; conditions see its native object.
 */
export function judgeHostedResult(ctx: RequestContext, policies: CompiledProxyPolicies, part: NativePart, messageIndex?: number): void {
  const tool = hostedResultTool(part);
  if (!tool) return;
  const policy = chooseRule(rulesFor(policies.trustedDataRules, tool.name, tool.namespace), () => part.value);
  if (policy?.action === "mark_as_trusted") return;
  const verdict: ResultVerdict = { trusted: false, blocked: false, ...(policy && { policy }) };
  taint(ctx, verdict, { source: "tool-result", ...(messageIndex !== undefined && { messageIndex }), tool: tool.namespace ? `${tool.namespace}__${tool.name}` : tool.name });
}

function taint(ctx: RequestContext, verdict: ResultVerdict, boundary: TaintBoundary): void {
  ctx.taint = boundary;
  record(ctx, verdict, boundary.tool, false);
}

function record(ctx: RequestContext, verdict: ResultVerdict, tool: string | undefined, blocked: boolean): void {
  const p = verdict.policy;
  (ctx.decisions ??= []).push({
    kind: "trusted-data",
    action: p?.action ?? "mark_as_untrusted",
    blocked,
    ...(p && { policyId: p.id }),
    ...(tool !== undefined && { tool }),
    reason: p?.reason ?? (p ? `policy ${p.id}` : NO_TRUST_REASON),
  });
}

/** The result with its content replaced by the notice; its native extras go too (they could hold content). */
function withheld(part: ToolResultPart, tool: string, verdict: ResultVerdict): ToolResultPart {
  const { extras: _extras, content: _content, ...rest } = part;
  return { ...rest, content: withheldResultNotice(tool, verdict.policy!) };
}
