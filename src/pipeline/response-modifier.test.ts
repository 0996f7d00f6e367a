import { test } from "node:test";
import assert from "node:assert/strict";
import type { AssistantPart, ToolCallPart } from "../canonical/content.ts";
import type { StreamChunk, StreamEvent } from "../canonical/stream.ts";
import type { RequestContext } from "./context.ts";
import { responseModifier, type ResponseRewrite } from "./response-modifier.ts";

const ctx = {} as RequestContext;
const call = (id: string, name: string, args = "{}"): ToolCallPart => ({ type: "tool-call", id, name, arguments: args, kind: "function" });

/** Blocks calls of `send_email`: a refusal in their place. */
const blockEmail: ResponseRewrite = {
  name: "block-email",
  holds: (_c, p) => p.type === "tool-call",
  rewritePart: (_c, p) => (p.type === "tool-call" && p.name === "send_email" ? [{ type: "text", text: `Blocked ${p.name}(${p.arguments})` }] : undefined),
};
/** Redacts `sk-` keys of 20+ characters. */
const redactKeys: ResponseRewrite = {
  name: "redact",
  text: () => ({ lookahead: 40, rewrite: (t) => t.replace(/sk-[A-Za-z0-9]{20,}/g, "[REDACTED]") }),
};

const raw = (s: string) => ({ format: "openai-chat" as const, bytes: s });
const chunk = (events: StreamEvent[], tag?: string): StreamChunk => ({ events, ...(tag && { raw: raw(tag) }) });

function run(rewrites: ResponseRewrite[], chunks: StreamChunk[]): StreamChunk[] {
  const t = responseModifier(rewrites).stream!(ctx)!;
  return [...chunks.flatMap((c) => t.chunk(c)), ...(t.flush?.() ?? [])];
}

test("non-stream: a blocked call becomes a refusal and the finish reason follows; untouched responses are the same object", () => {
  const stage = responseModifier([blockEmail]);
  const res = { id: "r", model: "m", content: [call("a", "send_email", '{"to":"x"}')] as AssistantPart[], finish: { reason: "tool_calls" as const, native: "tool_use" } };
  const out = stage.response!(ctx, res);
  assert.deepEqual(out.content, [{ type: "text", text: 'Blocked send_email({"to":"x"})' }]);
  assert.deepEqual(out.finish, { reason: "stop" });
  const safe = { ...res, content: [call("b", "get_time")] };
  assert.equal(stage.response!(ctx, safe), safe);
});

test("stream: an allowed call is held to its end, then released as the very same chunks (raw bytes kept)", () => {
  const c = call("a", "get_time");
  const input = [
    chunk([{ type: "part-start", index: 0, part: { ...c, arguments: "" } }], "s"),
    chunk([{ type: "tool-args-delta", index: 0, delta: "{}" }], "d"),
    chunk([{ type: "part-end", index: 0, part: c }], "e"),
    chunk([{ type: "finish", finish: { reason: "tool_calls" } }], "f"),
  ];
  const t = responseModifier([blockEmail]).stream!(ctx)!;
  assert.deepEqual(t.chunk(input[0]), []);
  assert.deepEqual(t.chunk(input[1]), []);
  const released = t.chunk(input[2]);
  assert.equal(released.length, 3);
  released.forEach((r, i) => assert.equal(r, input[i]));
  assert.equal(t.chunk(input[3])[0], input[3]);
});

test("stream: of two parallel calls the blocked one is replaced in place, the other renumbered and kept; finish stays tool_calls", () => {
  const a = call("a", "send_email", '{"to":"evil@x"}');
  const b = call("b", "get_time");
  const out = run([blockEmail], [
    chunk([{ type: "part-start", index: 0, part: { ...a, arguments: "" } }, { type: "tool-args-delta", index: 0, delta: a.arguments }]),
    chunk([{ type: "part-end", index: 0, part: a }, { type: "part-start", index: 1, part: { ...b, arguments: "" } }]),
    chunk([{ type: "part-end", index: 1, part: b }]),
    chunk([{ type: "finish", finish: { reason: "tool_calls" } }]),
  ]).flatMap((c) => c.events);
  assert.deepEqual(
    out.map((e) => `${e.type}${"index" in e ? e.index : ""}${e.type === "part-end" ? ":" + e.part.type : ""}`),
    ["part-start0", "text-delta0", "part-end0:text", "part-start1", "part-end1:tool-call", "finish"],
  );
  assert.equal(out.at(-1)?.type === "finish" && out.at(-1)!.type === "finish" && (out.at(-1) as { finish: { reason: string } }).finish.reason, "tool_calls");
});

