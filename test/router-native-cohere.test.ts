import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { APIError } from "openai";
import type { ChatCompletionMessageParam, ChatCompletionTool } from "openai/resources/chat/completions";
import type { FunctionTool, ResponseInputItem } from "openai/resources/responses/responses";
import type { NativeEvent } from "../adapters/types.ts";
import { cohereChatStream, cohereError } from "./fake-upstreams/cohere.ts";
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

const REASONING_MODEL = "cohere:command-a-reasoning-08-2025";
const THINKING = "The user wants weather and time.";
const usage = { billed_units: { input_tokens: 100, output_tokens: 40 }, tokens: { input_tokens: 600, output_tokens: 40 }, cached_tokens: 500 };

/** A Chat v2 response: thinking, a plan, two parallel calls (one without arguments). */
function toolTurn(): Record<string, unknown> {
  return {
    id: "c9f1a0de-7b2c-4f60-9d7e-0a1b2c3d4e5f",
    message: {
      role: "assistant",
      content: [{ type: "thinking", thinking: THINKING }],
      tool_plan: "I will look up both.",
      tool_calls: [
        { id: "get_weather_7x2kq9", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } },
        { id: "get_time_p4m1z8", type: "function", function: { name: "get_time", arguments: "{}" } },
      ],
    },
    finish_reason: "TOOL_CALL",
    usage,
  };
}

/** The same turn as Cohere streams it (event names as frame types, then [DONE]). */
function toolTurnStream(): NativeEvent[] {
  const frames: Array<Record<string, unknown>> = [
    { id: "c9f1a0de-7b2c-4f60-9d7e-0a1b2c3d4e5f", type: "message-start", delta: { message: { role: "assistant", content: [], tool_plan: "", tool_calls: [], citations: [] } } },
    { type: "content-start", index: 0, delta: { message: { content: { type: "thinking", thinking: "" } } } },
    { type: "content-delta", index: 0, delta: { message: { content: { thinking: "The user wants " } } } },
    { type: "content-delta", index: 0, delta: { message: { content: { thinking: "weather and time." } } } },
    { type: "content-end", index: 0 },
    { type: "tool-plan-delta", delta: { message: { tool_plan: "I will look " } } },
    { type: "tool-plan-delta", delta: { message: { tool_plan: "up both." } } },
    { type: "tool-call-start", index: 0, delta: { message: { tool_calls: { id: "get_weather_7x2kq9", type: "function", function: { name: "get_weather", arguments: "" } } } } },
    { type: "tool-call-delta", index: 0, delta: { message: { tool_calls: { function: { arguments: '{"ci' } } } } },
    { type: "tool-call-delta", index: 0, delta: { message: { tool_calls: { function: { arguments: 'ty":"Paris"}' } } } } },
    { type: "tool-call-end", index: 0 },
    { type: "tool-call-start", index: 1, delta: { message: { tool_calls: { id: "get_time_p4m1z8", type: "function", function: { name: "get_time", arguments: "" } } } } },
    { type: "tool-call-delta", index: 1, delta: { message: { tool_calls: { function: { arguments: "{}" } } } } },
    { type: "tool-call-end", index: 1 },
    { type: "message-end", delta: { finish_reason: "TOOL_CALL", usage } },
  ];
  return [...frames.map((data) => ({ event: data.type as string, data })), { data: "[DONE]" }];
}

const chatTools: ChatCompletionTool[] = [
  { type: "function", function: { name: "get_weather", description: "Weather", parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] } } },
  { type: "function", function: { name: "get_time" } },
];
const responsesTools: FunctionTool[] = [
  { type: "function", name: "get_weather", parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] }, strict: false },
  { type: "function", name: "get_time", parameters: null, strict: false },
];

type Sent = { model: string; stream?: boolean; messages: Array<Record<string, unknown> & { role: string }>; tools?: Array<{ function: { name: string; parameters: unknown } }>; [k: string]: unknown };
const sent = () => f.cohere.last().json as Sent;

