import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { APIError } from "openai";
import type { ChatCompletionMessageParam, ChatCompletionTool } from "openai/resources/chat/completions";
import type { FunctionTool, ResponseInputItem } from "openai/resources/responses/responses";
import type { NativeEvent } from "../adapters/types.ts";
import type { FakeUpstream } from "./fake-upstreams/fake-reply.ts";
import { geminiErrorReply } from "./fake-upstreams/gemini.ts";
import {
  assertWellFormedResponsesStream,
  chatReasoning,
  chatToolCalls,
  collect,
  MODELS,
  startNativeRouterFixture,
  streamedChat,
  VERTEX_EXPRESS_KEY,
  type NativeRouterFixture,
} from "./helpers/native-router-fixture.ts";

let f: NativeRouterFixture;
before(async () => {
  f = await startNativeRouterFixture();
});
after(() => f.close());

/** Gemini API and Vertex AI (express mode): same wire format, other URL and key. */
const TARGETS = [
  { name: "gemini", model: MODELS.gemini, fake: () => f.gemini, path: "/v1beta/models/gemini-2.5-flash", key: "AIza-router" },
  { name: "vertex", model: MODELS.vertex, fake: () => f.vertex, path: "/v1/publishers/google/models/gemini-2.5-pro", key: VERTEX_EXPRESS_KEY },
] as const;

const CALL_SIGNATURE = "CiQB0e2Kb+call/signature==";
const TEXT_SIGNATURE = "CiQB0e2Kb+text/signature==";

type Part = Record<string, unknown>;
const usage = { promptTokenCount: 120, cachedContentTokenCount: 50, candidatesTokenCount: 20, thoughtsTokenCount: 30, totalTokenCount: 170 };

/** A whole GenerateContentResponse: thought summary, text, two parallel calls (the first signed, the second without arguments). */
function toolTurn(model: string): Record<string, unknown> {
  return {
    candidates: [
      {
        content: {
          role: "model",
          parts: [
            { text: "I need weather and time.", thought: true },
            { text: "Checking both." },
            { functionCall: { name: "get_weather", args: { city: "Paris", units: ["c"] } }, thoughtSignature: CALL_SIGNATURE },
            { functionCall: { name: "get_time", args: {} } },
          ],
        },
        finishReason: "STOP",
        index: 0,
      },
    ],
    usageMetadata: usage,
    modelVersion: model,
    responseId: "Xk9aaPjqLdWk1dkP5pmQwQs",
  };
}

/** The same turn as streamGenerateContent chunks: text in pieces, each call whole, usage on the last chunk. */
function toolTurnStream(model: string): NativeEvent[] {
  const chunk = (parts: Part[], extra: Record<string, unknown> = {}) => ({
    data: { candidates: [{ content: { role: "model", parts }, index: 0, ...extra }], usageMetadata: { promptTokenCount: 120, totalTokenCount: 120 }, modelVersion: model, responseId: "strm01" },
  });
  const last = chunk([{ functionCall: { name: "get_time", args: {} } }], { finishReason: "STOP" });
  (last.data as { usageMetadata: unknown }).usageMetadata = usage;
  return [
    chunk([{ text: "I need weather ", thought: true }]),
    chunk([{ text: "and time.", thought: true }]),
    chunk([{ text: "Checking " }]),
    chunk([{ text: "both." }]),
    chunk([{ functionCall: { name: "get_weather", args: { city: "Paris", units: ["c"] } }, thoughtSignature: CALL_SIGNATURE }]),
    last,
  ];
}

/** A text answer the way Gemini 3 streams it: the signature on a last, empty text piece. */
function signedTextStream(model: string, text: string, finishReason = "STOP"): NativeEvent[] {
  const words = text.match(/\S+\s*/g) ?? [text];
  return [
    ...words.map((w) => ({ data: { candidates: [{ content: { role: "model", parts: [{ text: w }] }, index: 0 }], modelVersion: model, responseId: "sig01" } })),
    { data: { candidates: [{ content: { role: "model", parts: [{ text: "", thoughtSignature: TEXT_SIGNATURE }] }, finishReason, index: 0 }], usageMetadata: { promptTokenCount: 7, candidatesTokenCount: 4, totalTokenCount: 11 }, modelVersion: model, responseId: "sig01" } },
  ];
}

