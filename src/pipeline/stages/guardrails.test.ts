import { test } from "node:test";
import assert from "node:assert/strict";
import { ProxyError } from "../../canonical/error.ts";
import type { CanonicalRequest } from "../../canonical/request.ts";
import type { StreamChunk } from "../../canonical/stream.ts";
import { CleanTextCache } from "../../guardrails/scan-cache.ts";
import { DEFAULT_GUARDRAILS, type GuardrailSettings } from "../../policies/types.ts";
import type { RequestContext } from "../context.ts";
import { guardrails } from "./guardrails.ts";

const KEY = "sk-proj-Ab3dEf6hIj9kLmN0pQrStUvWxYz1234567890abcd";
const KEY2 = "ghp_1234567890abcdefghijklmnopqrstuvwxyzAB";
const EMAIL = "jane.doe@example.com";

const conversation = (): CanonicalRequest => ({
  model: "m",
  stream: false,
  instructions: `Use the key ${KEY} when calling the API.`,
  messages: [
    { role: "user", content: [{ type: "text", text: `Email ${EMAIL} the report; my other token is ${KEY2}.` }] },
    { role: "assistant", content: [{ type: "tool-call", id: "c1", name: "send", arguments: JSON.stringify({ to: EMAIL, auth: KEY }), kind: "function" }] },
    { role: "tool", content: [{ type: "tool-result", callId: "c1", content: `sent to ${EMAIL}` }] },
  ],
});

function ctxFor(request: CanonicalRequest, extra: Partial<RequestContext> = {}): RequestContext {
  return { proxyId: "p", request, requestChanged: false, ...extra } as RequestContext;
}

const stage = (settings: GuardrailSettings) => guardrails(() => settings, new CleanTextCache());

test("off: nothing scanned, nothing changed, nothing recorded", async () => {
  const request = conversation();
  const ctx = ctxFor(request);
  await stage(DEFAULT_GUARDRAILS).request!(ctx);
  assert.equal(ctx.request, request);
  assert.equal(ctx.decisions, undefined);
  assert.equal(ctx.redactForLog, undefined);
  assert.equal(stage(DEFAULT_GUARDRAILS).stream!(ctx), undefined);
});

test("redact: typed placeholders in every text, one per value, numbered in order of appearance", async () => {
  const ctx = ctxFor(conversation());
  await stage({ secrets: "redact", pii: "redact", restore: false }).request!(ctx);
  assert.equal(ctx.requestChanged, true);
  assert.equal(ctx.request.instructions, "Use the key [SECRET_1] when calling the API.");
  assert.deepEqual(ctx.request.messages[0].content, [{ type: "text", text: "Email [EMAIL_1] the report; my other token is [SECRET_2]." }]);
  const call = ctx.request.messages[1].content[0];
  assert.ok(call.type === "tool-call");
  assert.deepEqual(JSON.parse(call.arguments), { to: "[EMAIL_1]", auth: "[SECRET_1]" });
  assert.deepEqual(ctx.request.messages[2].content, [{ type: "tool-result", callId: "c1", content: "sent to [EMAIL_1]" }]);
  assert.ok(!JSON.stringify(ctx.request).includes(KEY) && !JSON.stringify(ctx.request).includes(EMAIL));
  assert.deepEqual(
    ctx.decisions?.map((d) => [d.action, d.blocked, d.reason]),
    [
      ["redact", true, "openai_api_key in the request (2)"],
      ["redact", true, "email in the request (3)"],
      ["redact", true, "github_token in the request"],
    ],
  );
});

test("redact: the next turn, with the conversation resent, gives the same placeholders", async () => {
  const first = ctxFor(conversation());
  const s = stage({ secrets: "redact", pii: "redact", restore: false });
  await s.request!(first);
  const longer = conversation();
  longer.messages.push({ role: "user", content: [{ type: "text", text: "and cc bob@example.org" }] });
  const second = ctxFor(longer);
  await s.request!(second);
  assert.deepEqual(second.request.messages.slice(0, 3), first.request.messages);
  assert.deepEqual(second.request.messages[3].content, [{ type: "text", text: "and cc [EMAIL_2]" }]);
});

test("redact one category, log the other: only the redacted one changes", async () => {
  const ctx = ctxFor(conversation());
  await stage({ secrets: "redact", pii: "log", restore: false }).request!(ctx);
  assert.deepEqual(ctx.request.messages[0].content, [{ type: "text", text: `Email ${EMAIL} the report; my other token is [SECRET_2].` }]);
  assert.deepEqual(ctx.decisions?.find((d) => d.reason?.startsWith("email"))?.action, "log");
  assert.equal(ctx.decisions?.find((d) => d.reason?.startsWith("email"))?.blocked, false);
});

