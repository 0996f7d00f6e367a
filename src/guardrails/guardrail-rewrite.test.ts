import { test } from "node:test";
import assert from "node:assert/strict";
import type { AssistantPart, ToolCallPart } from "../canonical/content.ts";
import type { CanonicalResponse } from "../canonical/response.ts";
import type { StreamChunk, StreamEvent } from "../canonical/stream.ts";
import type { RequestContext } from "../pipeline/context.ts";
import { responseModifier } from "../pipeline/response-modifier.ts";
import type { GuardrailSettings } from "../policies/types.ts";
import { GUARDRAIL_LOOKAHEAD, guardrailRewrite, rewriteOutput } from "./guardrail-rewrite.ts";
import { startGuardrailRun } from "./guardrail-run.ts";

const KEY = "sk-proj-Ab3dEf6hIj9kLmN0pQrStUvWxYz1234567890abcd";
const NEW_KEY = "ghp_1234567890abcdefghijklmnopqrstuvwxyzAB";
const EMAIL = "jane.doe@example.com";

/** A context whose request had KEY and EMAIL redacted to [SECRET_1] and [EMAIL_1]. */
function contextWith(settings: Partial<GuardrailSettings>): RequestContext {
  const ctx = {} as RequestContext;
  const run = startGuardrailRun(ctx, { secrets: "redact", pii: "redact", restore: false, ...settings })!;
  for (const [value, kind] of [[KEY, "SECRET"], [EMAIL, "EMAIL"]] as const) run.book.markReplaced(run.book.placeholderFor(value, kind));
  return ctx;
}

const response = (content: AssistantPart[], reason: "stop" | "tool_calls" = "stop"): CanonicalResponse => ({ id: "r", model: "m", content, finish: { reason } });
const call = (args: string): ToolCallPart => ({ type: "tool-call", id: "c", name: "send", arguments: args, kind: "function" });

test("non-stream: a new secret becomes [SECRET], a value the request named gets its placeholder", () => {
  const ctx = contextWith({});
  const out = responseModifier([guardrailRewrite()]).response!(ctx, response([{ type: "text", text: `new ${NEW_KEY}, old ${KEY}, mail ${EMAIL}` }]));
  assert.deepEqual(out.content, [{ type: "text", text: "new [SECRET], old [SECRET_1], mail [EMAIL_1]" }]);
});

test("non-stream with restore: placeholders the model repeats become the client's values, in text and in tool arguments", () => {
  const ctx = contextWith({ restore: true });
  const stage = responseModifier([guardrailRewrite()]);
  const out = stage.response!(ctx, response([{ type: "text", text: "I wrote to [EMAIL_1] using [SECRET_1]; [EMAIL_7] is unknown." }, call('{"to":"[EMAIL_1]"}')], "tool_calls"));
  assert.deepEqual(out.content, [{ type: "text", text: `I wrote to ${EMAIL} using ${KEY}; [EMAIL_7] is unknown.` }, call(`{"to":"${EMAIL}"}`)]);
  assert.equal(out.finish.reason, "tool_calls");
  const untouched = response([{ type: "text", text: "nothing to see" }]);
  assert.equal(stage.response!(ctx, untouched), untouched, "no change: the same response");
});

test("restore into JSON arguments escapes control characters; a secret the model made up is redacted there too", () => {
  const ctx = {} as RequestContext;
  const run = startGuardrailRun(ctx, { secrets: "redact", pii: "off", restore: true })!;
  const pem = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----";
  run.book.markReplaced(run.book.placeholderFor(pem, "SECRET"));
  const args = rewriteOutput(run, `{"key":"[SECRET_1]","other":"${NEW_KEY}"}`, true);
  assert.deepEqual(JSON.parse(args), { key: pem, other: "[SECRET]" });
});

test("settings decide what is rewritten: log and off leave the output alone; pii-only redaction leaves keys", () => {
  const logOnly = {} as RequestContext;
  startGuardrailRun(logOnly, { secrets: "log", pii: "log", restore: true });
  assert.equal(guardrailRewrite().text!(logOnly), undefined);
  const passing = responseModifier([guardrailRewrite()]).stream!(logOnly)!;
  for (const c of textChunks(["a key ", NEW_KEY, " here"])) assert.deepEqual(passing.chunk(c), [c], "chunks pass as they came, none held");
  assert.equal(guardrailRewrite().text!({} as RequestContext), undefined, "no run: guardrails off");
  const piiOnly = {} as RequestContext;
  startGuardrailRun(piiOnly, { secrets: "off", pii: "redact", restore: false });
  assert.equal(guardrailRewrite().text!(piiOnly)!.rewrite(`${KEY} ${EMAIL}`), `${KEY} [EMAIL]`);
});

test("rewriteOutput is pure: the same text gives the same answer, the book does not grow", () => {
  const ctx = {} as RequestContext;
  const run = startGuardrailRun(ctx, { secrets: "redact", pii: "redact", restore: false })!;
  const a = rewriteOutput(run, `x ${NEW_KEY} y`, false);
  assert.equal(rewriteOutput(run, `x ${NEW_KEY} y`, false), a);
  assert.equal(run.book.placeholderOf(NEW_KEY), undefined);
});

