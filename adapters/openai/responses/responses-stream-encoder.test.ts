import assert from "node:assert/strict";
import { describe, it } from "node:test";
import OpenAI from "openai";
import type { AssistantPart } from "../../../src/canonical/content.ts";
import type { JsonObject } from "../../../src/canonical/extras.ts";
import type { CanonicalRequest } from "../../../src/canonical/request.ts";
import type { CanonicalResponse, Finish, Usage } from "../../../src/canonical/response.ts";
import type { StreamChunk, StreamEvent } from "../../../src/canonical/stream.ts";
import type { EncodeContext, NativeEvent } from "../../types.ts";
import { readFixtureChunks } from "../../../test/helpers/fixtures.ts";
import { encodeResponsesResponse } from "./encode-responses-response.ts";
import { responsesCodec } from "./responses-codec.ts";
import { ResponsesStreamEncoder } from "./responses-stream-encoder.ts";

/** Deterministic item ids, so a stream and a non-stream encoding can be compared. */
function ids(): (prefix: string) => string {
  let n = 0;
  return (prefix) => `${prefix}_${String(++n).padStart(4, "0")}`;
}

const request: CanonicalRequest = {
  model: "anthropic:claude-opus-4-6",
  messages: [{ role: "user", content: [{ type: "text", text: "weather?" }] }],
  tools: [
    { kind: "function", name: "get_weather", parameters: { type: "object", properties: { city: { type: "string" } } } },
    { kind: "function", name: "list_dir", namespace: "mcp__fs", parameters: { type: "object" }, extras: { "openai-responses": { namespaceTool: { description: "fs" } } } },
  ],
  reasoning: { effort: "high", summary: "auto" },
  stream: true,
};
const context: EncodeContext = { request, model: "anthropic:claude-opus-4-6" };

const ev = (...events: StreamEvent[]): StreamChunk => ({ events });

/** An Anthropic-like answer: summarised reasoning in two paragraphs, text, two calls (one namespaced), usage, finish. */
function foreignChunks(): StreamChunk[] {
  const reasoning: AssistantPart = { type: "reasoning", summary: ["First.", "Second."], signature: "sig-1", producer: "anthropic" };
  const call1: AssistantPart = { type: "tool-call", id: "toolu_1", name: "get_weather", arguments: '{"city":"Paris"}', kind: "function" };
  const call2: AssistantPart = { type: "tool-call", id: "toolu_2", name: "list_dir", namespace: "mcp__fs", arguments: "", kind: "function" };
  return [
    ev({ type: "start", id: "msg_01XYZ", model: "claude-opus-4-6", created: 1760000000 }),
    ev({ type: "part-start", index: 0, part: { type: "reasoning" } }),
    ev({ type: "reasoning-delta", index: 0, delta: "First", channel: "summary", summaryIndex: 0 }),
    ev({ type: "reasoning-delta", index: 0, delta: ".", channel: "summary", summaryIndex: 0 }),
    ev({ type: "reasoning-delta", index: 0, delta: "Second.", channel: "summary", summaryIndex: 1 }),
    ev({ type: "reasoning-signature", index: 0, signature: "sig-1" }),
    ev({ type: "part-end", index: 0, part: reasoning }),
    ev({ type: "part-start", index: 1, part: { type: "text", text: "" } }),
    ev({ type: "text-delta", index: 1, delta: "Checking " }),
    ev({ type: "text-delta", index: 1, delta: "now." }),
    ev({ type: "part-end", index: 1, part: { type: "text", text: "Checking now." } }),
    ev({ type: "part-start", index: 2, part: { ...call1, arguments: "" } }),
    ev({ type: "tool-args-delta", index: 2, delta: '{"city":' }, { type: "tool-args-delta", index: 2, delta: '"Paris"}' }),
    ev({ type: "part-end", index: 2, part: call1 }),
    ev({ type: "part-start", index: 3, part: call2 }),
    ev({ type: "part-end", index: 3, part: call2 }),
    ev({ type: "usage", usage: { inputTokens: 120, outputTokens: 40, cacheReadTokens: 100, cacheWriteTokens: 5, reasoningTokens: 12 } }),
    ev({ type: "finish", finish: { reason: "tool_calls", native: "tool_use" } }),
  ];
}