const chatTools: ChatCompletionTool[] = [
  {
    type: "function",
    function: {
      name: "get_weather",
      parameters: {
        $schema: "http://json-schema.org/draft-07/schema#",
        type: "object",
        additionalProperties: false,
        properties: {
          city: { type: "string", format: "hostname", minLength: 1 },
          when: { anyOf: [{ type: "string", format: "date-time" }, { type: "null" }] },
          units: { type: "array", items: { type: "string" } },
          place: { $ref: "#/$defs/Place" },
        },
        required: ["city"],
        $defs: { Place: { type: "object", additionalProperties: false, properties: { lat: { type: "number" }, lon: { type: "number" } } } },
      },
    },
  },
  { type: "function", function: { name: "get_time" } },
];
const responsesTools: FunctionTool[] = [
  { type: "function", name: "get_weather", parameters: { type: "object", properties: { city: { type: "string" }, units: { type: "array", items: { type: "string" } } } }, strict: false },
  { type: "function", name: "get_time", parameters: null, strict: false },
];

type Sent = { contents: Array<{ role: string; parts: Part[] }>; systemInstruction?: { parts: Part[] }; generationConfig?: Record<string, unknown>; tools?: Array<{ functionDeclarations: Part[] }>; toolConfig?: unknown };
const sent = (fake: FakeUpstream) => fake.last().json as Sent;