test("text through Chat and Responses, stream and not: /v2/chat with the key; usage with cached tokens", async () => {
  const chat = await f.client.chat.completions.create({ model: MODELS.cohere, messages: [{ role: "user", content: "hi cohere" }] });
  assert.equal(chat.choices[0].message.content, "Hello! You said: hi cohere");
  assert.equal(chat.choices[0].finish_reason, "stop");
  assert.equal(chat.usage?.prompt_tokens, 508, "the tokens the model saw, not the billed ones");
  assert.equal(chat.usage?.prompt_tokens_details?.cached_tokens, 448);
  const up = f.cohere.last();
  assert.equal(up.url, "/v2/chat");
  assert.equal(up.headers.authorization, "Bearer co-router");
  assert.equal(sent().model, "command-a-03-2025");

  const s = streamedChat(await collect(await f.client.chat.completions.create({ model: MODELS.cohere, messages: [{ role: "user", content: "stream it" }], stream: true, stream_options: { include_usage: true } })));
  assert.equal(s.text, "Hello! You said: stream it");
  assert.deepEqual(s.finishReasons, ["stop"]);
  assert.equal(s.usage?.prompt_tokens_details?.cached_tokens, 448);
  assert.equal(sent().stream, true);

  const res = await f.client.responses.create({ model: MODELS.cohere, input: "hi responses" });
  assert.equal(res.output_text, "Hello! You said: hi responses");
  const events = await collect(await f.client.responses.create({ model: MODELS.cohere, input: "stream responses", stream: true }));
  assertWellFormedResponsesStream(events);
  assert.equal(events.flatMap((e) => (e.type === "response.output_text.delta" ? [e.delta] : [])).join(""), "Hello! You said: stream responses");
});

test("system and developer messages anywhere → one leading system message; images; sampling parameters", async () => {
  await f.client.chat.completions.create({
    model: MODELS.cohere,
    messages: [
      { role: "system", content: "You are terse." },
      { role: "user", content: [{ type: "text", text: "What is here?" }, { type: "image_url", image_url: { url: "https://example.com/cat.png", detail: "low" } }, { type: "image_url", image_url: { url: "data:image/png;base64,iVBORw0KGgo=" } }] },
      { role: "assistant", content: "A cat." },
      { role: "developer", content: "Answer in French." },
      { role: "user", content: "And now?" },
    ],
    temperature: 0.3,
    top_p: 0.75,
    seed: 11,
    stop: ["END"],
    max_tokens: 200,
  });
  const body = sent();
  assert.deepEqual(body.messages.map((m) => m.role), ["system", "user", "assistant", "user"]);
  assert.deepEqual(body.messages[0].content, [{ type: "text", text: "You are terse." }, { type: "text", text: "Answer in French." }]);
  assert.deepEqual(body.messages[1].content, [
    { type: "text", text: "What is here?" },
    { type: "image_url", image_url: { url: "https://example.com/cat.png", detail: "low" } },
    { type: "image_url", image_url: { url: "data:image/png;base64,iVBORw0KGgo=" } },
  ]);
  assert.equal(body.temperature, 0.3);
  assert.equal(body.p, 0.75);
  assert.equal(body.seed, 11);
  assert.deepEqual(body.stop_sequences, ["END"]);
  assert.equal(body.max_tokens, 200);
});