test("block: a 400 naming the detectors and where, never the value; decisions recorded", async () => {
  const ctx = ctxFor(conversation());
  let err: unknown;
  try {
    await stage({ secrets: "block", pii: "log", restore: false }).request!(ctx);
  } catch (e) {
    err = e;
  }
  assert.ok(err instanceof ProxyError);
  assert.equal(err.error.status, 400);
  assert.equal(err.error.code, "guardrail_blocked");
  assert.match(err.message, /openai_api_key, github_token found in the system prompt, a user message and an assistant message$/);
  assert.ok(!err.message.includes(KEY) && !err.message.includes("sk-proj"));
  assert.deepEqual(
    ctx.decisions?.filter((d) => d.action === "block").map((d) => d.blocked),
    [true, true],
  );
  assert.equal(typeof ctx.redactForLog, "function");
});

test("log: the request goes on unchanged; the interaction log gets the values redacted, JSON-escaped ones too", async () => {
  const pem = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----";
  const request: CanonicalRequest = { model: "m", stream: false, messages: [{ role: "user", content: [{ type: "text", text: `key ${KEY}\n${pem}\nmail ${EMAIL}` }] }] };
  const ctx = ctxFor(request);
  await stage({ secrets: "log", pii: "log", restore: false }).request!(ctx);
  assert.equal(ctx.request, request);
  assert.equal(ctx.requestChanged, false);
  assert.deepEqual(ctx.decisions?.map((d) => [d.action, d.blocked]), [["log", false], ["log", false], ["log", false]]);
  const rawBody = JSON.stringify({ messages: [{ role: "user", content: request.messages[0].content[0].type === "text" ? request.messages[0].content[0].text : "" }] });
  const logged = ctx.redactForLog!(rawBody);
  assert.ok(!logged.includes("sk-proj") && !logged.includes("MIIEvQ") && !logged.includes(EMAIL), logged);
  assert.match(logged, /\[SECRET_1\].*\[SECRET_2\].*\[EMAIL_1\]/);
});

test("the model's output is scanned for the record: response and stream, nothing held or changed", async () => {
  const s = stage({ secrets: "redact", pii: "log", restore: false });
  const ctx = ctxFor({ model: "m", stream: true, messages: [{ role: "user", content: [{ type: "text", text: "hi" }] }] });
  await s.request!(ctx);
  assert.equal(ctx.decisions as unknown, undefined);
  const t = s.stream!(ctx)!;
  const chunks: StreamChunk[] = [
    { events: [{ type: "text-delta", index: 0, delta: `here: ${KEY2}` }] },
    { events: [{ type: "part-end", index: 0, part: { type: "text", text: `here: ${KEY2} and ${EMAIL}` } }] },
  ];
  for (const c of chunks) assert.deepEqual(t.chunk(c), [c]);
  assert.deepEqual(ctx.decisions?.map((d) => [d.action, d.reason]), [["redact", "github_token in the response"], ["log", "email in the response"]]);
  assert.ok(!ctx.redactForLog!(`x ${KEY2} ${EMAIL}`).includes(KEY2));
  const whole = { id: "r", model: "m", content: [{ type: "text" as const, text: `again ${KEY2}` }], finish: { reason: "stop" as const } };
  assert.equal(s.response!(ctx, whole), whole);
  assert.equal(ctx.decisions?.[0].reason, "github_token in the response (2)");
});

test("a block setting on the response side redacts (an answer cannot be refused half-streamed)", async () => {
  const s = stage({ secrets: "block", pii: "off", restore: false });
  const ctx = ctxFor({ model: "m", stream: false, messages: [{ role: "user", content: [{ type: "text", text: "hi" }] }] });
  await s.request!(ctx);
  s.response!(ctx, { id: "r", model: "m", content: [{ type: "text", text: KEY }], finish: { reason: "stop" } });
  assert.deepEqual(ctx.decisions?.map((d) => [d.action, d.blocked]), [["redact", true]]);
});

test("endpoints passthrough does not inspect are left alone", async () => {
  const ctx = ctxFor(conversation(), { passthrough: { inspected: false } as RequestContext["passthrough"] });
  await stage({ secrets: "block", pii: "block", restore: false }).request!(ctx);
  assert.equal(ctx.decisions, undefined);
});

test("clean history comes from the cache on the next turn", async () => {
  const cache = new CleanTextCache();
  const s = guardrails(() => ({ secrets: "redact", pii: "redact", restore: false }), cache);
  const history = "A long and perfectly ordinary paragraph about the weather, repeated by the agent every turn.";
  const req = (): CanonicalRequest => ({ model: "m", stream: false, messages: [{ role: "user", content: [{ type: "text", text: history }] }] });
  await s.request!(ctxFor(req()));
  assert.equal(cache.size, 1);
  await s.request!(ctxFor(req()));
  assert.equal(cache.size, 1);
});