for (const t of TARGETS) {
  test(`${t.name}: URL and key; system/developer anywhere → systemInstruction; images; sampling parameters`, async () => {
    const res = await f.client.chat.completions.create({
      model: t.model,
      messages: [
        { role: "system", content: "You are terse." },
        { role: "user", content: [{ type: "text", text: "What is here?" }, { type: "image_url", image_url: { url: "https://example.com/cat.png" } }, { type: "image_url", image_url: { url: "data:image/webp;base64,UklGRg==" } }] },
        { role: "assistant", content: "A cat." },
        { role: "developer", content: "Answer in French." },
        { role: "user", content: "And now?" },
      ],
      temperature: 0.3,
      top_p: 0.8,
      stop: ["END"],
      seed: 7,
      max_completion_tokens: 500,
    });
    assert.equal(res.choices[0].message.content, "Hello! You said: And now?");
    const up = t.fake().last();
    assert.equal(up.url, `${t.path}:generateContent`);
    assert.equal(up.headers["x-goog-api-key"], t.key);
    const body = sent(t.fake());
    assert.deepEqual(body.systemInstruction?.parts, [{ text: "You are terse." }, { text: "Answer in French." }]);
    assert.deepEqual(body.contents.map((c) => c.role), ["user", "model", "user"]);
    assert.deepEqual(body.contents[0].parts, [
      { text: "What is here?" },
      { fileData: { fileUri: "https://example.com/cat.png", mimeType: "image/png" } },
      { inlineData: { mimeType: "image/webp", data: "UklGRg==" } },
    ]);
    assert.deepEqual(body.generationConfig, { temperature: 0.3, topP: 0.8, maxOutputTokens: 500, seed: 7, stopSequences: ["END"] });

    const stream = streamedChat(await collect(await f.client.chat.completions.create({ model: t.model, messages: [{ role: "user", content: "streaming" }], stream: true })));
    assert.equal(stream.text, "Hello! You said: streaming");
    assert.equal(t.fake().last().url, `${t.path}:streamGenerateContent?alt=sse`);
  });

  test(`${t.name}: tool schemas cleaned for Gemini, tool_choice mapped`, async () => {
    await f.client.chat.completions.create({ model: t.model, messages: [{ role: "user", content: "x" }], tools: chatTools, tool_choice: "required" });
    const body = sent(t.fake());
    const [weather, time] = body.tools?.[0].functionDeclarations ?? [];
    assert.equal(time.name, "get_time");
    assert.equal(time.parameters, undefined, "a tool without parameters declares none");
    const text = JSON.stringify(weather.parameters);
    for (const banned of ["additionalProperties", "$schema", "$ref", "$defs", "anyOf", "hostname"]) assert.ok(!text.includes(banned), `${banned} is gone: ${text}`);
    const props = (weather.parameters as { properties: Record<string, Part> }).properties;
    assert.deepEqual(props.place, { type: "object", properties: { lat: { type: "number" }, lon: { type: "number" } } }, "$ref resolved");
    assert.equal(props.when.nullable, true, "anyOf [T, null] becomes nullable");
    assert.deepEqual((weather.parameters as { required: string[] }).required, ["city"]);
    assert.deepEqual(body.toolConfig, { functionCallingConfig: { mode: "ANY" } });

    await f.client.chat.completions.create({ model: t.model, messages: [{ role: "user", content: "x" }], tools: chatTools, tool_choice: { type: "function", function: { name: "get_time" } } });
    assert.deepEqual(sent(t.fake()).toolConfig, { functionCallingConfig: { mode: "ANY", allowedFunctionNames: ["get_time"] } });
    await f.client.chat.completions.create({ model: t.model, messages: [{ role: "user", content: "x" }], tools: chatTools, tool_choice: "none" });
    assert.deepEqual(sent(t.fake()).toolConfig, { functionCallingConfig: { mode: "NONE" } });
  });

  test(`${t.name} Chat: thoughts, text, parallel + no-arg calls, usage; next turn replays the call signature and answers in one user turn`, async () => {
    const model = t.model.split(":")[1];
    t.fake().enqueue({ kind: "json", body: toolTurn(model) });
    const res = await f.client.chat.completions.create({ model: t.model, messages: [{ role: "user", content: "Weather and time?" }], tools: chatTools });
    const msg = res.choices[0].message;
    assert.equal(chatReasoning(msg), "I need weather and time.");
    assert.equal(msg.content, "Checking both.");
    const calls = chatToolCalls(msg);
    assert.deepEqual(calls.map(([, name, args]) => [name, args]), [["get_weather", { city: "Paris", units: ["c"] }], ["get_time", {}]]);
    assert.notEqual(calls[0][0], calls[1][0], "made-up call ids differ");
    assert.equal(res.choices[0].finish_reason, "tool_calls", "STOP with calls is tool_calls");
    assert.equal(res.usage?.prompt_tokens, 120);
    assert.equal(res.usage?.prompt_tokens_details?.cached_tokens, 50);
    assert.equal(res.usage?.completion_tokens, 50, "candidates + thoughts");
    assert.equal(res.usage?.completion_tokens_details?.reasoning_tokens, 30);
    assert.equal(res.usage?.total_tokens, 170);

    await f.client.chat.completions.create({
      model: t.model,
      tools: chatTools,
      messages: [
        { role: "user", content: "Weather and time?" },
        msg as unknown as ChatCompletionMessageParam,
        { role: "tool", tool_call_id: calls[1][0], content: "12:00" },
        { role: "tool", tool_call_id: calls[0][0], content: "Sunny" },
      ],
    });
    const body = sent(t.fake());
    assert.deepEqual(body.contents.map((c) => c.role), ["user", "model", "user"]);
    assert.deepEqual(body.contents[1].parts.filter((p) => p.functionCall), [
      { functionCall: { name: "get_weather", args: { city: "Paris", units: ["c"] } }, thoughtSignature: CALL_SIGNATURE },
      { functionCall: { name: "get_time", args: {} } },
    ]);
    assert.deepEqual(body.contents[2].parts, [
      { functionResponse: { name: "get_time", response: { output: "12:00" } } },
      { functionResponse: { name: "get_weather", response: { output: "Sunny" } } },
    ]);
  });

  test(`${t.name} Chat stream: per-tool indexes, whole arguments, cumulative usage, one finish`, async () => {
    t.fake().enqueue({ kind: "stream", events: toolTurnStream(t.model.split(":")[1]) });
    const s = streamedChat(await collect(await f.client.chat.completions.create({ model: t.model, messages: [{ role: "user", content: "go" }], tools: chatTools, stream: true, stream_options: { include_usage: true } })));
    assert.equal(s.reasoning, "I need weather and time.");
    assert.equal(s.text, "Checking both.");
    assert.deepEqual(s.toolIndexes, [0, 1]);
    assert.deepEqual(s.calls.map((c) => [c.name, JSON.parse(c.args)]), [["get_weather", { city: "Paris", units: ["c"] }], ["get_time", {}]]);
    assert.deepEqual(s.finishReasons, ["tool_calls"]);
    assert.equal(s.usage?.prompt_tokens, 120);
    assert.equal(s.usage?.prompt_tokens_details?.cached_tokens, 50);
    assert.equal(s.usage?.completion_tokens_details?.reasoning_tokens, 30);
  });

  test(`${t.name} Responses: the call signature rides in a reasoning item and reaches Gemini byte for byte next turn`, async () => {
    t.fake().enqueue({ kind: "json", body: toolTurn(t.model.split(":")[1]) });
    const res = await f.client.responses.create({ model: t.model, input: "Weather and time?", tools: responsesTools, reasoning: { effort: "low", summary: "auto" }, store: false, include: ["reasoning.encrypted_content"] });
    assert.deepEqual(res.output.map((o) => o.type), ["reasoning", "message", "function_call", "reasoning", "function_call"]);
    const thoughts = res.output[0];
    assert.ok(thoughts.type === "reasoning");
    assert.equal(thoughts.summary.map((p) => p.text).join(""), "I need weather and time.");
    assert.equal(res.output_text, "Checking both.");
    assert.equal(res.usage?.input_tokens_details.cached_tokens, 50);
    assert.equal(res.usage?.output_tokens_details.reasoning_tokens, 30);
    const calls = res.output.flatMap((o) => (o.type === "function_call" ? [o] : []));
    assert.deepEqual(calls.map((c) => c.arguments), ['{"city":"Paris","units":["c"]}', "{}"]);
    const input: ResponseInputItem[] = [
      { role: "user", content: "Weather and time?" },
      ...(res.output as ResponseInputItem[]),
      ...calls.map((c): ResponseInputItem => ({ type: "function_call_output", call_id: c.call_id, output: `result of ${c.name}` })),
    ];
    await f.client.responses.create({ model: t.model, input, tools: responsesTools, store: false });
    const body = sent(t.fake());
    assert.deepEqual(body.contents.map((c) => c.role), ["user", "model", "user"]);
    assert.deepEqual(body.contents[1].parts.filter((p) => p.functionCall), [
      { functionCall: { name: "get_weather", args: { city: "Paris", units: ["c"] } }, thoughtSignature: CALL_SIGNATURE },
      { functionCall: { name: "get_time", args: {} } },
    ]);
    assert.deepEqual(body.contents[2].parts.map((p) => (p.functionResponse as { name: string }).name), ["get_weather", "get_time"]);
  });

  test(`${t.name} Responses stream: well-formed; finalResponse(); a signed text answer replays its signature`, async () => {
    const model = t.model.split(":")[1];
    t.fake().enqueue({ kind: "stream", events: toolTurnStream(model) });
    const events = await collect(await f.client.responses.create({ model: t.model, input: "go", tools: responsesTools, stream: true }));
    assertWellFormedResponsesStream(events);
    const done = events.at(-1);
    assert.ok(done?.type === "response.completed");
    assert.equal(done.response.usage?.total_tokens, 170);
    const callItems = done.response.output.filter((o) => o.type === "function_call");
    assert.equal(callItems.length, 2);

    t.fake().enqueue({ kind: "stream", events: signedTextStream(model, "Paris is sunny today.") });
    const final = await f.client.responses.stream({ model: t.model, input: "weather?" }).finalResponse();
    assert.equal(final.output_text, "Paris is sunny today.");
    const signed = final.output.find((o) => o.type === "reasoning");
    assert.ok(signed?.type === "reasoning" && signed.encrypted_content, "the text signature travels in a reasoning item");
    await f.client.responses.create({ model: t.model, input: [{ role: "user", content: "weather?" }, ...(final.output as ResponseInputItem[]), { role: "user", content: "and tomorrow?" }] });
    assert.deepEqual(sent(t.fake()).contents[1], { role: "model", parts: [{ text: "Paris is sunny today.", thoughtSignature: TEXT_SIGNATURE }] });
  });

  test(`${t.name}: stop reasons through the table (MAX_TOKENS, SAFETY, RECITATION)`, async () => {
    const model = t.model.split(":")[1];
    for (const [native, chat] of [["MAX_TOKENS", "length"], ["SAFETY", "content_filter"], ["RECITATION", "content_filter"], ["STOP", "stop"]] as const) {
      t.fake().enqueue({ kind: "json", body: { candidates: [{ content: { role: "model", parts: [{ text: "Partial" }] }, finishReason: native, index: 0 }], usageMetadata: { promptTokenCount: 3, candidatesTokenCount: 1, totalTokenCount: 4 }, modelVersion: model } });
      const res = await f.client.chat.completions.create({ model: t.model, messages: [{ role: "user", content: "x" }] });
      assert.equal(res.choices[0].finish_reason, chat, native);
      t.fake().enqueue({ kind: "stream", events: signedTextStream(model, "Partial answer", native) });
      const s = streamedChat(await collect(await f.client.chat.completions.create({ model: t.model, messages: [{ role: "user", content: "x" }], stream: true })));
      assert.deepEqual(s.finishReasons, [chat], `${native} (stream)`);
    }
    t.fake().enqueue({ kind: "stream", events: signedTextStream(model, "Partial answer", "MAX_TOKENS") });
    const events = await collect(await f.client.responses.create({ model: t.model, input: "x", stream: true }));
    assertWellFormedResponsesStream(events, "response.incomplete");
    const last = events.at(-1);
    assert.ok(last?.type === "response.incomplete" && last.response.incomplete_details?.reason === "max_output_tokens");
  });
}

