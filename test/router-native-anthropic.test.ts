import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { APIError } from "openai";
import type { ChatCompletionMessageParam, ChatCompletionTool } from "openai/resources/chat/completions";
import type { FunctionTool, ResponseInputItem } from "openai/resources/responses/responses";
import type { NativeEvent } from "../adapters/types.ts";
import { anthropicErrorReply, anthropicMessage, anthropicStreamError, anthropicStreamEvents, type FakeMessage } from "./fake-upstreams/anthropic.ts";
import {
  assertWellFormedResponsesStream,
  chatReasoning,
  chatToolCalls,
  collect,
  MODELS,
  startNativeRouterFixture,
  streamedChat,
  type NativeRouterFixture,
} from "./helpers/native-router-fixture.ts";

let f: NativeRouterFixture;
before(async () => {
  f = await startNativeRouterFixture();
});
after(() => f.close());

const MODEL = "claude-sonnet-4-5";
const SIGNATURE = "EqQBCkYIBxgCKkB+/signature==with/odd+chars";
const REDACTED = "EmwKAhgBEgy3va3pzix/LafPsn4aDFIT2Xlxh0L5L8rLVyIwxtE3rAFBa8cr3qpP";

/** A realistic turn: thinking, a sentence, then two parallel calls (one with no arguments). */
const toolTurn = (): FakeMessage => {
  const m = anthropicMessage(MODEL, [
    { type: "thinking", thinking: "The user wants weather and time.", signature: SIGNATURE },
    { type: "text", text: "Let me check both." },
    { type: "tool_use", id: "toolu_01Weather", name: "get_weather", input: { city: "Paris", units: ["c"] } },
    { type: "tool_use", id: "toolu_01Time", name: "get_time", input: {} },
  ]);
  // Anthropic counts cache reads and writes apart from input_tokens.
  m.usage = { ...m.usage, input_tokens: 100, cache_read_input_tokens: 40, cache_creation_input_tokens: 10, output_tokens: 30 };
  return m;
};

const chatTools: ChatCompletionTool[] = [
  { type: "function", function: { name: "get_weather", description: "Weather", parameters: { type: "object", properties: { city: { type: "string" }, units: { type: "array", items: { type: "string" } } }, required: ["city"] } } },
  { type: "function", function: { name: "get_time" } },
];
const responsesTools: FunctionTool[] = [
  { type: "function", name: "get_weather", description: "Weather", parameters: { type: "object", properties: { city: { type: "string" }, units: { type: "array", items: { type: "string" } } }, required: ["city"] }, strict: false },
  { type: "function", name: "get_time", parameters: null, strict: false },
];

/** Real streams split usage: input and cache counts in message_start, the output count in message_delta. */
function splitUsageStream(m: FakeMessage): NativeEvent[] {
  const events = anthropicStreamEvents(m);
  return events.map((e) => {
    const d = e.data as Record<string, unknown>;
    return d.type === "message_delta" ? { event: e.event, data: { ...d, usage: { output_tokens: m.usage.output_tokens } } } : e;
  });
}

const upstream = () => f.anthropic.last().json as Record<string, unknown> & { messages: Array<{ role: string; content: Array<Record<string, unknown>> }> };

test("Chat: system and developer messages anywhere become system blocks; max_tokens always set; images by URL and data: URL", async () => {
  const res = await f.client.chat.completions.create({
    model: MODELS.anthropic,
    messages: [
      { role: "system", content: "You are terse." },
      { role: "user", content: [{ type: "text", text: "What is here?" }, { type: "image_url", image_url: { url: "https://example.com/cat.png" } }, { type: "image_url", image_url: { url: "data:image/jpeg;base64,/9j/4AAQSkZJRg==" } }] },
      { role: "assistant", content: "A cat." },
      { role: "developer", content: "Answer in French from now on." },
      { role: "user", content: "And now?" },
    ],
    temperature: 0.4,
    top_p: 0.9,
    stop: ["END"],
    user: "user-42",
  });
  assert.equal(res.choices[0].message.content, "Hello! You said: And now?");
  assert.equal(res.choices[0].finish_reason, "stop");
  const body = upstream();
  assert.equal(f.anthropic.last().url, "/v1/messages");
  assert.equal(f.anthropic.last().headers["x-api-key"], "sk-ant-router");
  assert.equal(body.model, MODEL);
  assert.ok(typeof body.max_tokens === "number" && body.max_tokens > 0, "max_tokens is required by Anthropic");
  assert.deepEqual(body.system, [{ type: "text", text: "You are terse." }, { type: "text", text: "Answer in French from now on." }]);
  assert.deepEqual(body.messages.map((m) => m.role), ["user", "assistant", "user"]);
  assert.deepEqual(body.messages[0].content, [
    { type: "text", text: "What is here?" },
    { type: "image", source: { type: "url", url: "https://example.com/cat.png" } },
    { type: "image", source: { type: "base64", media_type: "image/jpeg", data: "/9j/4AAQSkZJRg==" } },
  ]);
  assert.equal(body.temperature, 0.4);
  assert.equal(body.top_p, 0.9);
  assert.deepEqual(body.stop_sequences, ["END"]);
  assert.deepEqual(body.metadata, { user_id: "user-42" });
});