function run(chunks: StreamChunk[], ctx = context, newId = ids()): NativeEvent[] {
  const encoder = new ResponsesStreamEncoder(ctx, newId as never);
  return [...chunks.flatMap((c) => encoder.encode(c)), ...encoder.end()];
}

/** The canonical response a consumer assembles from the same chunks. */
function assembled(chunks: StreamChunk[]): CanonicalResponse {
  const content: AssistantPart[] = [];
  let finish: Finish = { reason: "stop" };
  let usage: Usage | undefined;
  let start: Extract<StreamEvent, { type: "start" }> | undefined;
  for (const e of chunks.flatMap((c) => c.events)) {
    if (e.type === "start") start = e;
    if (e.type === "part-end") content[e.index] = e.part;
    if (e.type === "usage") usage = e.usage;
    if (e.type === "finish") finish = e.finish;
  }
  return { id: start?.id ?? "", model: start?.model ?? "", created: start?.created, content, finish, usage };
}

function sse(events: NativeEvent[]): string {
  return events.map((e) => `event: ${e.event}\ndata: ${JSON.stringify(e.data)}\n\n`).join("");
}

/** Runs the events through the openai SDK's own stream accumulator (strict about order and ids). */
async function sdkFinal(events: NativeEvent[]): Promise<JsonObject> {
  const body = sse(events);
  const client = new OpenAI({ apiKey: "k", baseURL: "http://sdk.test/v1", fetch: async () => new Response(body, { headers: { "content-type": "text/event-stream" } }) });
  const final = await client.responses.stream({ model: "m", input: "hi" }).finalResponse();
  return JSON.parse(JSON.stringify(final)) as JsonObject;
}

/** What the SDK adds to what it was sent (parsed helpers, output_text). */
function withoutSdkFields(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutSdkFields);
  if (typeof value !== "object" || value === null) return value;
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(value)) if (k !== "parsed" && k !== "parsed_arguments" && k !== "output_text" && k !== "output_parsed") out[k] = withoutSdkFields(v);
  return out;
}

function withoutClock(response: JsonObject): JsonObject {
  const { completed_at, id, ...rest } = response;
  assert.equal(typeof completed_at, "number");
  assert.match(String(id), /^resp_[0-9a-f]{48}$/);
  return rest;
}