test("reasoning effort → thinkingBudget (2.5), summaries → includeThoughts; Pro cannot turn thinking off", async () => {
  const budgets: number[] = [];
  for (const effort of ["low", "medium", "high"] as const) {
    await f.client.chat.completions.create({ model: MODELS.gemini, messages: [{ role: "user", content: "x" }], reasoning_effort: effort });
    budgets.push((sent(f.gemini).generationConfig?.thinkingConfig as { thinkingBudget: number }).thinkingBudget);
  }
  assert.ok(budgets[0] < budgets[1] && budgets[1] < budgets[2], `budgets grow with effort: ${budgets}`);
  await f.client.responses.create({ model: MODELS.gemini, input: "x", reasoning: { effort: "none" } });
  assert.deepEqual(sent(f.gemini).generationConfig?.thinkingConfig, { thinkingBudget: 0 });
  await f.client.responses.create({ model: MODELS.vertex, input: "x", reasoning: { effort: "none", summary: "auto" } });
  const pro = sent(f.vertex).generationConfig?.thinkingConfig as { thinkingBudget: number; includeThoughts: boolean };
  assert.ok(pro.thinkingBudget > 0, "2.5 Pro cannot switch thinking off: its least budget");
  assert.equal(pro.includeThoughts, true);
  await f.client.chat.completions.create({ model: "gemini:gemini-3-pro-preview", messages: [{ role: "user", content: "x" }], reasoning_effort: "high" });
  assert.deepEqual(sent(f.gemini).generationConfig?.thinkingConfig, { thinkingLevel: "HIGH" });
});