test("Chat non-stream: reasoning, text, parallel and no-argument tool calls, usage in OpenAI semantics", async () => {
  f.anthropic.enqueue({ kind: "json", body: toolTurn() });
  const res = await f.client.chat.completions.create({ model: MODELS.anthropic, messages: [{ role: "user", content: "Weather and time?" }], tools: chatTools, reasoning_effort: "high" });
  const msg = res.choices[0].message;
  assert.equal(msg.content, "Let me check both.");
  assert.equal(chatReasoning(msg), "The user wants weather and time.");
  assert.deepEqual(chatToolCalls(msg), [
    ["toolu_01Weather", "get_weather", { city: "Paris", units: ["c"] }],
    ["toolu_01Time", "get_time", {}],
  ]);
  assert.equal(res.choices[0].finish_reason, "tool_calls");
  // 100 fresh + 40 read + 10 written = 150 prompt tokens, 40 of them cached.
  assert.equal(res.usage?.prompt_tokens, 150);
  assert.equal(res.usage?.prompt_tokens_details?.cached_tokens, 40);
  assert.equal(res.usage?.completion_tokens, 30);
  assert.equal(res.usage?.total_tokens, 180);
  const body = upstream();
  const thinking = body.thinking as { type: string; budget_tokens: number };
  assert.equal(thinking.type, "enabled");
  assert.ok(thinking.budget_tokens >= 1024 && thinking.budget_tokens < (body.max_tokens as number), "the budget fits under max_tokens");
  assert.equal(body.temperature, undefined);
});

test("Chat stream: tool-call indexes count tools (not blocks), arguments arrive whole, usage from message_start + message_delta", async () => {
  f.anthropic.enqueue({ kind: "stream", events: splitUsageStream(toolTurn()) });
  const chunks = await collect(await f.client.chat.completions.create({ model: MODELS.anthropic, messages: [{ role: "user", content: "go" }], tools: chatTools, stream: true, stream_options: { include_usage: true } }));
  const s = streamedChat(chunks);
  assert.equal(s.reasoning, "The user wants weather and time.");
  assert.equal(s.text, "Let me check both.");
  assert.deepEqual(s.toolIndexes, [0, 1], "Anthropic blocks 2 and 3 are Chat tool calls 0 and 1");
  assert.deepEqual(s.calls.map((c) => [c.id, c.name, JSON.parse(c.args)]), [
    ["toolu_01Weather", "get_weather", { city: "Paris", units: ["c"] }],
    ["toolu_01Time", "get_time", {}],
  ]);
  assert.deepEqual(s.finishReasons, ["tool_calls"]);
  assert.equal(s.usage?.prompt_tokens, 150);
  assert.equal(s.usage?.prompt_tokens_details?.cached_tokens, 40);
  assert.equal(s.usage?.completion_tokens, 30);

  // The SDK's own accumulator agrees.
  f.anthropic.enqueue({ kind: "stream", events: anthropicStreamEvents(toolTurn()) });
  const final = await f.client.chat.completions.stream({ model: MODELS.anthropic, messages: [{ role: "user", content: "go" }], tools: chatTools }).finalChatCompletion();
  assert.deepEqual(chatToolCalls(final.choices[0].message), [
    ["toolu_01Weather", "get_weather", { city: "Paris", units: ["c"] }],
    ["toolu_01Time", "get_time", {}],
  ]);
});