test("tools and tool_choice: no-arg tools get an empty object schema; required → REQUIRED; named → REQUIRED with only that tool", async () => {
  const res = await f.client.chat.completions.create({ model: MODELS.cohere, messages: [{ role: "user", content: "x" }], tools: chatTools, tool_choice: "required" });
  const body = sent();
  assert.equal(body.tool_choice, "REQUIRED");
  assert.deepEqual(body.tools?.[1], { type: "function", function: { name: "get_time", parameters: { type: "object", properties: {} } } });
  assert.deepEqual(chatToolCalls(res.choices[0].message).map(([, name, args]) => [name, args]), [["get_weather", {}]]);
  assert.equal(res.choices[0].finish_reason, "tool_calls");
  await f.client.chat.completions.create({ model: MODELS.cohere, messages: [{ role: "user", content: "x" }], tools: chatTools, tool_choice: { type: "function", function: { name: "get_time" } } });
  assert.equal(sent().tool_choice, "REQUIRED");
  assert.deepEqual(sent().tools?.map((t) => t.function.name), ["get_time"]);
  await f.client.chat.completions.create({ model: MODELS.cohere, messages: [{ role: "user", content: "x" }], tools: chatTools, tool_choice: "none" });
  assert.equal(sent().tool_choice, "NONE");
});

test("Chat: thinking and plan as reasoning_content, parallel + no-arg calls; next turn: results after the calls, thinking replayed", async () => {
  f.cohere.enqueue({ kind: "json", body: toolTurn() });
  const res = await f.client.chat.completions.create({ model: REASONING_MODEL, messages: [{ role: "user", content: "Weather and time?" }], tools: chatTools, reasoning_effort: "medium" });
  const msg = res.choices[0].message;
  assert.ok(chatReasoning(msg)?.includes(THINKING));
  assert.ok(chatReasoning(msg)?.includes("I will look up both."));
  assert.deepEqual(chatToolCalls(msg), [
    ["get_weather_7x2kq9", "get_weather", { city: "Paris" }],
    ["get_time_p4m1z8", "get_time", {}],
  ]);
  assert.equal(res.choices[0].finish_reason, "tool_calls");
  assert.equal(res.usage?.prompt_tokens, 600);
  assert.equal(res.usage?.prompt_tokens_details?.cached_tokens, 500);
  assert.equal(res.usage?.completion_tokens, 40);
  assert.deepEqual(sent().thinking, { type: "enabled", token_budget: 8192 });

  await f.client.chat.completions.create({
    model: REASONING_MODEL,
    tools: chatTools,
    messages: [
      { role: "user", content: "Weather and time?" },
      msg as unknown as ChatCompletionMessageParam,
      { role: "tool", tool_call_id: "get_weather_7x2kq9", content: "Sunny" },
      { role: "tool", tool_call_id: "get_time_p4m1z8", content: "12:00" },
    ],
  });
  const body = sent();
  assert.deepEqual(body.messages.map((m) => m.role), ["user", "assistant", "tool", "tool"]);
  const assistant = body.messages[1] as unknown as { content: Array<{ type: string; thinking?: string }>; tool_calls: Array<{ id: string; function: { arguments: string } }> };
  assert.ok(assistant.content.some((c) => c.type === "thinking" && c.thinking?.includes(THINKING)), "the reasoning model gets its thinking back");
  assert.deepEqual(assistant.tool_calls.map((c) => [c.id, c.function.arguments]), [["get_weather_7x2kq9", '{"city":"Paris"}'], ["get_time_p4m1z8", "{}"]]);
  assert.deepEqual(body.messages.slice(2).map((m) => [m.tool_call_id, m.content]), [["get_weather_7x2kq9", "Sunny"], ["get_time_p4m1z8", "12:00"]]);
});

test("Chat stream: thinking and plan stream as reasoning, per-tool indexes, partial arguments accumulated, usage at the end", async () => {
  f.cohere.enqueue({ kind: "stream", events: toolTurnStream() });
  const s = streamedChat(await collect(await f.client.chat.completions.create({ model: REASONING_MODEL, messages: [{ role: "user", content: "go" }], tools: chatTools, stream: true, stream_options: { include_usage: true } })));
  assert.ok(s.reasoning.includes(THINKING) && s.reasoning.includes("I will look up both."));
  assert.equal(s.text, "");
  assert.deepEqual(s.toolIndexes, [0, 1]);
  assert.deepEqual(s.calls.map((c) => [c.id, c.name, c.args]), [["get_weather_7x2kq9", "get_weather", '{"city":"Paris"}'], ["get_time_p4m1z8", "get_time", "{}"]]);
  assert.deepEqual(s.finishReasons, ["tool_calls"]);
  assert.equal(s.usage?.prompt_tokens, 600);
  assert.equal(s.usage?.prompt_tokens_details?.cached_tokens, 500);
});