const raw = (s: string) => ({ format: "openai-chat" as const, bytes: s });
const textChunks = (pieces: string[]): StreamChunk[] => [
  { events: [{ type: "part-start", index: 0, part: { type: "text", text: "" } }], raw: raw("start") },
  ...pieces.map((delta, i): StreamChunk => ({ events: [{ type: "text-delta", index: 0, delta }], raw: raw(`d${i}`) })),
  { events: [{ type: "part-end", index: 0, part: { type: "text", text: pieces.join("") } }], raw: raw("end") },
];
const deltas = (chunks: StreamChunk[]) => chunks.flatMap((c) => c.events).flatMap((e: StreamEvent) => (e.type === "text-delta" ? [e.delta] : [])).join("");

function runStream(ctx: RequestContext, input: StreamChunk[]): StreamChunk[] {
  const t = responseModifier([guardrailRewrite()]).stream!(ctx)!;
  return [...input.flatMap((c) => t.chunk(c)), ...(t.flush?.() ?? [])];
}

test("stream: a secret split across chunks is redacted; no released chunk carries any of it", () => {
  const ctx = contextWith({});
  const pieces = ["Sure, the token is ", NEW_KEY.slice(0, 9), NEW_KEY.slice(9, 25), NEW_KEY.slice(25), " and that is all I know about it, have a nice day."];
  const out = runStream(ctx, textChunks(pieces));
  assert.equal(deltas(out), "Sure, the token is [SECRET] and that is all I know about it, have a nice day.");
  for (const c of out) for (const e of c.events) if (e.type === "text-delta") assert.ok(!e.delta.includes("ghp_") && !e.delta.includes("klmnop"), e.delta);
  const end = out.flatMap((c) => c.events).find((e) => e.type === "part-end");
  assert.ok(end?.type === "part-end" && end.part.type === "text" && end.part.text === deltas(out));
});

test("stream with restore: a placeholder split across chunks is restored", () => {
  const ctx = contextWith({ restore: true });
  assert.equal(deltas(runStream(ctx, textChunks(["Mail sent to [EMA", "IL_1", "] as asked."]))), `Mail sent to ${EMAIL} as asked.`);
});

test("stream: clean text keeps its chunks (raw bytes) and waits no longer than the lookahead", () => {
  const ctx = contextWith({});
  const pieces = Array.from({ length: 40 }, (_, i) => `word ${i} `);
  const input = textChunks(pieces);
  const t = responseModifier([guardrailRewrite()]).stream!(ctx)!;
  let sentChars = 0;
  let seenChars = 0;
  const out: StreamChunk[] = [];
  for (const c of input) {
    const released = t.chunk(c);
    out.push(...released);
    seenChars += deltas([c]).length;
    sentChars += deltas(released).length;
    if (c !== input.at(-1)) assert.ok(seenChars - sentChars <= GUARDRAIL_LOOKAHEAD + 8, `held ${seenChars - sentChars} characters`);
  }
  assert.equal(out.length, input.length);
  out.forEach((c, i) => assert.equal(c, input[i], "the very same chunk, raw bytes and all"));
});

test("stream: tool calls are held to their end and their arguments restored", () => {
  const ctx = contextWith({ restore: true });
  const part = call('{"to":"[EMAIL_1]"}');
  const input: StreamChunk[] = [
    { events: [{ type: "part-start", index: 0, part: { ...part, arguments: "" } }], raw: raw("s") },
    { events: [{ type: "tool-args-delta", index: 0, delta: '{"to":"[EMA' }], raw: raw("a") },
    { events: [{ type: "tool-args-delta", index: 0, delta: 'IL_1]"}' }], raw: raw("b") },
    { events: [{ type: "part-end", index: 0, part }], raw: raw("e") },
    { events: [{ type: "finish", finish: { reason: "tool_calls" } }], raw: raw("f") },
  ];
  const t = responseModifier([guardrailRewrite()]).stream!(ctx)!;
  assert.deepEqual(t.chunk(input[0]), [], "held");
  assert.deepEqual(t.chunk(input[1]), []);
  const out = [...t.chunk(input[2]), ...t.chunk(input[3]), ...t.chunk(input[4])];
  const events = out.flatMap((c) => c.events);
  const end = events.find((e) => e.type === "part-end");
  assert.ok(end?.type === "part-end" && end.part.type === "tool-call");
  assert.equal(end.part.arguments, `{"to":"${EMAIL}"}`);
  assert.equal(events.filter((e) => e.type === "tool-args-delta").map((e) => (e.type === "tool-args-delta" ? e.delta : "")).join(""), `{"to":"${EMAIL}"}`);
  assert.deepEqual(events.at(-1), { type: "finish", finish: { reason: "tool_calls" } });
});