test("stream: a secret split across chunks is redacted; text before it flows unchanged with its bytes", () => {
  const texts = ["Hello there, ", "here is the key sk-abcdefghij", "klmnopqrstuvwxyz and ", "some more words after it to push the window along, quite a few of them."];
  const input = [
    chunk([{ type: "part-start", index: 0, part: { type: "text", text: "" } }], "s"),
    ...texts.map((t, i) => chunk([{ type: "text-delta", index: 0, delta: t }], `d${i}`)),
    chunk([{ type: "part-end", index: 0, part: { type: "text", text: texts.join("") } }], "e"),
  ];
  const out = run([redactKeys], input);
  const text = out.flatMap((c) => c.events).flatMap((e) => (e.type === "text-delta" ? [e.delta] : [])).join("");
  assert.equal(text, "Hello there, here is the key [REDACTED] and some more words after it to push the window along, quite a few of them.");
  const end = out.flatMap((c) => c.events).find((e) => e.type === "part-end");
  assert.equal(end?.type === "part-end" && end.part.type === "text" && end.part.text, text);
  assert.equal(out[0], input[0], "chunks that hold no secret go out as they came");
  assert.ok(!out.some((c) => c.raw && c.events.some((e) => e.type === "text-delta" && e.delta.includes("sk-"))));
});

test("stream: clean text is released as the original chunks, only delayed by the lookahead window", () => {
  const input = [
    chunk([{ type: "part-start", index: 0, part: { type: "text", text: "" } }], "s"),
    ...Array.from({ length: 10 }, (_, i) => chunk([{ type: "text-delta", index: 0, delta: `word number ${i}, ` }], `d${i}`)),
    chunk([{ type: "part-end", index: 0, part: { type: "text", text: "" } }], "e"),
  ];
  const t = responseModifier([redactKeys]).stream!(ctx)!;
  let releasedBeforeEnd = 0;
  for (const c of input.slice(0, -1)) releasedBeforeEnd += t.chunk(c).length;
  assert.ok(releasedBeforeEnd >= 7, `text flows while streaming (released ${releasedBeforeEnd})`);
  const rest = t.chunk(input.at(-1)!);
  assert.ok(rest.slice(0, -1).every((c, i) => c === input[input.length - 1 - (rest.length - 1) + i]));
});

test("stream: a call that starts while another is held is judged too (interleaved deltas), and blocked in place", () => {
  const a = call("a", "get_time");
  const b = call("b", "send_email", '{"to":"evil@x"}');
  const holdsSeen: string[] = [];
  const spy: ResponseRewrite = { ...blockEmail, holds: (c, p) => (holdsSeen.push(p.type === "tool-call" ? p.name : p.type), blockEmail.holds!(c, p)) };
  const input = [
    chunk([{ type: "part-start", index: 0, part: { ...a, arguments: "" } }], "a0"),
    chunk([{ type: "part-start", index: 1, part: { ...b, arguments: "" } }], "b0"),
    chunk([{ type: "tool-args-delta", index: 0, delta: "{}" }, { type: "tool-args-delta", index: 1, delta: b.arguments }], "ab"),
    chunk([{ type: "part-end", index: 0, part: a }], "a1"),
    chunk([{ type: "part-end", index: 1, part: b }], "b1"),
    chunk([{ type: "part-start", index: 2, part: { type: "text", text: "" } }, { type: "text-delta", index: 2, delta: "after" }], "t"),
  ];
  const t = responseModifier([spy]).stream!(ctx)!;
  assert.deepEqual(input.slice(0, 4).flatMap((c) => t.chunk(c)), [], "nothing goes out while a held call is open");
  const out = [...t.chunk(input[4]), ...t.chunk(input[5])];
  const events = out.flatMap((c) => c.events);
  assert.ok(!events.some((e) => e.type === "tool-args-delta" && e.index === 1), "the blocked call's arguments never go out");
  assert.deepEqual(
    events.filter((e) => e.type === "part-end").map((e) => e.type === "part-end" && `${e.index}:${e.part.type}`),
    ["0:tool-call", "1:text"],
  );
  assert.equal(out[0], input[0], "the allowed call's own chunks are released as they came");
  assert.deepEqual(holdsSeen, ["get_time", "send_email", "text"], "each part start is checked once");
});

test("stream: a held call the upstream never finished is dropped, what completed still goes out", () => {
  const b = call("b", "send_email", '{"to":"evil@x"}');
  const t = responseModifier([blockEmail]).stream!(ctx)!;
  const text = chunk([{ type: "part-start", index: 0, part: { type: "text", text: "" } }, { type: "text-delta", index: 0, delta: "hi" }, { type: "part-end", index: 0, part: { type: "text", text: "hi" } }], "t");
  assert.equal(t.chunk(text)[0], text);
  t.chunk(chunk([{ type: "part-start", index: 1, part: { ...b, arguments: "" } }, { type: "tool-args-delta", index: 1, delta: '{"to":' }], "b0"));
  t.chunk(chunk([{ type: "usage", usage: { inputTokens: 1, outputTokens: 1 } }], "u"));
  const rest = t.flush!();
  assert.deepEqual(rest.flatMap((c) => c.events).map((e) => e.type), ["usage"]);
});