describe("Responses stream encoder, chunks of another origin", () => {
  it("emits the whole lifecycle, in OpenAI's order", () => {
    const types = run(foreignChunks()).map((e) => e.data as JsonObject).map((d) => (d.type as string).replace("response.", ""));
    assert.deepEqual(types, [
      "created",
      "in_progress",
      "output_item.added",
      "reasoning_summary_part.added",
      "reasoning_summary_text.delta",
      "reasoning_summary_text.delta",
      "reasoning_summary_text.done",
      "reasoning_summary_part.done",
      "reasoning_summary_part.added",
      "reasoning_summary_text.delta",
      "reasoning_summary_text.done",
      "reasoning_summary_part.done",
      "output_item.done",
      "output_item.added",
      "content_part.added",
      "output_text.delta",
      "output_text.delta",
      "output_text.done",
      "content_part.done",
      "output_item.done",
      "output_item.added",
      "function_call_arguments.delta",
      "function_call_arguments.delta",
      "function_call_arguments.done",
      "output_item.done",
      "output_item.added",
      "function_call_arguments.delta",
      "function_call_arguments.done",
      "output_item.done",
      "completed",
    ]);
  });

  it("numbers events without gaps and keeps item ids and indexes consistent", () => {
    const events = run(foreignChunks());
    events.forEach((e, i) => {
      assert.equal((e.data as JsonObject).sequence_number, i);
      assert.equal(e.event, (e.data as JsonObject).type);
    });
    const items = new Map<number, string>();
    for (const e of events.map((x) => x.data as JsonObject)) {
      if (e.type === "response.output_item.added") {
        assert.equal(e.output_index, items.size, "output indexes count items from 0");
        items.set(e.output_index as number, (e.item as JsonObject).id as string);
      } else if (e.type === "response.output_item.done") {
        assert.equal((e.item as JsonObject).id, items.get(e.output_index as number));
      } else if (typeof e.item_id === "string") {
        assert.equal(e.item_id, items.get(e.output_index as number), `${e.type} names its item`);
      }
    }
    assert.deepEqual([...items.values()], ["rs_0001", "msg_0002", "fc_0003", "fc_0004"]);
    const summaries = events.map((x) => x.data as JsonObject).filter((d) => d.type === "response.reasoning_summary_part.added");
    assert.deepEqual(summaries.map((d) => d.summary_index), [0, 1]);
  });

  it("the message item stays open for more text and closes when the next item begins", () => {
    const events = run(foreignChunks()).map((e) => e.data as JsonObject);
    const done = events.findIndex((d) => d.type === "response.output_item.done" && (d.item as JsonObject).type === "message");
    const added = events.findIndex((d) => d.type === "response.output_item.added" && (d.item as JsonObject).type === "function_call");
    assert.equal(events[done].output_index, 1);
    assert.equal(added, done + 1);
  });

  it("response.completed carries what the non-stream encoder writes for the assembled response", () => {
    const events = run(foreignChunks());
    const completed = events.at(-1)!.data as JsonObject;
    const whole = encodeResponsesResponse(assembled(foreignChunks()), context, ids() as never);
    assert.deepEqual(withoutClock(completed.response as JsonObject), withoutClock(whole));
    const response = completed.response as JsonObject;
    assert.equal(response.status, "completed");
    assert.equal(response.model, "claude-opus-4-6");
    assert.equal(response.created_at, 1760000000);
    assert.deepEqual(response.usage, {
      input_tokens: 120,
      input_tokens_details: { cached_tokens: 100, cache_write_tokens: 5 },
      output_tokens: 40,
      output_tokens_details: { reasoning_tokens: 12 },
      total_tokens: 160,
    });
    const [reasoning, message, call1, call2] = response.output as JsonObject[];
    assert.deepEqual(reasoning.summary, [{ type: "summary_text", text: "First." }, { type: "summary_text", text: "Second." }]);
    assert.match(String(reasoning.encrypted_content), /^pcr1\./);
    assert.deepEqual(message.content, [{ type: "output_text", annotations: [], logprobs: [], text: "Checking now." }]);
    assert.deepEqual(call1, { id: "fc_0003", type: "function_call", status: "completed", arguments: '{"city":"Paris"}', call_id: "toolu_1", name: "get_weather" });
    assert.deepEqual(call2, { id: "fc_0004", type: "function_call", status: "completed", arguments: "{}", call_id: "toolu_2", name: "list_dir", namespace: "mcp__fs" });
    assert.deepEqual(response.tools, [
      { type: "function", name: "get_weather", parameters: { type: "object", properties: { city: { type: "string" } } }, strict: false },
      { type: "namespace", name: "mcp__fs", description: "fs", tools: [{ type: "function", name: "list_dir", parameters: { type: "object" } }] },
    ]);
  });

  it("the openai SDK accumulates it into that same response", async () => {
    const events = run(foreignChunks());
    const final = await sdkFinal(events);
    const completed = (events.at(-1)!.data as JsonObject).response as JsonObject;
    assert.deepEqual(withoutSdkFields(final), completed);
    assert.equal(final.output_text, "Checking now.");
  });

  it("text-channel reasoning goes to the summary when the client asked for one, else to reasoning_text", async () => {
    const chunks = [
      ev({ type: "part-start", index: 0, part: { type: "reasoning" } }),
      ev({ type: "reasoning-delta", index: 0, delta: "Thinking", channel: "text" }),
      ev({ type: "part-end", index: 0, part: { type: "reasoning", text: "Thinking", signature: "s", producer: "anthropic" } }),
      ev({ type: "finish", finish: { reason: "stop" } }),
    ];
    const summarised = (await sdkFinal(run(chunks))).output as JsonObject[];
    assert.deepEqual(summarised[0].summary, [{ type: "summary_text", text: "Thinking" }]);
    assert.equal(summarised[0].content, undefined);

    const plain: EncodeContext = { request: { ...request, reasoning: { effort: "low" } }, model: "m" };
    const events = run(chunks, plain);
    assert.ok(events.some((e) => (e.data as JsonObject).type === "response.reasoning_text.delta"));
    const raw = (await sdkFinal(events)).output as JsonObject[];
    assert.deepEqual(raw[0].summary, []);
    assert.deepEqual(raw[0].content, [{ type: "reasoning_text", text: "Thinking" }]);
  });

  it("parts whose content arrives only with part-end (no deltas) still stream their text and arguments", async () => {
    const text: AssistantPart = { type: "text", text: "Whole", citations: [{ type: "url", url: "https://a.example/", title: "A" }] };
    const call: AssistantPart = { type: "tool-call", id: "c1", name: "f", arguments: '{"x":1}', kind: "function" };
    const events = run([
      ev({ type: "part-start", index: 0, part: { type: "text", text: "" } }, { type: "part-end", index: 0, part: text }),
      ev({ type: "part-start", index: 1, part: { ...call, arguments: "" } }, { type: "part-end", index: 1, part: call }),
      ev({ type: "finish", finish: { reason: "tool_calls" } }),
    ]);
    const data = events.map((e) => e.data as JsonObject);
    assert.equal(data.find((d) => d.type === "response.output_text.delta")?.delta, "Whole");
    assert.deepEqual(data.find((d) => d.type === "response.output_text.annotation.added")?.annotation, {
      type: "url_citation",
      url: "https://a.example/",
      title: "A",
      start_index: 0,
      end_index: 5,
    });
    assert.equal(data.find((d) => d.type === "response.function_call_arguments.delta")?.delta, '{"x":1}');
    const final = await sdkFinal(events);
    assert.equal(final.output_text, "Whole");
  });

  it("a text part still open when a call begins (interleaved parts) keeps its item until it ends", async () => {
    const call: AssistantPart = { type: "tool-call", id: "c1", name: "f", arguments: "{}", kind: "function" };
    const events = run([
      ev({ type: "part-start", index: 0, part: { type: "text", text: "" } }),
      ev({ type: "text-delta", index: 0, delta: "a" }),
      ev({ type: "part-start", index: 1, part: call }),
      ev({ type: "text-delta", index: 0, delta: "b" }),
      ev({ type: "part-end", index: 1, part: call }),
      ev({ type: "part-end", index: 0, part: { type: "text", text: "ab" } }),
      ev({ type: "finish", finish: { reason: "tool_calls" } }),
    ]);
    const data = events.map((e) => e.data as JsonObject);
    const added = data.findIndex((d) => d.type === "response.output_item.added" && (d.item as JsonObject).type === "function_call");
    const done = data.findIndex((d) => d.type === "response.output_item.done" && (d.item as JsonObject).type === "message");
    assert.ok(added < done, "the message item outlives the call that began meanwhile");
    const final = await sdkFinal(events);
    assert.deepEqual((final.output as JsonObject[]).map((i) => i.type), ["message", "function_call"]);
    assert.equal(final.output_text, "ab");
  });

  it("custom tool calls stream their free-text input", async () => {
    const call: AssistantPart = { type: "tool-call", id: "call_p", name: "apply_patch", arguments: "*** Begin Patch\n*** End Patch", kind: "custom" };
    const events = run([
      ev({ type: "part-start", index: 0, part: { ...call, arguments: "" } }),
      ev({ type: "tool-args-delta", index: 0, delta: "*** Begin Patch\n" }),
      ev({ type: "tool-args-delta", index: 0, delta: "*** End Patch" }),
      ev({ type: "part-end", index: 0, part: call }),
      ev({ type: "finish", finish: { reason: "tool_calls" }, usage: { inputTokens: 1, outputTokens: 1 } }),
    ]);
    const types = events.map((e) => (e.data as JsonObject).type);
    assert.deepEqual(types.filter((t) => String(t).includes("custom")), ["response.custom_tool_call_input.delta", "response.custom_tool_call_input.delta", "response.custom_tool_call_input.done"]);
    const final = withoutSdkFields(await sdkFinal(events)) as JsonObject;
    assert.deepEqual(final.output, [{ id: "ctc_0001", type: "custom_tool_call", status: "completed", call_id: "call_p", name: "apply_patch", input: "*** Begin Patch\n*** End Patch" }]);
  });

  it("a call's own signature (Gemini) follows it as a signature-only reasoning item, stream and whole alike, and decodes back", async () => {
    const signed: AssistantPart = { type: "tool-call", id: "call_gm_r_0", name: "f", arguments: '{"x":1}', kind: "function", signature: "GSIG/+=" };
    const plain: AssistantPart = { type: "tool-call", id: "call_gm_r_1", name: "g", arguments: "", kind: "function" };
    const chunks = [
      ev({ type: "part-start", index: 0, part: { ...signed, arguments: "" } }, { type: "tool-args-delta", index: 0, delta: '{"x":1}' }, { type: "part-end", index: 0, part: signed }),
      ev({ type: "part-start", index: 1, part: plain }, { type: "part-end", index: 1, part: plain }),
      ev({ type: "finish", finish: { reason: "tool_calls" } }),
    ];
    const events = run(chunks);
    const final = withoutSdkFields(await sdkFinal(events)) as JsonObject;
    const output = final.output as JsonObject[];
    assert.deepEqual(output.map((i) => i.type), ["function_call", "reasoning", "function_call"]);
    assert.match(String(output[1].encrypted_content), /^pcr1\./);
    assert.deepEqual(output[1].summary, []);
    const whole = encodeResponsesResponse(assembled(chunks), context, ids() as never);
    assert.deepEqual(withoutClock(final), withoutClock(whole));

    const back = responsesCodec.decodeRequest({ model: "m", input: [{ role: "user", content: "hi" }, ...output] });
    const parts = back.messages[1].content;
    assert.deepEqual(parts.map((p) => p.type), ["tool-call", "reasoning", "tool-call"]);
    assert.deepEqual(parts[1].type === "reasoning" && [parts[1].producer, parts[1].signature], ["gemini", "GSIG/+="]);
  });

  it("refusals stream as refusal content", async () => {
    const events = run([
      ev({ type: "part-start", index: 0, part: { type: "refusal", text: "" } }),
      ev({ type: "text-delta", index: 0, delta: "I can't help with that." }),
      ev({ type: "part-end", index: 0, part: { type: "refusal", text: "I can't help with that." } }),
      ev({ type: "finish", finish: { reason: "stop" } }),
    ]);
    const data = events.map((e) => e.data as JsonObject);
    assert.ok(data.some((d) => d.type === "response.refusal.delta") && data.some((d) => d.type === "response.refusal.done"));
    const final = withoutSdkFields(await sdkFinal(events)) as JsonObject;
    assert.deepEqual((final.output as JsonObject[])[0].content, [{ type: "refusal", refusal: "I can't help with that." }]);
  });

  it("usage after the finish (Chat Completions, Bedrock): response.completed waits for it", () => {
    const encoder = new ResponsesStreamEncoder(context);
    encoder.encode(ev({ type: "part-start", index: 0, part: { type: "text", text: "" } }));
    encoder.encode(ev({ type: "text-delta", index: 0, delta: "hi" }));
    const atFinish = encoder.encode(ev({ type: "finish", finish: { reason: "stop", native: "stop" } })).map((e) => (e.data as JsonObject).type);
    assert.deepEqual(atFinish, ["response.output_text.done", "response.content_part.done", "response.output_item.done"]);
    const atUsage = encoder.encode(ev({ type: "usage", usage: { inputTokens: 19, outputTokens: 7 } })).map((e) => e.data as JsonObject);
    assert.deepEqual(atUsage.map((d) => d.type), ["response.completed"]);
    assert.equal(((atUsage[0].response as JsonObject).usage as JsonObject).input_tokens, 19);
    assert.deepEqual(encoder.end(), []);

    const noUsage = new ResponsesStreamEncoder(context);
    noUsage.encode(ev({ type: "finish", finish: { reason: "stop" } }));
    const atEnd = noUsage.end().map((e) => e.data as JsonObject);
    assert.deepEqual(atEnd.map((d) => d.type), ["response.completed"]);
    assert.equal(((atEnd[0].response as JsonObject).usage as JsonObject).total_tokens, 0);
  });

  it("finish length / content_filter end as response.incomplete with the reason", () => {
    for (const [reason, detail] of [["length", "max_output_tokens"], ["content_filter", "content_filter"]] as const) {
      const events = run([ev({ type: "part-start", index: 0, part: { type: "text", text: "" } }), ev({ type: "text-delta", index: 0, delta: "x" }), ev({ type: "finish", finish: { reason } })]);
      const last = events.at(-1)!.data as JsonObject;
      assert.equal(last.type, "response.incomplete");
      const response = last.response as JsonObject;
      assert.equal(response.status, "incomplete");
      assert.deepEqual(response.incomplete_details, { reason: detail });
      assert.equal(((response.output as JsonObject[])[0].content as JsonObject[])[0].text, "x", "the open text part was closed with what it had");
    }
  });

  it("error() after content: an error event, then response.failed; nothing after", async () => {
    const encoder = new ResponsesStreamEncoder(context);
    const events = [
      ...encoder.encode(ev({ type: "part-start", index: 0, part: { type: "text", text: "" } })),
      ...encoder.encode(ev({ type: "text-delta", index: 0, delta: "par" })),
      ...encoder.error({ status: 429, kind: "rate_limit", message: "Slow down", code: "rate_limit_exceeded" }),
    ];
    assert.deepEqual(encoder.encode(ev({ type: "finish", finish: { reason: "stop" } })), []);
    assert.deepEqual(encoder.end(), []);
    const data = events.map((e) => e.data as JsonObject);
    assert.deepEqual(data.map((d) => d.sequence_number), data.map((_, i) => i));
    const [error, failed] = data.slice(-2);
    assert.deepEqual(error, { type: "error", error: { message: "Slow down", type: "rate_limit_error", param: null, code: "rate_limit_exceeded" }, sequence_number: data.length - 2 });
    assert.equal(failed.type, "response.failed");
    assert.deepEqual((failed.response as JsonObject).error, { code: "rate_limit_exceeded", message: "Slow down" });
    await assert.rejects(sdkFinal(events), /Slow down/);
  });

  it("an error event in a chunk is written the same way", () => {
    const events = run([ev({ type: "start" }), ev({ type: "error", error: { status: 502, kind: "upstream", message: "upstream reset" } })]);
    assert.deepEqual(events.map((e) => (e.data as JsonObject).type), ["response.created", "response.in_progress", "error", "response.failed"]);
    assert.equal(((events[2].data as JsonObject).error as JsonObject).code, "server_error");
  });

  it("end() closes a stream that never finished as incomplete; a finished stream gets nothing", () => {
    const events = run([ev({ type: "part-start", index: 0, part: { type: "text", text: "" } }), ev({ type: "text-delta", index: 0, delta: "cut" })]);
    assert.deepEqual(events.slice(-4).map((e) => (e.data as JsonObject).type), ["response.output_text.done", "response.content_part.done", "response.output_item.done", "response.incomplete"]);
    assert.deepEqual(run([]), []);
  });

  it("another format's native events and parts are left out; start-less streams still begin with response.created", () => {
    const events = run([
      ev({ type: "native", format: "anthropic", value: { type: "ping" } }),
      ev({ type: "part-start", index: 0, part: { type: "native", format: "anthropic", value: { type: "server_tool_use" } } }),
      ev({ type: "part-end", index: 0, part: { type: "native", format: "anthropic", value: { type: "server_tool_use" } } }),
      ev({ type: "finish", finish: { reason: "stop" } }),
    ]);
    assert.deepEqual(events.map((e) => (e.data as JsonObject).type), ["response.created", "response.in_progress", "response.completed"]);
    assert.equal(((events[0].data as JsonObject).response as JsonObject).model, "anthropic:claude-opus-4-6");
  });
});

