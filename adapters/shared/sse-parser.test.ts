import { test } from "node:test";
import assert from "node:assert/strict";
import { SseParser } from "./sse-parser.ts";

test("parses events split at every byte, multi-byte characters included", () => {
  const text = 'event: a\ndata: {"t":"héllo – 😀"}\n\n: comment\n\ndata: line1\ndata: line2\n\ndata: [DONE]\n\n';
  const bytes = new TextEncoder().encode(text);
  const p = new SseParser();
  const events = [];
  for (let i = 0; i < bytes.length; i++) events.push(...p.push(bytes.subarray(i, i + 1)));
  events.push(...p.end());
  assert.deepEqual(
    events.map((e) => [e.event, e.data]),
    [["a", '{"t":"héllo – 😀"}'], [undefined, "line1\nline2"], [undefined, "[DONE]"]],
  );
  assert.equal(events[0].raw, 'event: a\ndata: {"t":"héllo – 😀"}\n\n');
});

test("CRLF and CR line ends, split between CR and LF", () => {
  const p = new SseParser();
  const out = [...p.push("data: x\r"), ...p.push("\n\r"), ...p.push("\ndata: y\r\r"), ...p.end()];
  assert.deepEqual(out.map((e) => e.data), ["x", "y"]);
  // A line end split between CR and LF is attributed to the next event: no byte is lost.
  assert.equal(out.map((e) => e.raw).join(""), "data: x\r\n\r\ndata: y\r\r");
});

test("an unterminated last event is dispatched at end; a field without data is not", () => {
  const p = new SseParser();
  assert.deepEqual(p.push("event: ping\n\ndata: tail"), []);
  assert.deepEqual(p.end().map((e) => e.data), ["tail"]);
});

test("field without a space after the colon, and a data line with no colon", () => {
  const p = new SseParser();
  const out = p.push("event:x\ndata:1\ndata\n\n");
  assert.deepEqual(out.map((e) => [e.event, e.data]), [["x", "1\n"]]);
});
