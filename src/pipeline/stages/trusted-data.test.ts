import { test } from "node:test";
import assert from "node:assert/strict";
import type { AssistantPart, NativePart } from "../../canonical/content.ts";
import type { CanonicalRequest, Message } from "../../canonical/request.ts";
import { compileProxyPolicies } from "../../policies/compile-policies.ts";
import { DEFAULT_GUARDRAILS, type ToolInvocationPolicy, type TrustedDataPolicy } from "../../policies/types.ts";
import type { RequestContext } from "../context.ts";
import { responseModifier } from "../response-modifier.ts";
import { toolInvocation } from "./tool-invocation.ts";
import { trustedData } from "./trusted-data.ts";

function setup(trusted: TrustedDataPolicy[], invocation: ToolInvocationPolicy[] = [], contextUntrusted = false) {
  const p = compileProxyPolicies({ proxyId: "p", contextUntrusted, trustedData: trusted, toolInvocation: invocation, guardrails: DEFAULT_GUARDRAILS });
  const source = { policiesFor: () => p };
  const ti = toolInvocation(source);
  return { td: trustedData(source), ti, modifier: responseModifier([ti.rewrite]) };
}

const ctxOf = (request: Partial<CanonicalRequest>, headers: Record<string, string> = {}, passthrough?: { inspected: boolean }) =>
  ({ proxyId: "p", headers, request: { model: "m", stream: false, messages: [], ...request }, requestChanged: false, ...(passthrough && { passthrough }) }) as unknown as RequestContext;

const call = (id: string, name: string, args = "{}", namespace?: string): AssistantPart => ({ type: "tool-call", id, name, arguments: args, kind: "function", ...(namespace && { namespace }) });
const turn = (id: string, name: string, result: string, namespace?: string): Message[] => [
  { role: "assistant", content: [call(id, name, "{}", namespace)] },
  { role: "tool", content: [{ type: "tool-result", callId: id, content: result }] },
];

test("results are judged by the tool their call named; the first untrusted one is the taint boundary", () => {
  const { td } = setup([{ id: "t", tool: "read", action: "mark_as_trusted" }]);
  const ctx = ctxOf({ messages: [{ role: "user", content: [{ type: "text", text: "hi" }] }, ...turn("a", "read", "ok"), ...turn("b", "web", "page"), ...turn("c", "web", "more")] });
  td.request!(ctx);
  assert.deepEqual(ctx.taint, { source: "tool-result", messageIndex: 4, tool: "web", toolCallId: "b" });
  assert.equal(ctx.decisions?.length, 1, "one decision: the boundary");
  assert.equal(ctx.requestChanged, false);
});

test("a result whose call is nowhere in the conversation is untrusted", () => {
  const { td } = setup([{ id: "t", tool: "*", action: "mark_as_trusted" }]);
  const ctx = ctxOf({ messages: [{ role: "tool", content: [{ type: "tool-result", callId: "ghost", content: "x" }] }] });
  td.request!(ctx);
  assert.equal(ctx.taint?.toolCallId, "ghost");
  assert.equal(ctx.taint?.tool, undefined);
});

test("block_always replaces the content (and drops the native extras that could carry it); later results are still judged", () => {
  const { td } = setup([
    { id: "web", tool: "web", action: "mark_as_untrusted" },
    { id: "env", tool: "file", when: [{ path: "path", op: "endsWith", value: ".env" }], action: "block_always", reason: "no" },
  ]);
  const messages: Message[] = [...turn("a", "web", "page"), ...turn("b", "file", '{"path":"/x/.env","content":"SECRET=1"}')];
  (messages[3] as { content: Array<{ extras?: object }> }).content[0].extras = { anthropic: { content: "SECRET=1" } };
  const ctx = ctxOf({ messages });
  td.request!(ctx);
  assert.equal(ctx.requestChanged, true);
  const replaced = ctx.request.messages[3].content[0] as { content: string; extras?: object; callId: string };
  assert.equal(replaced.content, '[Portcullis withheld the result of the tool "file": no (policy env).]');
  assert.equal(replaced.extras, undefined);
  assert.equal(replaced.callId, "b");
  assert.notEqual(ctx.request.messages, messages, "the client's conversation is not changed in place");
  assert.equal((messages[3].content[0] as { content: string }).content, '{"path":"/x/.env","content":"SECRET=1"}');
  assert.deepEqual(
    ctx.decisions?.map((d) => [d.kind, d.action, d.blocked, d.policyId]),
    [
      ["trusted-data", "mark_as_untrusted", false, "web"],
      ["trusted-data", "block_always", true, "env"],
    ],
  );
});

test("a namespace tool's result is judged by its qualified name", () => {
  const { td } = setup([{ id: "gh", tool: "mcp__github__get_issue", action: "mark_as_trusted" }]);
  const ctx = ctxOf({ messages: turn("a", "get_issue", "{}", "mcp__github") });
  td.request!(ctx);
  assert.equal(ctx.taint, undefined);
});