test("Chat next turn: the calls, both results merged into one user turn right after them, the signature replayed byte for byte", async () => {
  f.anthropic.enqueue({ kind: "json", body: toolTurn() });
  const first = await f.client.chat.completions.create({ model: MODELS.anthropic, messages: [{ role: "user", content: "Weather and time?" }], tools: chatTools, reasoning_effort: "low" });
  const assistant = first.choices[0].message as unknown as ChatCompletionMessageParam;
  await f.client.chat.completions.create({
    model: MODELS.anthropic,
    tools: chatTools,
    reasoning_effort: "low",
    messages: [
      { role: "user", content: "Weather and time?" },
      assistant,
      { role: "tool", tool_call_id: "toolu_01Weather", content: "Sunny, 21C" },
      { role: "tool", tool_call_id: "toolu_01Time", content: [{ type: "text", text: "12:00" }] },
      { role: "user", content: "Thanks, summarise." },
    ],
  });
  const body = upstream();
  assert.deepEqual(body.messages.map((m) => m.role), ["user", "assistant", "user"]);
  assert.deepEqual(body.messages[1].content, [
    { type: "thinking", thinking: "The user wants weather and time.", signature: SIGNATURE },
    { type: "text", text: "Let me check both." },
    { type: "tool_use", id: "toolu_01Weather", name: "get_weather", input: { city: "Paris", units: ["c"] } },
    { type: "tool_use", id: "toolu_01Time", name: "get_time", input: {} },
  ]);
  const turn = body.messages[2].content;
  assert.deepEqual(turn.map((b) => b.type), ["tool_result", "tool_result", "text"], "results first, then the user's text");
  assert.deepEqual(turn.map((b) => b.tool_use_id), ["toolu_01Weather", "toolu_01Time", undefined]);
  assert.equal((body.thinking as { type: string }).type, "enabled", "thinking stays on: the last tool turn carries its thinking");
});

test("Chat: tool_choice required → any, named → tool, parallel_tool_calls false → disable_parallel_tool_use", async () => {
  await f.client.chat.completions.create({ model: MODELS.anthropic, messages: [{ role: "user", content: "x" }], tools: chatTools, tool_choice: "required", parallel_tool_calls: false });
  assert.deepEqual(upstream().tool_choice, { type: "any", disable_parallel_tool_use: true });
  await f.client.chat.completions.create({ model: MODELS.anthropic, messages: [{ role: "user", content: "x" }], tools: chatTools, tool_choice: { type: "function", function: { name: "get_time" } } });
  assert.deepEqual(upstream().tool_choice, { type: "tool", name: "get_time" });
  await f.client.chat.completions.create({ model: MODELS.anthropic, messages: [{ role: "user", content: "x" }], tools: chatTools, tool_choice: "none" });
  assert.deepEqual(upstream().tool_choice, { type: "none" });
  const tools = upstream().tools as Array<{ name: string; input_schema: unknown }>;
  assert.deepEqual(tools[1], { name: "get_time", input_schema: { type: "object", properties: {} } }, "a tool without parameters gets an empty object schema");
});

test("Responses: reasoning item with the signature in encrypted_content; sent back, the signature reaches Anthropic byte for byte", async () => {
  f.anthropic.enqueue({ kind: "json", body: toolTurn() });
  const res = await f.client.responses.create({ model: MODELS.anthropic, input: "Weather and time?", tools: responsesTools, reasoning: { effort: "medium", summary: "auto" }, include: ["reasoning.encrypted_content"], store: false });
  assert.deepEqual(res.output.map((o) => o.type), ["reasoning", "message", "function_call", "function_call"]);
  const reasoning = res.output[0];
  assert.ok(reasoning.type === "reasoning");
  assert.equal(reasoning.summary.map((s) => s.text).join(""), "The user wants weather and time.");
  assert.ok(reasoning.encrypted_content, "the signature travels in encrypted_content");
  assert.equal(res.output_text, "Let me check both.");
  const calls = res.output.flatMap((o) => (o.type === "function_call" ? [[o.call_id, o.name, o.arguments]] : []));
  assert.deepEqual(calls, [
    ["toolu_01Weather", "get_weather", '{"city":"Paris","units":["c"]}'],
    ["toolu_01Time", "get_time", "{}"],
  ]);
  assert.equal(res.usage?.input_tokens, 150);
  assert.equal(res.usage?.input_tokens_details.cached_tokens, 40);
  assert.equal(res.usage?.output_tokens, 30);

  const input: ResponseInputItem[] = [
    { role: "user", content: "Weather and time?" },
    ...(res.output as ResponseInputItem[]),
    { type: "function_call_output", call_id: "toolu_01Weather", output: "Sunny" },
    { type: "function_call_output", call_id: "toolu_01Time", output: "12:00" },
  ];
  await f.client.responses.create({ model: MODELS.anthropic, input, tools: responsesTools, reasoning: { effort: "medium" }, store: false });
  const body = upstream();
  assert.deepEqual(body.messages.map((m) => m.role), ["user", "assistant", "user"]);
  assert.deepEqual(body.messages[1].content[0], { type: "thinking", thinking: "The user wants weather and time.", signature: SIGNATURE });
  assert.deepEqual(body.messages[2].content.map((b) => [b.type, b.tool_use_id, b.content]), [
    ["tool_result", "toolu_01Weather", "Sunny"],
    ["tool_result", "toolu_01Time", "12:00"],
  ]);
});