describe("Responses stream encoder, an OpenAI stream forwarded as is", () => {
  it("observes raw-forwarded chunks, so a later error continues the same stream", () => {
    const events = readFixtureChunks("openai-responses", "azure-tool-call.1.chunks.txt").slice(0, 5);
    const decoder = responsesCodec.streamDecoder();
    const encoder = new ResponsesStreamEncoder(context);
    for (const data of events) encoder.observe(decoder.decode({ event: data.type as string, data }));
    const out = encoder.error({ status: 502, kind: "upstream", message: "connection reset" }).map((e) => e.data as JsonObject);
    assert.deepEqual(out.map((d) => [d.type, d.sequence_number]), [["error", 5], ["response.failed", 6]]);
    const failed = out[1].response as JsonObject;
    assert.equal(failed.id, "resp_04041325ab8ae30400698c519fb7fc81979972618138fc336d");
    assert.equal(failed.model, "gpt-5.1");
    assert.equal(failed.status, "failed");
  });
});

describe("Responses stream encoder, an OpenAI stream a stage edited", () => {
  it("a blocked call replaced by a refusal: renumbered, and response.completed lists what the client got", async () => {
    const upstream = readFixtureChunks("openai-responses", "azure-tool-call.1.chunks.txt");
    const decoder = responsesCodec.streamDecoder();
    const encoder = new ResponsesStreamEncoder(context, ids() as never);
    const sent: NativeEvent[] = [];
    for (const data of upstream) {
      const chunk = decoder.decode({ event: data.type as string, data });
      chunk.raw = { format: "openai-responses", bytes: "" };
      const call = chunk.events.find((e) => e.type === "part-start" || e.type === "part-end" || e.type === "tool-args-delta");
      if (call) {
        // What a blocking policy does: the call's events are withheld, a refusal takes its place.
        if (call?.type === "part-end") {
          const refusal: AssistantPart = { type: "refusal", text: "Blocked by policy: weather" };
          sent.push(...encoder.encode(ev({ type: "part-start", index: 0, part: { type: "refusal", text: "" } })));
          sent.push(...encoder.encode(ev({ type: "text-delta", index: 0, delta: refusal.text })));
          sent.push(...encoder.encode(ev({ type: "part-end", index: 0, part: refusal })));
        }
        continue;
      }
      // Everything else (function_call_arguments.done too) is the upstream's own event.
      sent.push(...encoder.encode(chunk));
    }
    const data = sent.map((e) => e.data as JsonObject);
    assert.deepEqual(data.map((d) => d.sequence_number), data.map((_, i) => i));
    const completed = data.at(-1)!;
    assert.equal(completed.type, "response.completed");
    const output = (completed.response as JsonObject).output as JsonObject[];
    assert.deepEqual(output, [{ id: "msg_0001", type: "message", status: "completed", content: [{ type: "refusal", refusal: "Blocked by policy: weather" }], role: "assistant" }]);
    const final = await sdkFinal(sent);
    assert.deepEqual(((final.output as JsonObject[]).map((i) => i.type)), ["message"]);
    assert.equal((final as JsonObject).id, "resp_04041325ab8ae30400698c519fb7fc81979972618138fc336d");
  });

  it("a part a stage puts before the upstream's items moves them on by one output index", async () => {
    const upstream = readFixtureChunks("openai-responses", "azure-tool-call.1.chunks.txt");
    const decoder = responsesCodec.streamDecoder();
    const encoder = new ResponsesStreamEncoder(context, ids() as never);
    const sent: NativeEvent[] = [];
    upstream.forEach((data, i) => {
      if (i === 2) {
        sent.push(...encoder.encode(ev({ type: "part-start", index: 100, part: { type: "text", text: "Note: " } })));
        sent.push(...encoder.encode(ev({ type: "part-end", index: 100, part: { type: "text", text: "Note: checked." } })));
      }
      sent.push(...encoder.encode(decoder.decode({ event: data.type as string, data })));
    });
    const data = sent.map((e) => e.data as JsonObject);
    assert.deepEqual(data.map((d) => d.sequence_number), data.map((_, i) => i));
    assert.ok(data.filter((d) => d.item_id === "fc_04041325ab8ae30400698c51c5468c8197a395f18875a5339f").every((d) => d.output_index === 1));
    const final = await sdkFinal(sent);
    assert.deepEqual((final.output as JsonObject[]).map((i) => i.type), ["message", "function_call"]);
    assert.equal(final.output_text, "Note: checked.");
  });

  it("a redacted delta stays redacted in every event that repeats the text", async () => {
    const upstream = readFixtureChunks("openai-responses", "openai-pdf-input-file.1.chunks.txt");
    const decoder = responsesCodec.streamDecoder();
    const encoder = new ResponsesStreamEncoder(context);
    const redact = (t: string) => t.replace("PDF", "***");
    const sent: NativeEvent[] = [];
    let changed = false;
    for (const data of upstream) {
      const chunk = decoder.decode({ event: data.type as string, data });
      chunk.raw = { format: "openai-responses", bytes: JSON.stringify(data) };
      const touched = chunk.events.some((e) => (e.type === "text-delta" && e.delta.includes("PDF")) || (e.type === "part-end" && e.part.type === "text"));
      if (touched) {
        // A guardrail's new chunk: the same extras, redacted events, no raw frame.
        const events = chunk.events.map((e) =>
          e.type === "text-delta" ? { ...e, delta: redact(e.delta) } : e.type === "part-end" && e.part.type === "text" ? { ...e, part: { ...e.part, text: redact(e.part.text) } } : e,
        );
        sent.push(...encoder.encode({ events, extras: chunk.extras }));
        changed = true;
      } else if (!changed) {
        // The writer forwards the upstream's bytes and lets the encoder follow along…
        encoder.observe(chunk);
        sent.push({ event: data.type as string, data });
      } else {
        // …and once a stage changed something, encodes every later event.
        sent.push(...encoder.encode(chunk));
      }
    }
    const after = sent.slice(sent.findIndex((e) => JSON.stringify(e.data).includes("***")));
    assert.ok(after.every((e) => !JSON.stringify(e.data).includes("Dummy PDF")), "no later event repeats the original text");
    const data = sent.map((e) => e.data as JsonObject);
    assert.deepEqual(data.map((d) => d.sequence_number), data.map((_, i) => i));
    assert.equal(data.find((d) => d.type === "response.output_text.done")?.text, "Dummy *** file");
    const final = await sdkFinal(sent);
    assert.equal(final.output_text, "Dummy *** file");
  });
});
