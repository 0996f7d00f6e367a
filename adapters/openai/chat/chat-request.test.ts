import assert from "node:assert/strict";
import { test } from "node:test";
import type { ChatCompletionCreateParams } from "openai/resources/chat/completions";
import { ProxyError } from "../../../src/canonical/error.ts";
import type { JsonObject } from "../../../src/canonical/extras.ts";
import type { CanonicalRequest } from "../../../src/canonical/request.ts";
import { chatCodec } from "./chat-codec.ts";
import { encodeChatRequest } from "./encode-chat-request.ts";

const roundTrip = (body: JsonObject) => assert.deepEqual(chatCodec.encodeRequest(chatCodec.decodeRequest(body)), body);

/** An agent's tool loop turn with every common field, and the extras a client may add. */
const agentTurn = {
  model: "openai:gpt-4.1",
  messages: [
    { role: "system", content: "You are a travel agent." },
    { role: "user", content: [{ type: "text", text: "Weather in Paris and Rome? Here is my photo." }, { type: "image_url", image_url: { url: "https://img.example/p.jpg", detail: "low" } }, { type: "image_url", image_url: { url: "data:image/png;base64,iVBORw0KGgo=" } }] },
    { role: "assistant", content: null, tool_calls: [
      { id: "call_1", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } },
      { id: "call_2", type: "function", function: { name: "get_weather", arguments: '{"city":"Rome"}' } },
    ] },
    { role: "tool", tool_call_id: "call_1", content: "18C, sunny" },
    { role: "tool", tool_call_id: "call_2", content: [{ type: "text", text: "22C" }] },
  ],
  tools: [
    { type: "function", function: { name: "get_weather", description: "Weather for a city", parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"], additionalProperties: false }, strict: true } },
    { type: "custom", custom: { name: "apply_patch", description: "Edit files", format: { type: "grammar", grammar: { syntax: "lark", definition: "start: /.+/" } } } },
  ],
  tool_choice: { type: "function", function: { name: "get_weather" } },
  parallel_tool_calls: false,
  max_completion_tokens: 1024,
  temperature: 0.2,
  top_p: 0.9,
  frequency_penalty: 0.1,
  presence_penalty: 0,
  seed: 42,
  stop: "END",
  reasoning_effort: "low",
  response_format: { type: "json_schema", json_schema: { name: "weather", schema: { type: "object", properties: { summary: { type: "string" } } }, strict: true } },
  stream: true,
  stream_options: { include_usage: true, include_obfuscation: false },
  user: "user-123",
  metadata: { team: "travel" },
  n: 1,
  logprobs: true,
  top_logprobs: 2,
  logit_bias: { "50256": -100 },
  prediction: { type: "content", content: "old text" },
  modalities: ["text"],
  service_tier: "flex",
  store: false,
  prompt_cache_key: "agent-7",
  safety_identifier: "hashed-user",
  verbosity: "low",
  web_search_options: { search_context_size: "low" },
} satisfies ChatCompletionCreateParams;

test("round trip of an agent's tool-loop request with every common field", () => roundTrip(agentTurn));

test("the agent request in canonical form", () => {
  const r = chatCodec.decodeRequest(agentTurn);
  assert.equal(r.model, "openai:gpt-4.1");
  assert.equal(r.stream, true);
  assert.equal(r.streamUsage, true);
  assert.equal(r.maxOutputTokens, 1024);
  assert.deepEqual(r.stop, ["END"]);
  assert.deepEqual(r.reasoning, { effort: "low" });
  assert.equal(r.parallelToolCalls, false);
  assert.deepEqual(r.toolChoice, { type: "tool", name: "get_weather" });
  assert.deepEqual(r.responseFormat, { type: "json_schema", name: "weather", schema: { type: "object", properties: { summary: { type: "string" } } }, strict: true });
  assert.equal(r.user, "user-123");
  assert.deepEqual(r.metadata, { team: "travel" });
  assert.deepEqual(r.tools?.map((t) => [t.kind, t.kind === "hosted" ? "" : t.name]), [["function", "get_weather"], ["custom", "apply_patch"]]);
  const [system, user, assistant, tool1, tool2] = r.messages;
  assert.deepEqual(system.content.map((p) => p.type === "text" && p.text), ["You are a travel agent."]);
  assert.equal(user.role, "user");
  assert.deepEqual(user.content.map((p) => p.type), ["text", "image", "image"]);
  assert.ok(user.content[1].type === "image" && user.content[1].detail === "low" && user.content[1].source.kind === "url");
  assert.ok(user.content[2].type === "image");
  assert.deepEqual(user.content[2].type === "image" && user.content[2].source, { kind: "base64", mediaType: "image/png", data: "iVBORw0KGgo=" });
  assert.equal(assistant.role, "assistant");
  assert.deepEqual(assistant.content.map((p) => p.type === "tool-call" && [p.id, p.name, p.arguments]), [["call_1", "get_weather", '{"city":"Paris"}'], ["call_2", "get_weather", '{"city":"Rome"}']]);
  assert.equal(tool1.role, "tool");
  assert.ok(tool1.content[0].type === "tool-result" && tool1.content[0].callId === "call_1" && tool1.content[0].content === "18C, sunny");
  assert.equal(tool1.content[0].name, undefined, "the tool name is not on the Chat wire");
  assert.ok(tool2.content[0].type === "tool-result" && Array.isArray(tool2.content[0].content));
  const extras = r.extras?.["openai-chat"] ?? {};
  for (const key of ["n", "logprobs", "logit_bias", "prediction", "modalities", "service_tier", "store", "prompt_cache_key", "safety_identifier", "verbosity", "web_search_options"]) {
    assert.ok(key in extras, `${key} kept in extras`);
  }
  for (const key of ["temperature", "tools", "messages", "max_completion_tokens", "metadata"]) assert.equal(key in extras, false, `${key} is not duplicated in extras`);
});

test("max_tokens, stop arrays, legacy functions and function messages come back as they were", () => {
  const body = {
    model: "openai:gpt-3.5-turbo",
    messages: [
      { role: "user", content: "What time is it?", name: "alice" },
      { role: "assistant", content: null, function_call: { name: "get_time", arguments: '{"tz":"UTC"}' } },
      { role: "function", name: "get_time", content: "12:00" },
      { role: "function", name: "get_time", content: null },
    ],
    functions: [{ name: "get_time", parameters: { type: "object", properties: {} } }],
    function_call: "auto",
    max_tokens: 50,
    stop: ["\n", "END"],
    stream: false,
  };
  roundTrip(body);
  const r = chatCodec.decodeRequest(body);
  assert.equal(r.maxOutputTokens, 50);
  assert.deepEqual(r.stop, ["\n", "END"]);
  assert.ok(r.messages[1].content[0].type === "tool-call" && r.messages[1].content[0].name === "get_time");
  assert.ok(r.messages[2].content[0].type === "tool-result" && r.messages[2].content[0].name === "get_time" && r.messages[2].content[0].content === "12:00");
  // Both limits given: max_completion_tokens is the limit, max_tokens rides along.
  const both = { model: "m", messages: [{ role: "user", content: "hi" }], max_tokens: 10, max_completion_tokens: 20 };
  assert.equal(chatCodec.decodeRequest(both).maxOutputTokens, 20);
  roundTrip(both);
  // A stage that lowers the limit writes it in the field the client used.
  const lowered = { ...chatCodec.decodeRequest(body), maxOutputTokens: 5 };
  assert.equal(chatCodec.encodeRequest(lowered).max_tokens, 5);
});

test("every content part, names, array content and provider-specific parts round trip", () => {
  roundTrip({
    model: "m",
    messages: [
      { role: "developer", content: [{ type: "text", text: "Be brief." }], name: "ops" },
      { role: "system", content: [{ type: "text", text: "Part one." }, { type: "text", text: "Part two.", cache_control: { type: "ephemeral" } }] },
      { role: "user", content: [
        { type: "text", text: "Listen and read." },
        { type: "input_audio", input_audio: { data: "UklGRg==", format: "wav" } },
        { type: "file", file: { file_id: "file-abc" } },
        { type: "file", file: { file_data: "data:application/pdf;base64,JVBERi0=", filename: "a.pdf" } },
        { type: "file", file: { file_data: "JVBERi0=", filename: "raw.pdf" } },
        { type: "video_url", video_url: { url: "https://v.example/a.mp4" } },
        { type: "image_url", image_url: { url: "data:image/jpeg;name=x;base64,AAA=" } },
      ] },
      { role: "assistant", content: [{ type: "text", text: "Partly." }, { type: "refusal", refusal: "Not the rest." }], refusal: null, name: "bot" },
      { role: "assistant", content: "", reasoning_content: "thinking…", tool_calls: [{ id: "c9", type: "function", function: { name: "f", arguments: "" } }] },
      { role: "assistant", content: "ok", reasoning: "groq style" },
      { role: "user", content: "" },
    ],
  });
});

test("decoded parts: files, audio, unknown parts kept native, refusal in content", () => {
  const r = chatCodec.decodeRequest({
    model: "m",
    messages: [
      { role: "user", content: [
        { type: "file", file: { file_data: "data:application/pdf;base64,JVBERi0=", filename: "a.pdf" } },
        { type: "input_audio", input_audio: { data: "UklGRg==", format: "wav" } },
        { type: "video_url", video_url: { url: "https://v.example/a.mp4" } },
      ] },
      { role: "assistant", content: [{ type: "refusal", refusal: "No." }] },
    ],
  });
  const [file, audio, video] = r.messages[0].content;
  assert.deepEqual(file.type === "file" && [file.source, file.mediaType, file.filename], [{ kind: "base64", mediaType: "application/pdf", data: "JVBERi0=" }, "application/pdf", "a.pdf"]);
  assert.ok(audio.type === "audio" && audio.format === "wav" && audio.data === "UklGRg==");
  assert.ok(video.type === "native" && video.format === "openai-chat");
  assert.ok(r.messages[1].content[0].type === "refusal" && r.messages[1].content[0].text === "No.");
});

test("tool_choice forms: simple, custom, allowed_tools; an odd one is kept as it was", () => {
  const tools = [{ type: "function", function: { name: "a" } }, { type: "custom", custom: { name: "b" } }];
  const base = { model: "m", messages: [{ role: "user", content: "x" }], tools };
  for (const tool_choice of [
    "none",
    "required",
    { type: "custom", custom: { name: "b" } },
    { type: "allowed_tools", allowed_tools: { mode: "required", tools: [{ type: "function", function: { name: "a" } }, { type: "custom", custom: { name: "b" } }] } },
    { type: "function", function: { name: "a", extra: 1 } },
    "any",
  ]) roundTrip({ ...base, tool_choice });
  assert.deepEqual(chatCodec.decodeRequest({ ...base, tool_choice: { type: "allowed_tools", allowed_tools: { mode: "auto", tools: [{ type: "function", function: { name: "a" } }] } } }).toolChoice, { type: "allowed", mode: "auto", names: ["a"] });
  assert.equal(chatCodec.decodeRequest({ ...base, tool_choice: "any" }).toolChoice, undefined);
  // An unknown tool type is a hosted tool of this format.
  const hosted = chatCodec.decodeRequest({ ...base, tools: [{ type: "browser_search" }] }).tools?.[0];
  assert.deepEqual(hosted, { kind: "hosted", format: "openai-chat", value: { type: "browser_search" } });
});

test("response_format and nulls round trip; nulls are not values", () => {
  for (const response_format of [{ type: "text" }, { type: "json_object" }, { type: "json_schema", json_schema: { name: "n", schema: {}, description: "d", strict: null } }]) {
    roundTrip({ model: "m", messages: [{ role: "user", content: "x" }], response_format });
  }
  const nulls = { model: "m", messages: [{ role: "user", content: "x" }], temperature: null, max_tokens: null, stop: null, stream: null, stream_options: null, reasoning_effort: null, seed: null, user: null, metadata: null, tools: null, tool_choice: null };
  roundTrip(nulls);
  const r = chatCodec.decodeRequest(nulls);
  assert.equal(r.temperature, undefined);
  assert.equal(r.maxOutputTokens, undefined);
  assert.equal(r.stream, false);
});

function rejects(body: unknown, param: string): void {
  assert.throws(
    () => chatCodec.decodeRequest(body as JsonObject),
    (err: unknown) => err instanceof ProxyError && err.error.status === 400 && err.error.param === param && err.error.message.includes(param),
    `expected a 400 naming ${param}`,
  );
}

test("invalid requests are 400s that name the field", () => {
  const user = { role: "user", content: "hi" };
  rejects({ messages: [user] }, "model");
  rejects({ model: "m" }, "messages");
  rejects({ model: "m", messages: [] }, "messages");
  rejects({ model: "m", messages: [user, user, { role: "user", content: 42 }] }, "messages[2].content");
  rejects({ model: "m", messages: [user, { role: "robot", content: "x" }] }, "messages[1].role");
  rejects({ model: "m", messages: [{ role: "tool", content: "x" }] }, "messages[0].tool_call_id");
  rejects({ model: "m", messages: [{ role: "assistant", content: null, tool_calls: [{ type: "function", function: { name: "f", arguments: "{}" } }] }] }, "messages[0].tool_calls[0].id");
  rejects({ model: "m", messages: [{ role: "user", content: [{ type: "text", text: "a" }, { type: "text", text: 5 }] }] }, "messages[0].content[1].text");
  rejects({ model: "m", messages: [{ role: "user", content: [{ type: "image_url", image_url: {} }] }] }, "messages[0].content[0].image_url.url");
  rejects({ model: "m", messages: [user], temperature: "hot" }, "temperature");
  rejects({ model: "m", messages: [user], max_completion_tokens: 1.5 }, "max_completion_tokens");
  rejects({ model: "m", messages: [user], stream: "yes" }, "stream");
  rejects({ model: "m", messages: [user], metadata: { a: 1 } }, "metadata.a");
  rejects({ model: "m", messages: [{ role: "tool", tool_call_id: "c", content: [{ type: "input_audio", input_audio: { data: "x", format: "wav" } }] }] }, "messages[0].content[0].type");
});

/** A canonical request as the Responses (or Anthropic) decoder would make it. */
const foreign: CanonicalRequest = {
  model: "gpt-4o-mini",
  instructions: "You are Codex.",
  messages: [
    { role: "developer", content: [{ type: "text", text: "Use tools.", origin: { format: "openai-responses", index: 0 } }] },
    { role: "user", content: [{ type: "text", text: "Fix the bug." }, { type: "image", source: { kind: "base64", data: "iVBOR", mediaType: "image/png" } }, { type: "file", source: { kind: "url", url: "https://f.example/a.pdf" } }] },
    {
      role: "assistant",
      content: [
        { type: "reasoning", text: "Look at the file first.", signature: "EqQBCkYIBxgC", producer: "anthropic" },
        { type: "reasoning", encrypted: "gAAAA", summary: ["Plan."], producer: "openai-responses", id: "rs_1" },
        { type: "text", text: "Reading files." },
        { type: "tool-call", id: "toolu_1", name: "read_file", arguments: '{"path":"a.ts"}', kind: "function" },
        { type: "tool-call", id: "toolu_2", name: "list_dir", arguments: "", kind: "function", extras: { anthropic: { type: "tool_use" } } },
        { type: "native", format: "openai-responses", value: { type: "web_search_call", id: "ws_1" } },
      ],
    },
    {
      role: "tool",
      content: [
        { type: "tool-result", callId: "toolu_1", content: "export const a = 1;" },
        { type: "tool-result", callId: "toolu_2", content: [{ type: "text", text: "a.ts" }, { type: "image", source: { kind: "url", url: "https://x/y.png" } }, { type: "text", text: "b.ts" }], isError: false },
      ],
    },
    { role: "assistant", content: [{ type: "reasoning", text: "only thinking", producer: "anthropic", signature: "s" }] },
  ],
  tools: [
    { kind: "function", name: "read_file", description: "Read a file", parameters: { type: "object", properties: { path: { type: "string" } } }, strict: false },
    { kind: "function", name: "list_dir", namespace: "mcp__fs" },
    { kind: "hosted", format: "openai-responses", value: { type: "web_search" } },
  ],
  toolChoice: { type: "required" },
  parallelToolCalls: true,
  maxOutputTokens: 2000,
  temperature: 1,
  topK: 40,
  reasoning: { effort: "medium", summary: "auto", budgetTokens: 4000 },
  responseFormat: { type: "json_schema", name: "fix", schema: { type: "object" } },
  stream: true,
  streamUsage: true,
  user: "u1",
  metadata: { a: "b" },
  extras: { "openai-responses": { store: false, include: ["reasoning.encrypted_content"] } },
};

test("a canonical request from another format becomes a standard Chat request", () => {
  assert.deepEqual(chatCodec.encodeRequest(foreign), {
    model: "gpt-4o-mini",
    messages: [
      { role: "system", content: "You are Codex." },
      { role: "system", content: "Use tools." },
      { role: "user", content: [{ type: "text", text: "Fix the bug." }, { type: "image_url", image_url: { url: "data:image/png;base64,iVBOR" } }] },
      {
        role: "assistant",
        content: "Reading files.",
        tool_calls: [
          { id: "toolu_1", type: "function", function: { name: "read_file", arguments: '{"path":"a.ts"}' } },
          { id: "toolu_2", type: "function", function: { name: "list_dir", arguments: "{}" } },
        ],
      },
      { role: "tool", tool_call_id: "toolu_1", content: "export const a = 1;" },
      { role: "tool", tool_call_id: "toolu_2", content: "a.ts\n\nb.ts" },
    ],
    tools: [
      { type: "function", function: { name: "read_file", description: "Read a file", parameters: { type: "object", properties: { path: { type: "string" } } }, strict: false } },
      { type: "function", function: { name: "list_dir" } },
    ],
    tool_choice: "required",
    parallel_tool_calls: true,
    max_completion_tokens: 2000,
    temperature: 1,
    reasoning_effort: "medium",
    response_format: { type: "json_schema", json_schema: { name: "fix", schema: { type: "object" } } },
    stream: true,
    stream_options: { include_usage: true },
    user: "u1",
  });
});

test("a foreign request without tools sends no tool_choice or parallel_tool_calls; no stream_options unless streaming", () => {
  const out = chatCodec.encodeRequest({ model: "m", messages: [{ role: "user", content: [{ type: "text", text: "hi" }] }], toolChoice: { type: "auto" }, parallelToolCalls: false, stream: false, streamUsage: true });
  assert.deepEqual(out, { model: "m", messages: [{ role: "user", content: "hi" }] });
});

test("provider options: reasoning text replayed where DeepSeek wants it, max_tokens for servers that take only that", () => {
  const out = encodeChatRequest(foreign, { reasoningReplay: "reasoning_content", maxTokensField: "max_tokens" });
  const assistants = (out.messages as JsonObject[]).filter((m) => m.role === "assistant");
  assert.equal(assistants.length, 1, "a turn with nothing but reasoning is still left out");
  assert.equal(assistants[0].reasoning_content, "Look at the file first.", "the text only: the signature is Anthropic's");
  assert.equal(assistants[0].reasoning_details, undefined);
  assert.equal(out.max_tokens, 2000);
  assert.equal(out.max_completion_tokens, undefined);
  const noReasoning = encodeChatRequest(
    { model: "m", stream: false, messages: [{ role: "assistant", content: [{ type: "tool-call", id: "c", name: "f", arguments: "{}", kind: "function" }] }] },
    { reasoningReplay: "reasoning_content" },
  );
  assert.equal((noReasoning.messages as JsonObject[])[0].reasoning_content, "", "DeepSeek requires the field on tool-call turns");
  // A Chat client's own request is never reshaped by the options.
  const own = chatCodec.decodeRequest(agentTurn);
  assert.deepEqual(encodeChatRequest(own, { reasoningReplay: "reasoning_content", maxTokensField: "max_tokens" }), agentTurn);
});