test("response_format json_schema → responseMimeType + responseSchema (fields in the schema's order)", async () => {
  const schema = { type: "object", properties: { name: { type: "string" }, age: { type: "integer" } }, required: ["name", "age"], additionalProperties: false };
  f.gemini.enqueue({ kind: "json", body: { candidates: [{ content: { role: "model", parts: [{ text: '{"name":"Ada","age":36}' }] }, finishReason: "STOP", index: 0 }], usageMetadata: { promptTokenCount: 5, candidatesTokenCount: 9, totalTokenCount: 14 }, modelVersion: "gemini-2.5-flash" } });
  const res = await f.client.chat.completions.create({ model: MODELS.gemini, messages: [{ role: "user", content: "Who?" }], response_format: { type: "json_schema", json_schema: { name: "person", schema, strict: true } } });
  assert.deepEqual(JSON.parse(res.choices[0].message.content ?? ""), { name: "Ada", age: 36 });
  const config = sent(f.gemini).generationConfig as { responseMimeType: string; responseSchema: Record<string, unknown> };
  assert.equal(config.responseMimeType, "application/json");
  assert.deepEqual(config.responseSchema.propertyOrdering, ["name", "age"]);
  assert.ok(!JSON.stringify(config.responseSchema).includes("additionalProperties"));
  await f.client.responses.create({ model: MODELS.gemini, input: "x", text: { format: { type: "json_object" } } });
  assert.equal(sent(f.gemini).generationConfig?.responseMimeType, "application/json");
});

