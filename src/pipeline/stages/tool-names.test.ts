import { test } from "node:test";
import assert from "node:assert/strict";
import type { CanonicalRequest } from "../../canonical/request.ts";
import type { StreamChunk } from "../../canonical/stream.ts";
import type { RequestContext } from "../context.ts";
import { flatName, toolNames } from "./tool-names.ts";

function ctxFor(format: "anthropic" | "openai-responses", request: CanonicalRequest): RequestContext {
  return { target: { format }, request, requestChanged: false } as unknown as RequestContext;
}

const codexLike = (): CanonicalRequest => ({
  model: "m",
  stream: false,
  tools: [
    { kind: "function", name: "list_dir", namespace: "mcp__fs", parameters: { type: "object" } },
    { kind: "function", name: "shell", parameters: { type: "object" } },
    { kind: "custom", name: "apply_patch", description: "Apply a patch" },
  ],
  messages: [
    { role: "user", content: [{ type: "text", text: "go" }] },
    {
      role: "assistant",
      content: [
        { type: "tool-call", id: "c1", name: "list_dir", namespace: "mcp__fs", arguments: '{"path":"."}', kind: "function" },
        { type: "tool-call", id: "c2", name: "apply_patch", arguments: "*** Begin Patch", kind: "custom" },
      ],
    },
    { role: "tool", content: [{ type: "tool-result", callId: "c2", content: "ok", kind: "custom" }] },
  ],
});

test("namespaces are flattened and custom tools wrapped for formats without them; calls map back", () => {
  const stage = toolNames();
  const ctx = ctxFor("anthropic", codexLike());
  stage.request!(ctx);
  assert.equal(ctx.requestChanged, true);
  assert.deepEqual(ctx.request.tools!.map((t) => (t.kind === "hosted" ? "" : `${t.kind}:${t.name}`)), ["function:mcp__fs__list_dir", "function:shell", "function:apply_patch"]);
  const history = ctx.request.messages[1];
  assert.ok(history.role === "assistant");
  assert.deepEqual(
    history.content.map((p) => (p.type === "tool-call" ? [p.name, p.kind, p.arguments] : [])),
    [
      ["mcp__fs__list_dir", "function", '{"path":"."}'],
      ["apply_patch", "function", '{"input":"*** Begin Patch"}'],
    ],
  );
  const res = stage.response!(ctx, {
    id: "r",
    model: "m",
    finish: { reason: "tool_calls" },
    content: [
      { type: "tool-call", id: "c3", name: "mcp__fs__list_dir", arguments: "{}", kind: "function" },
      { type: "tool-call", id: "c4", name: "apply_patch", arguments: '{"input":"diff"}', kind: "function" },
      { type: "tool-call", id: "c5", name: "shell", arguments: "{}", kind: "function" },
    ],
  });
  assert.deepEqual(
    res.content.map((p) => (p.type === "tool-call" ? [p.name, p.namespace, p.kind, p.arguments] : [])),
    [
      ["list_dir", "mcp__fs", "function", "{}"],
      ["apply_patch", undefined, "custom", "diff"],
      ["shell", undefined, "function", "{}"],
    ],
  );
});

test("a streamed custom call's wrapper JSON is held and its free text sent whole", () => {
  const stage = toolNames();
  const ctx = ctxFor("anthropic", codexLike());
  stage.request!(ctx);
  const t = stage.stream!(ctx)!;
  const call = { type: "tool-call" as const, id: "c9", name: "apply_patch", arguments: "", kind: "function" as const };
  const chunks: StreamChunk[] = [
    { events: [{ type: "part-start", index: 0, part: call }] },
    { events: [{ type: "tool-args-delta", index: 0, delta: '{"input":"a\\n' }] },
    { events: [{ type: "tool-args-delta", index: 0, delta: 'b"}' }] },
    { events: [{ type: "part-end", index: 0, part: { ...call, arguments: '{"input":"a\\nb"}' } }] },
  ];
  const out = chunks.flatMap((c) => t.chunk(c)).flatMap((c) => c.events);
  assert.deepEqual(
    out.map((e) => (e.type === "tool-args-delta" ? `delta:${e.delta}` : e.type === "part-start" || e.type === "part-end" ? `${e.type}:${e.part.type === "tool-call" ? e.part.kind + ":" + e.part.arguments : ""}` : e.type)),
    ["part-start:custom:", "delta:a\nb", "part-end:custom:a\nb"],
  );
});

test("a Responses upstream keeps namespaces and custom tools as they are", () => {
  const stage = toolNames();
  const ctx = ctxFor("openai-responses", codexLike());
  stage.request!(ctx);
  assert.equal(ctx.requestChanged, false);
  assert.equal(stage.stream!(ctx), undefined);
});

test("flatName keeps provider limits: 64 characters of [A-Za-z0-9_-]", () => {
  assert.equal(flatName({ name: "read.file" }), "read_file");
  const long = flatName({ namespace: "mcp__" + "x".repeat(60), name: "tool" });
  assert.equal(long.length, 64);
  assert.match(long, /^[A-Za-z0-9_-]+$/);
  assert.notEqual(long, flatName({ namespace: "mcp__" + "x".repeat(60), name: "tool2" }));
});
