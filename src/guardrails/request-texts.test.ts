import { test } from "node:test";
import assert from "node:assert/strict";
import type { CanonicalRequest } from "../canonical/request.ts";
import { mapRequestTexts, type TextSource } from "./request-texts.ts";

const request: CanonicalRequest = {
  model: "m",
  stream: false,
  instructions: "be brief",
  messages: [
    { role: "system", content: [{ type: "text", text: "system text" }] },
    { role: "user", content: [{ type: "text", text: "user text" }, { type: "image", source: { kind: "url", url: "https://x/y.png" } }] },
    {
      role: "assistant",
      content: [
        { type: "reasoning", text: "thinking text", signature: "sig" },
        { type: "text", text: "assistant text" },
        { type: "tool-call", id: "c1", name: "f", arguments: '{"a":"args text"}', kind: "function" },
      ],
    },
    { role: "tool", content: [{ type: "tool-result", callId: "c1", content: "tool text" }, { type: "tool-result", callId: "c2", content: [{ type: "text", text: "tool part text" }] }] },
  ],
};

test("visits every text the guardrails read, with where it sits; reasoning and media are left alone", () => {
  const seen: Array<[string, TextSource]> = [];
  const out = mapRequestTexts(request, (text, source) => {
    seen.push([text, source]);
    return text;
  });
  assert.equal(out, request, "nothing changed: the same request");
  assert.deepEqual(seen, [
    ["be brief", "system"],
    ["system text", "system"],
    ["user text", "user"],
    ["assistant text", "assistant"],
    ['{"a":"args text"}', "assistant"],
    ["tool text", "tool"],
    ["tool part text", "tool"],
  ]);
});

test("copies only the nodes on the way to a changed text", () => {
  const out = mapRequestTexts(request, (text) => (text === "tool part text" ? "CHANGED" : text));
  assert.notEqual(out, request);
  assert.equal(out.messages[0], request.messages[0]);
  assert.equal(out.messages[2], request.messages[2]);
  const tool = out.messages[3];
  assert.ok(tool.role === "tool");
  assert.equal(tool.content[0], (request.messages[3] as typeof tool).content[0]);
  assert.deepEqual(tool.content[1].content, [{ type: "text", text: "CHANGED" }]);
  assert.deepEqual((request.messages[3] as typeof tool).content[1].content, [{ type: "text", text: "tool part text" }], "the original is untouched");
});