test("errors: Google's status kept, RetryInfo becomes Retry-After, the message reaches the client", async () => {
  f.gemini.enqueue(geminiErrorReply(429));
  const err = await f.client.chat.completions.create({ model: MODELS.gemini, messages: [{ role: "user", content: "x" }] }).catch((e: unknown) => e);
  assert.ok(err instanceof APIError);
  assert.equal(err.status, 429);
  assert.equal(err.headers?.get("retry-after"), "20");
  assert.match(err.message, /quota/);

  f.vertex.enqueue(geminiErrorReply(400, "Invalid value at 'contents[0].parts[0]'"));
  const bad = await f.client.responses.create({ model: MODELS.vertex, input: "x", stream: true }).catch((e: unknown) => e);
  assert.ok(bad instanceof APIError);
  assert.equal(bad.status, 400);
  assert.match(bad.message, /contents\[0\]/);

  f.gemini.enqueue(geminiErrorReply(503));
  const over = await f.client.chat.completions.create({ model: MODELS.gemini, messages: [{ role: "user", content: "x" }] }).catch((e: unknown) => e);
  assert.ok(over instanceof APIError && over.status === 503);
});

test("an error chunk mid-stream, or a stream that stops without a finish reason, is an error the SDK raises", async () => {
  const text = signedTextStream("gemini-2.5-flash", "one two three").slice(0, 2);
  f.gemini.enqueue({ kind: "stream", events: [...text, { data: { error: { code: 500, message: "An internal error has occurred.", status: "INTERNAL" } } }] });
  const seen: string[] = [];
  await assert.rejects(async () => {
    for await (const c of await f.client.chat.completions.create({ model: MODELS.gemini, messages: [{ role: "user", content: "x" }], stream: true })) seen.push(c.choices[0]?.delta.content ?? "");
  }, /internal error/);
  assert.equal(seen.join(""), "one two ");

  f.vertex.enqueue({ kind: "stream", events: text });
  await assert.rejects(async () => collect(await f.client.responses.create({ model: MODELS.vertex, input: "x", stream: true })), "a stream without finishReason is cut");
  f.gemini.enqueue({ kind: "stream", events: [...text, { data: { error: { code: 429, message: "Resource exhausted", status: "RESOURCE_EXHAUSTED" } } }] });
  await assert.rejects(f.client.responses.stream({ model: MODELS.gemini, input: "x" }).finalResponse(), /exhausted/);
});