test("the header and the proxy setting taint from the start; the header wins the record", () => {
  const trusting = setup([{ id: "all", tool: "*", action: "mark_as_trusted" }]);
  const viaHeader = ctxOf({}, { "x-archestra-context-untrusted": " TRUE " });
  trusting.td.request!(viaHeader);
  assert.deepEqual(viaHeader.taint, { source: "header" });
  const notTrue = ctxOf({}, { "x-archestra-context-untrusted": "yes" });
  trusting.td.request!(notTrue);
  assert.equal(notTrue.taint, undefined);
  const strict = setup([], [], true);
  const viaProxy = ctxOf({ messages: turn("a", "web", "x") });
  strict.td.request!(viaProxy);
  assert.deepEqual(viaProxy.taint, { source: "proxy" });
});

test("hosted tools' results taint unless a rule on the hosted tool trusts them", () => {
  const search: NativePart = { type: "native", format: "anthropic", value: { type: "web_search_tool_result", tool_use_id: "s1", content: [] } };
  const thinking: NativePart = { type: "native", format: "anthropic", value: { type: "server_tool_use", id: "s1", name: "web_search" } };
  const untrusting = setup([]);
  const ctx = ctxOf({ messages: [{ role: "assistant", content: [thinking, search] }] });
  untrusting.td.request!(ctx);
  assert.deepEqual(ctx.taint, { source: "tool-result", messageIndex: 0, tool: "web_search" });
  const trusting = setup([{ id: "ws", tool: "web_search", action: "mark_as_trusted" }]);
  const ctx2 = ctxOf({ messages: [{ role: "assistant", content: [search] }] });
  trusting.td.request!(ctx2);
  assert.equal(ctx2.taint, undefined);
  const mcp: NativePart = { type: "native", format: "openai-responses", value: { type: "mcp_call", server_label: "crm", name: "lookup", output: "..." } };
  const ctx3 = ctxOf({ messages: [{ role: "assistant", content: [mcp] }] });
  setup([{ id: "crm", tool: "mcp__crm__lookup", action: "mark_as_untrusted" }]).td.request!(ctx3);
  assert.equal(ctx3.taint?.tool, "mcp__crm__lookup");
  assert.equal(ctx3.decisions?.[0].policyId, "crm");
});

test("the model's answer: a hosted search inside it taints the calls after it, not the ones before", () => {
  const { td, ti, modifier } = setup([], [{ id: "mail", tool: "send_email", action: "block_when_context_is_untrusted" }]);
  const ctx = ctxOf({ tools: [{ kind: "function", name: "send_email" }] });
  td.request!(ctx);
  ti.stage.request!(ctx);
  const search: NativePart = { type: "native", format: "anthropic", value: { type: "web_search_tool_result", tool_use_id: "s1", content: [] } };
  const out = modifier.response!(ctx, { id: "r", model: "m", content: [call("c1", "send_email"), search, call("c2", "send_email")], finish: { reason: "tool_calls", native: "tool_use" } });
  assert.deepEqual(out.content.map((p) => p.type), ["tool-call", "native", "text"]);
  assert.equal(ctx.taint?.tool, "web_search");
  assert.deepEqual(out.finish, { reason: "tool_calls", native: "tool_use" }, "a call remains");
});

test("nothing is judged on passthrough endpoints the proxy does not inspect", () => {
  const { td, ti } = setup([]);
  const ctx = ctxOf({ messages: turn("a", "web", "x") }, {}, { inspected: false });
  td.request!(ctx);
  ti.stage.request!(ctx);
  assert.equal(ctx.taint, undefined);
  assert.equal(ti.rewrite.holds!(ctx, call("c", "undeclared")), false);
});

test("the finish after every call was blocked: the upstream format's own word for a finished turn", () => {
  const { td, ti, modifier } = setup([]);
  for (const [format, native] of [["anthropic", "end_turn"], ["gemini", "STOP"], ["bedrock", "end_turn"], ["openai-chat", "stop"]] as const) {
    const ctx = ctxOf({});
    (ctx as { target?: object }).target = { format };
    td.request!(ctx);
    ti.stage.request!(ctx);
    const out = modifier.response!(ctx, { id: "r", model: "m", content: [call("c1", "undeclared")], finish: { reason: "tool_calls", native: "whatever" } });
    assert.deepEqual(out.finish, { reason: "stop", native });
    const noNative = modifier.response!(ctx, { id: "r", model: "m", content: [call("c1", "undeclared")], finish: { reason: "tool_calls" } });
    assert.deepEqual(noNative.finish, { reason: "stop" }, "a provider that sent no word gets none");
  }
});