test("Responses stream: well-formed lifecycle, finalResponse() assembles reasoning, text and calls; redacted thinking replays as redacted_thinking", async () => {
  const m = toolTurn();
  m.content.splice(1, 0, { type: "redacted_thinking", data: REDACTED });
  f.anthropic.enqueue({ kind: "stream", events: splitUsageStream(m) });
  const events = await collect(await f.client.responses.create({ model: MODELS.anthropic, input: "go", tools: responsesTools, stream: true }));
  assertWellFormedResponsesStream(events);
  const argDeltas = events.filter((e) => e.type === "response.function_call_arguments.delta");
  assert.ok(argDeltas.length >= 2, "arguments stream as deltas");
  const done = events.at(-1);
  assert.ok(done?.type === "response.completed");
  assert.equal(done.response.usage?.input_tokens, 150);
  assert.equal(done.response.usage?.input_tokens_details.cached_tokens, 40);

  f.anthropic.enqueue({ kind: "stream", events: anthropicStreamEvents(m) });
  const final = await f.client.responses.stream({ model: MODELS.anthropic, input: "go", tools: responsesTools }).finalResponse();
  assert.deepEqual(final.output.map((o) => o.type), ["reasoning", "reasoning", "message", "function_call", "function_call"]);
  assert.equal(final.output_text, "Let me check both.");

  await f.client.responses.create({ model: MODELS.anthropic, input: [{ role: "user", content: "go" }, ...(final.output as ResponseInputItem[]), { type: "function_call_output", call_id: "toolu_01Weather", output: "x" }, { type: "function_call_output", call_id: "toolu_01Time", output: "y" }] });
  const replayed = upstream().messages[1].content;
  assert.deepEqual(replayed.slice(0, 2), [
    { type: "thinking", thinking: "The user wants weather and time.", signature: SIGNATURE },
    { type: "redacted_thinking", data: REDACTED },
  ]);
});

test("reasoning effort maps to a thinking budget; none turns thinking off", async () => {
  const budgets: number[] = [];
  for (const effort of ["low", "medium", "high"] as const) {
    await f.client.chat.completions.create({ model: MODELS.anthropic, messages: [{ role: "user", content: "x" }], reasoning_effort: effort });
    const t = upstream().thinking as { type: string; budget_tokens: number };
    assert.equal(t.type, "enabled");
    budgets.push(t.budget_tokens);
  }
  assert.ok(budgets[0] < budgets[1] && budgets[1] < budgets[2], `budgets grow with effort: ${budgets}`);
  await f.client.responses.create({ model: MODELS.anthropic, input: "x", reasoning: { effort: "high" }, max_output_tokens: 2000 });
  const body = upstream();
  assert.equal((body.thinking as { type: string }).type, "enabled");
  assert.ok((body.max_tokens as number) > 2000, "the budget comes on top of the visible limit");
  await f.client.responses.create({ model: MODELS.anthropic, input: "x", reasoning: { effort: "none" } });
  assert.notEqual((upstream().thinking as { type?: string } | undefined)?.type, "enabled");
});

