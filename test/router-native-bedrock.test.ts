import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import OpenAI, { APIError } from "openai";
import type { ChatCompletionMessageParam, ChatCompletionTool } from "openai/resources/chat/completions";
import type { FunctionTool, ResponseInputItem } from "openai/resources/responses/responses";
import type { NativeEvent } from "../adapters/types.ts";
import { bedrockErrorReply, converseStream } from "./fake-upstreams/bedrock.ts";
import {
  assertWellFormedResponsesStream,
  AWS_KEYS,
  BEDROCK_API_KEY,
  BEDROCK_API_KEY_KEY,
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

/** A Claude model on Bedrock that thinks (the 3.5 Sonnet cannot). */
const THINKING_MODEL = "bedrock:us.anthropic.claude-sonnet-4-5-20250929-v1:0";
const SIGNATURE = "ErcBCkgIAxABGAIiQL+bedrock/signature==";

/** Both ways a Bedrock credential authenticates: AWS keys (SigV4, checked by the fake) and a Bedrock API key. */
const AUTHS = [
  { name: "SigV4", client: () => f.client, check: (h: string) => assert.match(h, new RegExp(`^AWS4-HMAC-SHA256 Credential=${AWS_KEYS.accessKeyId}/\\d{8}/us-east-1/bedrock/aws4_request, `)) },
  { name: "API key", client: () => f.clientFor(BEDROCK_API_KEY_KEY), check: (h: string) => assert.equal(h, `Bearer ${BEDROCK_API_KEY}`) },
] as const;

type Block = Record<string, unknown>;
const usage = { inputTokens: 100, cacheReadInputTokens: 40, cacheWriteInputTokens: 10, outputTokens: 30, totalTokens: 180 };

/** A Converse response: signed reasoning, text, two parallel calls (one without input). */
function toolTurn(): Record<string, unknown> {
  return {
    output: {
      message: {
        role: "assistant",
        content: [
          { reasoningContent: { reasoningText: { text: "Weather and time, both.", signature: SIGNATURE } } },
          { text: "Checking both." },
          { toolUse: { toolUseId: "tooluse_W1", name: "get_weather", input: { city: "Paris", units: ["c"] } } },
          { toolUse: { toolUseId: "tooluse_T2", name: "get_time", input: {} } },
        ],
      },
    },
    stopReason: "tool_use",
    usage,
    metrics: { latencyMs: 812 },
  };
}

/** The same turn as ConverseStream events: reasoning text then its signature, text, calls with input in fragments, metadata last. */
function toolTurnStream(): NativeEvent[] {
  const delta = (i: number, d: Block) => ({ event: "contentBlockDelta", data: { contentBlockIndex: i, delta: d } });
  const stop = (i: number) => ({ event: "contentBlockStop", data: { contentBlockIndex: i } });
  return [
    { event: "messageStart", data: { role: "assistant" } },
    delta(0, { reasoningContent: { text: "Weather and time, " } }),
    delta(0, { reasoningContent: { text: "both." } }),
    delta(0, { reasoningContent: { signature: SIGNATURE } }),
    stop(0),
    delta(1, { text: "Checking " }),
    delta(1, { text: "both." }),
    stop(1),
    { event: "contentBlockStart", data: { contentBlockIndex: 2, start: { toolUse: { toolUseId: "tooluse_W1", name: "get_weather" } } } },
    delta(2, { toolUse: { input: '{"city": "Pa' } }),
    delta(2, { toolUse: { input: 'ris", "units": ["c"]}' } }),
    stop(2),
    { event: "contentBlockStart", data: { contentBlockIndex: 3, start: { toolUse: { toolUseId: "tooluse_T2", name: "get_time" } } } },
    stop(3),
    { event: "messageStop", data: { stopReason: "tool_use" } },
    { event: "metadata", data: { usage, metrics: { latencyMs: 640 } } },
  ];
}

const chatTools: ChatCompletionTool[] = [
  { type: "function", function: { name: "get_weather", parameters: { type: "object", properties: { city: { type: "string" }, units: { type: "array", items: { type: "string" } } }, required: ["city"] } } },
  { type: "function", function: { name: "get_time" } },
];
const responsesTools: FunctionTool[] = [
  { type: "function", name: "get_weather", parameters: { type: "object", properties: { city: { type: "string" } } }, strict: false },
  { type: "function", name: "get_time", parameters: null, strict: false },
];

type Sent = {
  messages: Array<{ role: string; content: Block[] }>;
  system?: Block[];
  inferenceConfig?: Record<string, unknown>;
  toolConfig?: { tools: Array<{ toolSpec: Block }>; toolChoice?: unknown };
  additionalModelRequestFields?: Record<string, unknown>;
  outputConfig?: unknown;
};
const sent = () => f.bedrock.last().json as Sent;
const modelPath = (model: string, op: string) => `/model/${encodeURIComponent(model.slice("bedrock:".length))}/${op}`;

for (const auth of AUTHS) {
  test(`${auth.name}: Chat and Responses, stream and not, reach Converse / ConverseStream signed`, async () => {
    const client = auth.client();
    const chat = await client.chat.completions.create({ model: MODELS.bedrock, messages: [{ role: "user", content: "hi bedrock" }] });
    assert.equal(chat.choices[0].message.content, "Hello! You said: hi bedrock");
    assert.equal(chat.choices[0].finish_reason, "stop");
    assert.equal(f.bedrock.last().url, modelPath(MODELS.bedrock, "converse"));
    auth.check(String(f.bedrock.last().headers.authorization));

    const s = streamedChat(await collect(await client.chat.completions.create({ model: MODELS.bedrock, messages: [{ role: "user", content: "stream it" }], stream: true, stream_options: { include_usage: true } })));
    assert.equal(s.text, "Hello! You said: stream it");
    assert.deepEqual(s.finishReasons, ["stop"]);
    assert.equal(s.usage?.prompt_tokens, 12, "usage from the metadata event after messageStop");
    assert.equal(f.bedrock.last().url, modelPath(MODELS.bedrock, "converse-stream"));
    auth.check(String(f.bedrock.last().headers.authorization));

    const res = await client.responses.create({ model: MODELS.bedrock, input: "hi responses" });
    assert.equal(res.output_text, "Hello! You said: hi responses");
    const events = await collect(await client.responses.create({ model: MODELS.bedrock, input: "stream responses", stream: true }));
    assertWellFormedResponsesStream(events);
    const done = events.at(-1);
    assert.ok(done?.type === "response.completed" && done.response.usage?.input_tokens === 12);
    auth.check(String(f.bedrock.last().headers.authorization));
  });
}

test("system and developer messages anywhere → system[]; data: images as bytes; an http image URL is a 400 that says why", async () => {
  await f.client.chat.completions.create({
    model: MODELS.bedrock,
    messages: [
      { role: "system", content: "You are terse." },
      { role: "user", content: [{ type: "text", text: "What is this?" }, { type: "image_url", image_url: { url: "data:image/png;base64,iVBORw0KGgo=" } }] },
      { role: "assistant", content: "A picture." },
      { role: "developer", content: "Answer in French." },
      { role: "user", content: "And now?" },
    ],
    max_tokens: 300,
    temperature: 0.2,
    top_p: 0.9,
    stop: ["END"],
  });
  const body = sent();
  assert.deepEqual(body.system, [{ text: "You are terse." }, { text: "Answer in French." }]);
  assert.deepEqual(body.messages.map((m) => m.role), ["user", "assistant", "user"]);
  assert.deepEqual(body.messages[0].content[1], { image: { format: "png", source: { bytes: "iVBORw0KGgo=" } } });
  assert.deepEqual(body.inferenceConfig, { maxTokens: 300, temperature: 0.2, topP: 0.9, stopSequences: ["END"] });

  const before = f.bedrock.requests.length;
  const err = await f.client.chat.completions
    .create({ model: MODELS.bedrock, messages: [{ role: "user", content: [{ type: "image_url", image_url: { url: "https://example.com/cat.png" } }] }] })
    .catch((e: unknown) => e);
  assert.ok(err instanceof APIError);
  assert.equal(err.status, 400);
  assert.match(err.message, /URL/);
  assert.equal(f.bedrock.requests.length, before, "nothing was sent upstream");
});

test("Chat: signed reasoning, text, parallel + no-arg calls, usage with cache; next turn merges results and replays the signature", async () => {
  f.bedrock.enqueue({ kind: "json", body: toolTurn() });
  const res = await f.client.chat.completions.create({ model: THINKING_MODEL, messages: [{ role: "user", content: "Weather and time?" }], tools: chatTools, reasoning_effort: "medium" });
  const msg = res.choices[0].message;
  assert.equal(chatReasoning(msg), "Weather and time, both.");
  assert.equal(msg.content, "Checking both.");
  assert.deepEqual(chatToolCalls(msg), [
    ["tooluse_W1", "get_weather", { city: "Paris", units: ["c"] }],
    ["tooluse_T2", "get_time", {}],
  ]);
  assert.equal(res.choices[0].finish_reason, "tool_calls");
  assert.equal(res.usage?.prompt_tokens, 150, "input + cache read + cache write");
  assert.equal(res.usage?.prompt_tokens_details?.cached_tokens, 40);
  assert.equal(res.usage?.completion_tokens, 30);
  assert.equal(res.usage?.total_tokens, 180);
  const first = sent();
  const thinking = first.additionalModelRequestFields?.thinking as { type: string; budget_tokens: number };
  assert.equal(thinking.type, "enabled");
  assert.ok((first.inferenceConfig?.maxTokens as number) > thinking.budget_tokens, "maxTokens leaves room past the budget");

  await f.client.chat.completions.create({
    model: THINKING_MODEL,
    tools: chatTools,
    reasoning_effort: "medium",
    messages: [
      { role: "user", content: "Weather and time?" },
      msg as unknown as ChatCompletionMessageParam,
      { role: "tool", tool_call_id: "tooluse_W1", content: "Sunny" },
      { role: "tool", tool_call_id: "tooluse_T2", content: "12:00" },
      { role: "user", content: "Summarise." },
    ],
  });
  const body = sent();
  assert.deepEqual(body.messages.map((m) => m.role), ["user", "assistant", "user"]);
  assert.deepEqual(body.messages[1].content, [
    { reasoningContent: { reasoningText: { text: "Weather and time, both.", signature: SIGNATURE } } },
    { text: "Checking both." },
    { toolUse: { toolUseId: "tooluse_W1", name: "get_weather", input: { city: "Paris", units: ["c"] } } },
    { toolUse: { toolUseId: "tooluse_T2", name: "get_time", input: {} } },
  ]);
  assert.deepEqual(body.messages[2].content.map((b) => Object.keys(b)[0]), ["toolResult", "toolResult", "text"]);
  assert.deepEqual(body.messages[2].content.slice(0, 2).map((b) => (b.toolResult as { toolUseId: string }).toolUseId), ["tooluse_W1", "tooluse_T2"]);
});

test("Chat stream: reasoning then signature, per-tool indexes, partial input accumulated, usage from metadata", async () => {
  f.bedrock.enqueue({ kind: "stream", events: toolTurnStream() });
  const s = streamedChat(await collect(await f.client.chat.completions.create({ model: THINKING_MODEL, messages: [{ role: "user", content: "go" }], tools: chatTools, stream: true, stream_options: { include_usage: true } })));
  assert.equal(s.reasoning, "Weather and time, both.");
  assert.equal(s.text, "Checking both.");
  assert.deepEqual(s.toolIndexes, [0, 1]);
  assert.deepEqual(s.calls.map((c) => [c.id, c.name, JSON.parse(c.args)]), [
    ["tooluse_W1", "get_weather", { city: "Paris", units: ["c"] }],
    ["tooluse_T2", "get_time", {}],
  ]);
  assert.equal(s.calls[0].args, '{"city": "Paris", "units": ["c"]}', "the model's own JSON text, unparsed");
  assert.deepEqual(s.finishReasons, ["tool_calls"]);
  assert.equal(s.usage?.prompt_tokens, 150);
  assert.equal(s.usage?.prompt_tokens_details?.cached_tokens, 40);
  assert.ok(s.reasoningDetails.some((d) => d.signature === SIGNATURE), "the signature reaches a Chat client");
});

test("Responses (stream and not): reasoning items carry the signature; sent back, Bedrock gets it byte for byte", async () => {
  f.bedrock.enqueue({ kind: "json", body: toolTurn() });
  const res = await f.client.responses.create({ model: THINKING_MODEL, input: "Weather and time?", tools: responsesTools, reasoning: { effort: "low" } });
  assert.deepEqual(res.output.map((o) => o.type), ["reasoning", "message", "function_call", "function_call"]);
  assert.equal(res.usage?.input_tokens, 150);
  assert.equal(res.usage?.input_tokens_details.cached_tokens, 40);

  f.bedrock.enqueue({ kind: "stream", events: toolTurnStream() });
  const stream = f.client.responses.stream({ model: THINKING_MODEL, input: "Weather and time?", tools: responsesTools, reasoning: { effort: "low" } });
  const events: unknown[] = [];
  stream.on("event", (e) => events.push(e));
  const final = await stream.finalResponse();
  assertWellFormedResponsesStream(events as never);
  assert.deepEqual(final.output.map((o) => o.type), ["reasoning", "message", "function_call", "function_call"]);
  assert.deepEqual(final.output.flatMap((o) => (o.type === "function_call" ? [o.arguments] : [])), ['{"city": "Paris", "units": ["c"]}', "{}"]);

  for (const output of [res.output, final.output]) {
    const input: ResponseInputItem[] = [
      { role: "user", content: "Weather and time?" },
      ...(output as ResponseInputItem[]),
      { type: "function_call_output", call_id: "tooluse_W1", output: "Sunny" },
      { type: "function_call_output", call_id: "tooluse_T2", output: "12:00" },
    ];
    await f.client.responses.create({ model: THINKING_MODEL, input, tools: responsesTools, reasoning: { effort: "low" } });
    const body = sent();
    assert.deepEqual(body.messages[1].content[0], { reasoningContent: { reasoningText: { text: "Weather and time, both.", signature: SIGNATURE } } });
    assert.deepEqual(body.messages[2].content.map((b) => Object.keys(b)[0]), ["toolResult", "toolResult"]);
  }
});

test("tool_choice: required → any, named → tool; parallel_tool_calls false → Claude's disable_parallel_tool_use", async () => {
  await f.client.chat.completions.create({ model: MODELS.bedrock, messages: [{ role: "user", content: "x" }], tools: chatTools, tool_choice: "required" });
  const body = sent();
  assert.deepEqual(body.toolConfig?.toolChoice, { any: {} });
  assert.deepEqual(body.toolConfig?.tools.map((t) => t.toolSpec.name), ["get_weather", "get_time"]);
  assert.deepEqual(body.toolConfig?.tools[1].toolSpec.inputSchema, { json: { type: "object", properties: {} } });
  await f.client.chat.completions.create({ model: MODELS.bedrock, messages: [{ role: "user", content: "x" }], tools: chatTools, tool_choice: { type: "function", function: { name: "get_time" } } });
  assert.deepEqual(sent().toolConfig?.toolChoice, { tool: { name: "get_time" } });
  await f.client.chat.completions.create({ model: MODELS.bedrock, messages: [{ role: "user", content: "x" }], tools: chatTools, parallel_tool_calls: false });
  assert.deepEqual(sent().additionalModelRequestFields?.tool_choice, { type: "auto", disable_parallel_tool_use: true });
});

test("reasoning effort → Claude's thinking budget; a model that cannot think gets none", async () => {
  const budgets: number[] = [];
  for (const effort of ["low", "medium", "high"] as const) {
    await f.client.chat.completions.create({ model: THINKING_MODEL, messages: [{ role: "user", content: "x" }], reasoning_effort: effort, temperature: 0.5 });
    const body = sent();
    budgets.push((body.additionalModelRequestFields?.thinking as { budget_tokens: number }).budget_tokens);
    assert.equal(body.inferenceConfig?.temperature, undefined, "Claude refuses temperature with thinking on");
  }
  assert.ok(budgets[0] < budgets[1] && budgets[1] < budgets[2], `budgets grow with effort: ${budgets}`);
  await f.client.responses.create({ model: MODELS.bedrock, input: "x", reasoning: { effort: "high" } });
  assert.equal(sent().additionalModelRequestFields?.thinking, undefined, "Claude 3.5 Sonnet has no extended thinking");
});

test("response_format json_schema → a forced tool whose input comes back as the text answer (stream and not); with thinking, outputConfig", async () => {
  const schema = { type: "object", properties: { answer: { type: "string" } }, required: ["answer"] };
  const format = { type: "json_schema" as const, json_schema: { name: "answer", schema } };
  f.bedrock.enqueue({ kind: "json", body: { output: { message: { role: "assistant", content: [{ toolUse: { toolUseId: "tooluse_J", name: "portcullis_json_response", input: { answer: "42" } } }] } }, stopReason: "tool_use", usage: { inputTokens: 5, outputTokens: 7, totalTokens: 12 } } });
  const res = await f.client.chat.completions.create({ model: MODELS.bedrock, messages: [{ role: "user", content: "q" }], response_format: format });
  const body = sent();
  assert.deepEqual(body.toolConfig?.toolChoice, { tool: { name: "portcullis_json_response" } });
  assert.deepEqual(body.toolConfig?.tools[0].toolSpec.inputSchema, { json: schema });
  assert.deepEqual(JSON.parse(res.choices[0].message.content ?? ""), { answer: "42" });
  assert.equal(res.choices[0].message.tool_calls, undefined);
  assert.equal(res.choices[0].finish_reason, "stop");

  f.bedrock.enqueue({
    kind: "stream",
    events: [
      { event: "messageStart", data: { role: "assistant" } },
      { event: "contentBlockStart", data: { contentBlockIndex: 0, start: { toolUse: { toolUseId: "tooluse_J", name: "portcullis_json_response" } } } },
      { event: "contentBlockDelta", data: { contentBlockIndex: 0, delta: { toolUse: { input: '{"answer":' } } } },
      { event: "contentBlockDelta", data: { contentBlockIndex: 0, delta: { toolUse: { input: '"42"}' } } } },
      { event: "contentBlockStop", data: { contentBlockIndex: 0 } },
      { event: "messageStop", data: { stopReason: "tool_use" } },
      { event: "metadata", data: { usage: { inputTokens: 5, outputTokens: 7, totalTokens: 12 }, metrics: { latencyMs: 1 } } },
    ],
  });
  const s = streamedChat(await collect(await f.client.chat.completions.create({ model: MODELS.bedrock, messages: [{ role: "user", content: "q" }], response_format: format, stream: true })));
  assert.deepEqual(JSON.parse(s.text), { answer: "42" });
  assert.deepEqual(s.calls, []);
  assert.deepEqual(s.finishReasons, ["stop"]);

  await f.client.chat.completions.create({ model: THINKING_MODEL, messages: [{ role: "user", content: "q" }], response_format: format, reasoning_effort: "low" });
  const thinking = sent();
  assert.equal(thinking.toolConfig, undefined, "thinking cannot be combined with a forced tool");
  assert.deepEqual(thinking.outputConfig, { textFormat: { type: "json_schema", structure: { jsonSchema: { schema: JSON.stringify(schema), name: "answer" } } } });
});

test("stop reasons through the table", async () => {
  const cases: Array<[string, string]> = [
    ["end_turn", "stop"],
    ["stop_sequence", "stop"],
    ["max_tokens", "length"],
    ["guardrail_intervened", "content_filter"],
    ["content_filtered", "content_filter"],
  ];
  for (const [native, chat] of cases) {
    f.bedrock.enqueue({ kind: "json", body: { output: { message: { role: "assistant", content: [{ text: "Partial" }] } }, stopReason: native, usage: { inputTokens: 1, outputTokens: 1, totalTokens: 2 } } });
    const res = await f.client.chat.completions.create({ model: MODELS.bedrock, messages: [{ role: "user", content: "x" }] });
    assert.equal(res.choices[0].finish_reason, chat, native);
    const events = converseStream("Partial").map((e) => (e.event === "messageStop" ? { event: e.event, data: { stopReason: native } } : e));
    f.bedrock.enqueue({ kind: "stream", events });
    const s = streamedChat(await collect(await f.client.chat.completions.create({ model: MODELS.bedrock, messages: [{ role: "user", content: "x" }], stream: true })));
    assert.deepEqual(s.finishReasons, [chat], `${native} (stream)`);
  }
});

test("errors: Bedrock's status and message kept (with Retry-After when sent); exception events mid-stream are errors the SDK raises", async () => {
  f.bedrock.enqueue(bedrockErrorReply(429, "ThrottlingException", "Too many requests, please wait before trying again.", { "retry-after": "3" }));
  const err = await f.client.chat.completions.create({ model: MODELS.bedrock, messages: [{ role: "user", content: "x" }] }).catch((e: unknown) => e);
  assert.ok(err instanceof APIError);
  assert.equal(err.status, 429);
  assert.equal(err.headers?.get("retry-after"), "3");
  assert.match(err.message, /Too many requests/);

  f.bedrock.enqueue(bedrockErrorReply(400, "ValidationException", "The provided model identifier is invalid."));
  const bad = await f.client.responses.create({ model: MODELS.bedrock, input: "x", stream: true }).catch((e: unknown) => e);
  assert.ok(bad instanceof APIError && bad.status === 400 && /model identifier/.test(bad.message));

  const started = converseStream("one two three").slice(0, 3);
  f.bedrock.enqueue({ kind: "stream", events: [...started, { event: "throttlingException", data: { message: "Rate exceeded mid-stream" } }] });
  const seen: string[] = [];
  await assert.rejects(async () => {
    for await (const c of await f.client.chat.completions.create({ model: MODELS.bedrock, messages: [{ role: "user", content: "x" }], stream: true })) seen.push(c.choices[0]?.delta.content ?? "");
  }, /Rate exceeded/);
  assert.equal(seen.join(""), "one two ");

  f.bedrock.enqueue({ kind: "stream", events: [...started, { event: "modelStreamErrorException", data: { message: "Model stream failed", originalStatusCode: 500 } }] });
  await assert.rejects(f.client.responses.stream({ model: MODELS.bedrock, input: "x" }).finalResponse(), /Model stream failed/);

  f.bedrock.enqueue({ kind: "stream", events: started });
  await assert.rejects(async () => collect(await f.client.chat.completions.create({ model: MODELS.bedrock, messages: [{ role: "user", content: "x" }], stream: true })), "a stream without messageStop is cut");
});

test("a wrong SigV4 secret is refused by Bedrock (the fake checks signatures) and the client sees 403", async () => {
  const other = new OpenAI({ baseURL: `${f.proxy.url}/v1/model-router/default`, apiKey: "pk-not-a-key-0123456789abcdefghijklmnop", maxRetries: 0 });
  const unauth = await other.chat.completions.create({ model: MODELS.bedrock, messages: [{ role: "user", content: "x" }] }).catch((e: unknown) => e);
  assert.ok(unauth instanceof APIError && unauth.status === 401, "an unknown virtual key never reaches Bedrock");
  f.bedrock.enqueue(bedrockErrorReply(403, "InvalidSignatureException", "The request signature we calculated does not match the signature you provided."));
  const denied = await f.client.chat.completions.create({ model: MODELS.bedrock, messages: [{ role: "user", content: "x" }] }).catch((e: unknown) => e);
  assert.ok(denied instanceof APIError && denied.status === 403 && /signature/.test(denied.message));
});
