import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import type { ChatCompletionChunk } from "openai/resources/chat/completions";
import { readFixtureChunks } from "./helpers/fixtures.ts";
import { startRouterFixture, type RouterFixture } from "./helpers/router-fixture.ts";

let f: RouterFixture;
before(async () => {
  f = await startRouterFixture();
});
after(() => f.close());

test("chat completion through the router: prefix stripped, provider key swapped in, answer intact", async () => {
  const res = await f.client.chat.completions.create({ model: "openai:gpt-4o-mini", messages: [{ role: "user", content: "Hi there" }] });
  assert.equal(res.choices[0].message.content, "Hello! You said: Hi there");
  assert.equal(res.usage?.total_tokens, 19 + 5);
  const up = f.upstream.last();
  assert.equal(up.url, "/v1/chat/completions");
  assert.equal(up.headers.authorization, "Bearer sk-upstream-openai");
  assert.deepEqual(up.json, { model: "gpt-4o-mini", messages: [{ role: "user", content: "Hi there" }] });
});

test("unknown fields reach an OpenAI upstream untouched", async () => {
  await f.client.chat.completions.create({
    model: "openai:gpt-4o-mini",
    messages: [{ role: "user", content: "x" }],
    // @ts-expect-error a field the SDK does not know
    vendor_option: { keep: [1, 2] },
    logit_bias: { "50256": -100 },
  });
  const body = f.upstream.last().json as Record<string, unknown>;
  assert.deepEqual(body.vendor_option, { keep: [1, 2] });
  assert.deepEqual(body.logit_bias, { "50256": -100 });
});

test("streaming chat: text arrives as chunks, usage only when asked, [DONE] ends it", async () => {
  const stream = await f.client.chat.completions.create({ model: "openai:gpt-4o-mini", messages: [{ role: "user", content: "stream me" }], stream: true });
  const chunks: ChatCompletionChunk[] = [];
  for await (const c of stream) chunks.push(c);
  assert.equal(chunks.map((c) => c.choices[0]?.delta.content ?? "").join(""), "Hello! You said: stream me");
  assert.equal(chunks.filter((c) => c.usage).length, 0, "no usage chunk when the client did not ask");
  assert.equal(chunks.filter((c) => c.choices[0]?.finish_reason).length, 1);
  // The proxy asked the upstream for usage anyway, to log tokens.
  assert.deepEqual((f.upstream.last().json as { stream_options: unknown }).stream_options, { include_usage: true });

  const withUsage = await f.client.chat.completions.create({
    model: "openai:gpt-4o-mini",
    messages: [{ role: "user", content: "count" }],
    stream: true,
    stream_options: { include_usage: true },
  });
  const usage = [];
  for await (const c of withUsage) if (c.usage) usage.push(c.usage);
  assert.equal(usage.length, 1);
  assert.equal(usage[0].prompt_tokens, 19);
});

test("a recorded DeepSeek stream (reasoning, tool call in fragments, cached tokens) reaches a Chat client intact", async () => {
  const chunks = readFixtureChunks("deepseek", "deepseek-tool-call.chunks.txt");
  f.upstream.enqueue({ kind: "stream", events: [...chunks.map((data) => ({ data })), { data: "[DONE]" }] });
  const stream = await f.client.chat.completions.create({
    model: "openai:deepseek-reasoner",
    messages: [{ role: "user", content: "weather?" }],
    // The recorded answer calls `weather`: a call of a tool the request did not declare is blocked.
    tools: [{ type: "function", function: { name: "weather", parameters: { type: "object", properties: { location: { type: "string" } } } } }],
    stream: true,
    stream_options: { include_usage: true },
  });
  let args = "";
  let reasoning = "";
  let name = "";
  let cached = -1;
  for await (const c of stream) {
    const d = c.choices[0]?.delta as { reasoning_content?: string; tool_calls?: Array<{ function?: { name?: string; arguments?: string } }> } | undefined;
    reasoning += d?.reasoning_content ?? "";
    for (const t of d?.tool_calls ?? []) {
      name += t.function?.name ?? "";
      args += t.function?.arguments ?? "";
    }
    if (c.usage) cached = c.usage.prompt_tokens_details?.cached_tokens ?? -1;
  }
  const expectedArgs = chunks
    .flatMap((c) => ((c.choices as Array<{ delta?: { tool_calls?: Array<{ function?: { arguments?: string } }> } }>)[0]?.delta?.tool_calls ?? []))
    .map((t) => t.function?.arguments ?? "")
    .join("");
  assert.ok(reasoning.length > 20);
  assert.ok(name.length > 0);
  assert.equal(args, expectedArgs);
  assert.doesNotThrow(() => JSON.parse(args));
  assert.equal(cached, 320);
});

test("parallel and no-argument tool calls in a stream keep their per-tool indexes", async () => {
  const base = { id: "chatcmpl-t", object: "chat.completion.chunk", created: 1, model: "gpt-4o-mini" };
  const delta = (d: object, finish: string | null = null) => ({ data: { ...base, choices: [{ index: 0, delta: d, logprobs: null, finish_reason: finish }] } });
  f.upstream.enqueue({
    kind: "stream",
    events: [
      delta({ role: "assistant", content: null }),
      delta({ tool_calls: [{ index: 0, id: "call_a", type: "function", function: { name: "get_time", arguments: "" } }] }),
      delta({ tool_calls: [{ index: 1, id: "call_b", type: "function", function: { name: "get_weather", arguments: "" } }] }),
      delta({ tool_calls: [{ index: 1, function: { arguments: '{"city":' } }] }),
      delta({ tool_calls: [{ index: 1, function: { arguments: '"Paris"}' } }] }),
      delta({}, "tool_calls"),
      { data: "[DONE]" },
    ],
  });
  const stream = f.client.chat.completions.stream({
    model: "openai:gpt-4o-mini",
    messages: [{ role: "user", content: "time and weather" }],
    tools: [
      { type: "function", function: { name: "get_time", parameters: { type: "object", properties: {} } } },
      { type: "function", function: { name: "get_weather", parameters: { type: "object", properties: { city: { type: "string" } } } } },
    ],
  });
  const final = await stream.finalChatCompletion();
  const calls = final.choices[0].message.tool_calls ?? [];
  assert.deepEqual(
    calls.map((c) => (c.type === "function" ? [c.id, c.function.name, c.function.arguments] : [])),
    [
      ["call_a", "get_time", ""],
      ["call_b", "get_weather", '{"city":"Paris"}'],
    ],
  );
  assert.equal(final.choices[0].finish_reason, "tool_calls");
});

test("a multi-byte character split across network reads arrives whole", async () => {
  const frame = (text: string) =>
    `data: ${JSON.stringify({ id: "c", object: "chat.completion.chunk", created: 1, model: "m", choices: [{ index: 0, delta: { content: text }, finish_reason: null }] })}\n\n`;
  const bytes = Buffer.from(frame("naïve — 😀 ok") + "data: [DONE]\n\n");
  const cut = bytes.indexOf(Buffer.from("😀")) + 2; // inside the emoji's four bytes
  f.upstream.enqueue({ kind: "raw", status: 200, headers: { "content-type": "text/event-stream" }, body: [bytes.subarray(0, cut), bytes.subarray(cut)], delayMs: 30 });
  const stream = await f.client.chat.completions.create({ model: "openai:gpt-4o-mini", messages: [{ role: "user", content: "u" }], stream: true });
  let text = "";
  for await (const c of stream) text += c.choices[0]?.delta.content ?? "";
  assert.equal(text, "naïve — 😀 ok");
});