test("response_format json_schema → output_config.format; a model without structured outputs answers through a forced tool, returned as text", async () => {
  const schema = { type: "object", properties: { answer: { type: "string" } }, required: ["answer"], additionalProperties: false };
  f.anthropic.enqueue({ kind: "json", body: anthropicMessage(MODEL, [{ type: "text", text: '{"answer":"42"}' }]) });
  const res = await f.client.chat.completions.create({ model: MODELS.anthropic, messages: [{ role: "user", content: "q" }], response_format: { type: "json_schema", json_schema: { name: "answer", schema, strict: true } } });
  assert.deepEqual(JSON.parse(res.choices[0].message.content ?? ""), { answer: "42" });
  const format = (upstream().output_config as { format?: { type: string; schema: unknown } } | undefined)?.format;
  assert.equal(format?.type, "json_schema");
  assert.deepEqual((format?.schema as { properties: unknown }).properties, schema.properties);

  const forced = await f.client.chat.completions.create({ model: "anthropic:claude-3-5-haiku-20241022", messages: [{ role: "user", content: "q" }], response_format: { type: "json_schema", json_schema: { name: "answer", schema } } });
  const body = upstream();
  const tool = (body.tools as Array<{ name: string; input_schema: unknown }>)[0];
  assert.deepEqual(body.tool_choice, { type: "tool", name: tool.name });
  assert.equal(forced.choices[0].finish_reason, "stop");
  assert.equal(forced.choices[0].message.tool_calls, undefined, "the forced tool is not a tool call for the client");
  assert.doesNotThrow(() => JSON.parse(forced.choices[0].message.content ?? ""), "the forced tool's input is the text answer");
});

test("stop reasons: max_tokens → length / incomplete, stop_sequence → stop, refusal → content_filter", async () => {
  const cases: Array<[string, string]> = [
    ["max_tokens", "length"],
    ["stop_sequence", "stop"],
    ["refusal", "content_filter"],
  ];
  for (const [native, chat] of cases) {
    f.anthropic.enqueue({ kind: "json", body: anthropicMessage(MODEL, [{ type: "text", text: "Partial" }], { stopReason: native }) });
    const res = await f.client.chat.completions.create({ model: MODELS.anthropic, messages: [{ role: "user", content: "x" }] });
    assert.equal(res.choices[0].finish_reason, chat, native);
    f.anthropic.enqueue({ kind: "stream", events: anthropicStreamEvents(anthropicMessage(MODEL, [{ type: "text", text: "Partial" }], { stopReason: native })) });
    const s = streamedChat(await collect(await f.client.chat.completions.create({ model: MODELS.anthropic, messages: [{ role: "user", content: "x" }], stream: true })));
    assert.deepEqual(s.finishReasons, [chat], `${native} (stream)`);
  }
  f.anthropic.enqueue({ kind: "json", body: anthropicMessage(MODEL, [{ type: "text", text: "Partial" }], { stopReason: "max_tokens" }) });
  const res = await f.client.responses.create({ model: MODELS.anthropic, input: "x" });
  assert.equal(res.status, "incomplete");
  assert.equal(res.incomplete_details?.reason, "max_output_tokens");
});

test("errors: Anthropic's status, message and Retry-After reach the OpenAI client", async () => {
  f.anthropic.enqueue(anthropicErrorReply(429, "rate_limit_error", "Number of request tokens has exceeded your per-minute rate limit", 17));
  const err = await f.client.chat.completions.create({ model: MODELS.anthropic, messages: [{ role: "user", content: "x" }] }).catch((e: unknown) => e);
  assert.ok(err instanceof APIError);
  const e = err as APIError & { error: { message: string; type: string } };
  assert.equal(e.status, 429);
  assert.equal(e.headers?.get("retry-after"), "17");
  assert.match(e.error.message, /per-minute rate limit/);
  assert.equal(e.error.type, "rate_limit_error");

  f.anthropic.enqueue(anthropicErrorReply(529, "overloaded_error", "Overloaded"));
  const over = (await f.client.responses.create({ model: MODELS.anthropic, input: "x" }).catch((x: unknown) => x)) as { status: number };
  assert.equal(over.status, 529);

  f.anthropic.enqueue(anthropicErrorReply(400, "invalid_request_error", "messages.0.content: bad", undefined));
  const bad = (await f.client.chat.completions.create({ model: MODELS.anthropic, messages: [{ role: "user", content: "x" }], stream: true }).catch((x: unknown) => x)) as { status: number };
  assert.equal(bad.status, 400, "an error before the stream starts is a real HTTP error");
});