test("Responses (stream and not): thinking as reasoning items; sent back, the reasoning model gets its thinking text again", async () => {
  f.cohere.enqueue({ kind: "json", body: toolTurn() });
  const res = await f.client.responses.create({ model: REASONING_MODEL, input: "Weather and time?", tools: responsesTools, reasoning: { effort: "low", summary: "auto" } });
  assert.ok(res.output.some((o) => o.type === "reasoning" && o.summary.some((p) => p.text === THINKING)));
  assert.deepEqual(res.output.flatMap((o) => (o.type === "function_call" ? [[o.call_id, o.arguments]] : [])), [["get_weather_7x2kq9", '{"city":"Paris"}'], ["get_time_p4m1z8", "{}"]]);
  assert.equal(res.usage?.input_tokens_details.cached_tokens, 500);

  f.cohere.enqueue({ kind: "stream", events: toolTurnStream() });
  const stream = f.client.responses.stream({ model: REASONING_MODEL, input: "Weather and time?", tools: responsesTools });
  const events: unknown[] = [];
  stream.on("event", (e) => events.push(e));
  const final = await stream.finalResponse();
  assertWellFormedResponsesStream(events as never);
  assert.deepEqual(final.output.filter((o) => o.type === "function_call").length, 2);

  for (const output of [res.output, final.output]) {
    const input: ResponseInputItem[] = [
      { role: "user", content: "Weather and time?" },
      ...(output as ResponseInputItem[]),
      { type: "function_call_output", call_id: "get_weather_7x2kq9", output: "Sunny" },
      { type: "function_call_output", call_id: "get_time_p4m1z8", output: "12:00" },
    ];
    await f.client.responses.create({ model: REASONING_MODEL, input, tools: responsesTools });
    const body = sent();
    assert.deepEqual(body.messages.map((m) => m.role), ["user", "assistant", "tool", "tool"]);
    const content = (body.messages[1].content ?? []) as Array<{ type: string; thinking?: string }>;
    assert.ok(content.some((c) => c.type === "thinking" && c.thinking === THINKING), `thinking replayed: ${JSON.stringify(body.messages[1])}`);
  }
});

test("reasoning effort → thinking budget for reasoning models only; none turns it off", async () => {
  const budgets: number[] = [];
  for (const effort of ["low", "medium", "high"] as const) {
    await f.client.chat.completions.create({ model: REASONING_MODEL, messages: [{ role: "user", content: "x" }], reasoning_effort: effort });
    budgets.push((sent().thinking as { token_budget: number }).token_budget);
  }
  assert.ok(budgets[0] < budgets[1] && budgets[1] < budgets[2], `budgets grow with effort: ${budgets}`);
  await f.client.responses.create({ model: REASONING_MODEL, input: "x", reasoning: { effort: "none" } });
  assert.deepEqual(sent().thinking, { type: "disabled" });
  await f.client.chat.completions.create({ model: MODELS.cohere, messages: [{ role: "user", content: "x" }], reasoning_effort: "high" });
  assert.equal(sent().thinking, undefined, "a model that does not think gets no thinking field");
});