test("a mid-stream `event: error` is an error the SDK raises (Chat and Responses), never a silent success", async () => {
  f.anthropic.enqueue({ kind: "stream", events: anthropicStreamError(MODEL) });
  const chat = await f.client.chat.completions.create({ model: MODELS.anthropic, messages: [{ role: "user", content: "x" }], stream: true });
  const seen: string[] = [];
  const chatErr = await (async () => {
    for await (const c of chat) seen.push(c.choices[0]?.delta.content ?? "");
  })().catch((e: unknown) => e);
  assert.ok(chatErr instanceof Error, "the Chat stream raises");
  assert.match(chatErr.message, /Overloaded/);
  assert.equal(seen.join(""), "Partial ", "text sent before the failure arrived first");

  f.anthropic.enqueue({ kind: "stream", events: anthropicStreamError(MODEL, "api_error", "Internal server error") });
  const responses = await f.client.responses.create({ model: MODELS.anthropic, input: "x", stream: true });
  const types: string[] = [];
  const respErr = await (async () => {
    for await (const e of responses) types.push(e.type);
  })().catch((e: unknown) => e);
  assert.ok(respErr instanceof Error, "the Responses stream raises");
  assert.match(respErr.message, /Internal server error/);
  assert.ok(!types.includes("response.completed"));

  f.anthropic.enqueue({ kind: "stream", events: anthropicStreamError(MODEL) });
  await assert.rejects(f.client.responses.stream({ model: MODELS.anthropic, input: "x" }).finalResponse());
});

test("a stream that ends before message_delta / message_stop is an error, not a truncated success", async () => {
  const events = anthropicStreamEvents(anthropicMessage(MODEL, [{ type: "text", text: "one two three four five" }])).slice(0, 6);
  const frames = events.map((e) => `event: ${e.event}\ndata: ${JSON.stringify(e.data)}\n\n`);
  f.anthropic.enqueue({ kind: "raw", status: 200, headers: { "content-type": "text/event-stream" }, body: frames, delayMs: 1 });
  const stream = await f.client.chat.completions.create({ model: MODELS.anthropic, messages: [{ role: "user", content: "x" }], stream: true });
  const seen: string[] = [];
  await assert.rejects(async () => {
    for await (const c of stream) seen.push(c.choices[0]?.delta.content ?? "");
  });
  assert.ok(seen.join("").startsWith("one "), "the text that came is delivered before the error");

  f.anthropic.enqueue({ kind: "stream", events: anthropicStreamEvents(anthropicMessage(MODEL, [{ type: "text", text: "one two three four five" }])), cutAfter: 6 });
  await assert.rejects(async () => collect(await f.client.responses.create({ model: MODELS.anthropic, input: "x", stream: true })), "a reset connection is an error too");
});

test("forced-tool structured output streams back as text, finish stop", async () => {
  const schema = { type: "object", properties: { answer: { type: "string" } }, required: ["answer"] };
  const stream = await f.client.chat.completions.create({ model: "anthropic:claude-3-5-haiku-20241022", messages: [{ role: "user", content: "q" }], stream: true, response_format: { type: "json_schema", json_schema: { name: "answer", schema } } });
  const s = streamedChat(await collect(stream));
  assert.equal(s.calls.length, 0);
  assert.deepEqual(JSON.parse(s.text), {}, "the fake's forced call has empty input: the answer is that JSON");
  assert.deepEqual(s.finishReasons, ["stop"]);
});

test("pings and SSE comments are ignored", async () => {
  const events = anthropicStreamEvents(anthropicMessage(MODEL, [{ type: "text", text: "pong back" }]));
  const frames = events.flatMap((e, i) => [`event: ${e.event}\ndata: ${JSON.stringify(e.data)}\n\n`, ...(i === 1 ? [": keep-alive comment\n\n", 'event: ping\ndata: {"type": "ping"}\n\n'] : [])]);
  f.anthropic.enqueue({ kind: "raw", status: 200, headers: { "content-type": "text/event-stream" }, body: frames, delayMs: 1 });
  const s = streamedChat(await collect(await f.client.chat.completions.create({ model: MODELS.anthropic, messages: [{ role: "user", content: "x" }], stream: true })));
  assert.equal(s.text, "pong back");
  assert.deepEqual(s.finishReasons, ["stop"]);
});