test("response_format json_schema → json_object with the schema; beside tools, an answer tool whose call comes back as text", async () => {
  const schema = { type: "object", properties: { answer: { type: "string" } }, required: ["answer"] };
  f.cohere.enqueue({ kind: "json", body: { id: "x", message: { role: "assistant", content: [{ type: "text", text: '{"answer":"42"}' }] }, finish_reason: "COMPLETE", usage } });
  const res = await f.client.chat.completions.create({ model: MODELS.cohere, messages: [{ role: "user", content: "q" }], response_format: { type: "json_schema", json_schema: { name: "answer", schema } } });
  assert.deepEqual(sent().response_format, { type: "json_object", json_schema: schema });
  assert.deepEqual(JSON.parse(res.choices[0].message.content ?? ""), { answer: "42" });

  await f.client.responses.create({ model: MODELS.cohere, input: "q", tools: responsesTools, text: { format: { type: "json_schema", name: "answer", schema } } });
  const body = sent();
  assert.equal(body.response_format, undefined, "Cohere refuses response_format beside tools");
  assert.equal(body.tools?.length, 3, "the answer tool joins the client's tools");
});

test("stop reasons through the table", async () => {
  for (const [native, chat] of [["COMPLETE", "stop"], ["STOP_SEQUENCE", "stop"], ["MAX_TOKENS", "length"], ["TIMEOUT", "length"]] as const) {
    f.cohere.enqueue({ kind: "json", body: { id: "x", message: { role: "assistant", content: [{ type: "text", text: "Partial" }] }, finish_reason: native, usage } });
    const res = await f.client.chat.completions.create({ model: MODELS.cohere, messages: [{ role: "user", content: "x" }] });
    assert.equal(res.choices[0].finish_reason, chat, native);
    const events = cohereChatStream("Partial answer").map((e) => {
      const d = e.data as Record<string, unknown>;
      return d.type === "message-end" ? { ...e, data: { ...d, delta: { finish_reason: native, usage } } } : e;
    });
    f.cohere.enqueue({ kind: "stream", events });
    const s = streamedChat(await collect(await f.client.chat.completions.create({ model: MODELS.cohere, messages: [{ role: "user", content: "x" }], stream: true })));
    assert.deepEqual(s.finishReasons, [chat], `${native} (stream)`);
  }
});

test("errors: status, message and Retry-After kept; a stream that ends in ERROR or before message-end raises", async () => {
  f.cohere.enqueue(cohereError(429, "You are using a Trial key, which is limited to 10 API calls / minute.", { "retry-after": "6" }));
  const err = await f.client.chat.completions.create({ model: MODELS.cohere, messages: [{ role: "user", content: "x" }] }).catch((e: unknown) => e);
  assert.ok(err instanceof APIError);
  assert.equal(err.status, 429);
  assert.equal(err.headers?.get("retry-after"), "6");
  assert.match(err.message, /Trial key/);

  f.cohere.enqueue(cohereError(400, "invalid request: message must be at least 1 token long"));
  const bad = await f.client.responses.create({ model: MODELS.cohere, input: "x", stream: true }).catch((e: unknown) => e);
  assert.ok(bad instanceof APIError && bad.status === 400 && /at least 1 token/.test(bad.message));

  const frames = cohereChatStream("one two three");
  const failing = frames.map((e) => {
    const d = e.data as Record<string, unknown>;
    return d.type === "message-end" ? { ...e, data: { ...d, delta: { finish_reason: "ERROR", error: "internal server error, this has been reported to our developers" } } } : e;
  });
  f.cohere.enqueue({ kind: "stream", events: failing });
  const seen: string[] = [];
  await assert.rejects(async () => {
    for await (const c of await f.client.chat.completions.create({ model: MODELS.cohere, messages: [{ role: "user", content: "x" }], stream: true })) seen.push(c.choices[0]?.delta.content ?? "");
  });
  assert.equal(seen.join(""), "one two three");

  f.cohere.enqueue({ kind: "stream", events: frames.slice(0, 4) });
  await assert.rejects(f.client.responses.stream({ model: MODELS.cohere, input: "x" }).finalResponse());
});
