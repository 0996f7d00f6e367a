import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ProxyError } from "../../src/canonical/error.ts";
import type { JsonObject } from "../../src/canonical/extras.ts";
import type { CanonicalRequest, Message } from "../../src/canonical/request.ts";
import { encodeAnthropicRequest } from "./encode-anthropic-request.ts";

/** Requests as the OpenAI decoders produce them (parts carry their own origins, not Anthropic's). */
const o = (index: number) => ({ format: "openai-chat" as const, index });
const user = (text: string, i = 0): Message => ({ role: "user", content: [{ type: "text", text, origin: o(i) }] });
const req = (messages: Message[], rest: Partial<CanonicalRequest> = {}): CanonicalRequest => ({ model: "claude-sonnet-4-5", messages, stream: false, ...rest });
const encode = (r: CanonicalRequest) => encodeAnthropicRequest(r);

describe("system and developer messages", () => {
  test("anywhere in the history go to system, in order, after Responses instructions", () => {
    const body = encode(
      req(
        [
          { role: "developer", content: [{ type: "text", text: "Dev rules" }] },
          user("hi", 1),
          { role: "assistant", content: [{ type: "text", text: "hello" }] },
          { role: "system", content: [{ type: "text", text: "Late system note" }] },
          user("again", 4),
        ],
        { instructions: "Be concise." },
      ),
    );
    assert.deepEqual(body.system, [
      { type: "text", text: "Be concise." },
      { type: "text", text: "Dev rules" },
      { type: "text", text: "Late system note" },
    ]);
    assert.deepEqual(body.messages, [
      { role: "user", content: [{ type: "text", text: "hi" }] },
      { role: "assistant", content: [{ type: "text", text: "hello" }] },
      { role: "user", content: [{ type: "text", text: "again" }] },
    ]);
  });

  test("a single system text is a plain string", () => {
    assert.equal(encode(req([{ role: "system", content: [{ type: "text", text: "Only this" }] }, user("x")])).system, "Only this");
  });
});

describe("tool calls and results", () => {
  const calls: Message = {
    role: "assistant",
    content: [
      { type: "text", text: "" },
      { type: "tool-call", id: "call_abc", name: "get_weather", arguments: '{"city":"Paris"}', kind: "function" },
      { type: "tool-call", id: "call_def", name: "list_files", arguments: "", kind: "function" },
      { type: "tool-call", id: "call_ghi", name: "now", arguments: "{}", kind: "function" },
    ],
  };
  const results: Message[] = [
    { role: "tool", content: [{ type: "tool-result", callId: "call_abc", content: "18°C" }] },
    { role: "tool", content: [{ type: "tool-result", callId: "call_def", content: [{ type: "text", text: "a.txt" }], isError: false }] },
    { role: "tool", content: [{ type: "tool-result", callId: "call_ghi", content: "", isError: true }] },
  ];

  test("results of several tool messages and the next user text form one user turn, results first", () => {
    const body = encode(req([user("weather?"), calls, ...results, user("and tomorrow?")]));
    const messages = body.messages as JsonObject[];
    assert.equal(messages.length, 3);
    assert.deepEqual(messages[1], {
      role: "assistant",
      content: [
        { type: "tool_use", id: "call_abc", name: "get_weather", input: { city: "Paris" } },
        { type: "tool_use", id: "call_def", name: "list_files", input: {} },
        { type: "tool_use", id: "call_ghi", name: "now", input: {} },
      ],
    });
    assert.deepEqual(messages[2], {
      role: "user",
      content: [
        { type: "tool_result", tool_use_id: "call_abc", content: "18°C" },
        { type: "tool_result", tool_use_id: "call_def", content: [{ type: "text", text: "a.txt" }], is_error: false },
        { type: "tool_result", tool_use_id: "call_ghi", is_error: true },
        { type: "text", text: "and tomorrow?" },
      ],
    });
  });

  test("a user message between the calls and their results does not split them from the calls", () => {
    const body = encode(req([user("go"), calls, user("(interjection)", 2), ...results]));
    const turn = (body.messages as JsonObject[])[2].content as JsonObject[];
    assert.deepEqual(
      turn.map((b) => b.type),
      ["tool_result", "tool_result", "tool_result", "text"],
    );
  });

  test("ids are made to fit Anthropic's pattern on both sides; namespaces are flattened", () => {
    const body = encode(
      req([
        user("x"),
        { role: "assistant", content: [{ type: "tool-call", id: "functions.search:0", name: "search", namespace: "mcp__docs", arguments: "{}", kind: "function" }] },
        { role: "tool", content: [{ type: "tool-result", callId: "functions.search:0", content: "ok" }] },
      ], {
        tools: [{ kind: "function", name: "search", namespace: "mcp__docs", parameters: { type: "object", properties: {} } }],
        toolChoice: { type: "tool", name: "search", namespace: "mcp__docs" },
      }),
    );
    const [, call, result] = body.messages as JsonObject[];
    assert.deepEqual((call.content as JsonObject[])[0], { type: "tool_use", id: "functions_search_0", name: "mcp__docs__search", input: {} });
    assert.equal(((result.content as JsonObject[])[0] as JsonObject).tool_use_id, "functions_search_0");
    assert.deepEqual(body.tools, [{ name: "mcp__docs__search", input_schema: { type: "object", properties: {} } }]);
    assert.deepEqual(body.tool_choice, { type: "tool", name: "mcp__docs__search" });
  });

  test("arguments that are not a JSON object degrade to {} instead of failing the call", () => {
    const body = encode(req([user("x"), { role: "assistant", content: [{ type: "tool-call", id: "c1", name: "f", arguments: '{"trunc', kind: "function" }] }]));
    assert.deepEqual(((body.messages as JsonObject[])[1].content as JsonObject[])[0].input, {});
  });
});

describe("tools and tool choice", () => {
  const tools: CanonicalRequest["tools"] = [
    { kind: "function", name: "get_weather", description: "Weather", parameters: { type: "object", properties: { city: { type: "string", minLength: 1 } }, required: ["city"] }, strict: true },
    { kind: "function", name: "ping" },
    { kind: "custom", name: "apply_patch", description: "Apply a patch" },
    { kind: "hosted", format: "openai-responses", value: { type: "web_search" } },
    { kind: "hosted", format: "anthropic", value: { type: "web_search_20250305", name: "web_search" } },
  ];

  test("functions (no-parameter ones get an empty object schema, strict schemas are made strict), custom tools take a string, foreign hosted tools are left out", () => {
    const body = encode(req([user("x")], { tools }));
    assert.deepEqual(body.tools, [
      {
        name: "get_weather",
        description: "Weather",
        input_schema: { type: "object", properties: { city: { type: "string", description: "{minLength: 1}" } }, additionalProperties: false, required: ["city"] },
        strict: true,
      },
      { name: "ping", input_schema: { type: "object", properties: {} } },
      { name: "apply_patch", input_schema: { type: "object", properties: { input: { type: "string" } }, required: ["input"] }, description: "Apply a patch" },
      { type: "web_search_20250305", name: "web_search" },
    ]);
    assert.equal(body.tool_choice, undefined);
  });

  test("strict is only sent to models with structured outputs", () => {
    const body = encode(req([user("x")], { model: "claude-3-5-haiku-latest", tools: tools.slice(0, 1) }));
    assert.equal((body.tools as JsonObject[])[0].strict, undefined);
  });

  test("auto, none, required (any), named, and parallelToolCalls: false", () => {
    const choice = (toolChoice: CanonicalRequest["toolChoice"], parallelToolCalls?: boolean) => encode(req([user("x")], { tools, toolChoice, parallelToolCalls })).tool_choice;
    assert.deepEqual(choice({ type: "auto" }), { type: "auto" });
    assert.deepEqual(choice({ type: "none" }), { type: "none" });
    assert.deepEqual(choice({ type: "required" }), { type: "any" });
    assert.deepEqual(choice({ type: "tool", name: "get_weather" }), { type: "tool", name: "get_weather" });
    assert.deepEqual(choice({ type: "required" }, false), { type: "any", disable_parallel_tool_use: true });
    assert.deepEqual(choice(undefined, false), { type: "auto", disable_parallel_tool_use: true });
    assert.deepEqual(choice({ type: "none" }, false), { type: "none" });
    assert.equal(choice(undefined, true), undefined);
  });

  test("allowed tools narrow the list; models that refuse forced tool use get auto", () => {
    const allowed = encode(req([user("x")], { tools, toolChoice: { type: "allowed", mode: "required", names: ["ping"] } }));
    assert.deepEqual((allowed.tools as JsonObject[]).map((t) => t.name), ["ping", "web_search"]);
    assert.deepEqual(allowed.tool_choice, { type: "any" });
    const refusing = encode(req([user("x")], { model: "claude-opus-5-5", tools, toolChoice: { type: "tool", name: "ping" } }));
    assert.deepEqual(refusing.tool_choice, { type: "auto" });
    assert.deepEqual((refusing.tools as JsonObject[]).map((t) => t.name), ["ping"]);
  });
});

describe("reasoning", () => {
  const signed: Message = {
    role: "assistant",
    content: [
      { type: "reasoning", producer: "anthropic", text: "thinking…", signature: "EqQBsig" },
      { type: "reasoning", producer: "anthropic", redacted: true, encrypted: "EmwKredacted" },
      { type: "reasoning", producer: "openai-responses", summary: ["OpenAI summary"], encrypted: "gAAAA" },
      { type: "reasoning", producer: "anthropic", text: "unsigned" },
      { type: "reasoning", producer: "bedrock", text: "bedrock thinking", signature: "bedrock-sig" },
      { type: "text", text: "answer" },
    ],
  };

  test("Anthropic's signed and redacted thinking is replayed byte for byte; foreign and unsigned reasoning is dropped", () => {
    const body = encode(req([user("q"), signed, user("more", 2)]));
    assert.deepEqual((body.messages as JsonObject[])[1].content, [
      { type: "thinking", thinking: "thinking…", signature: "EqQBsig" },
      { type: "redacted_thinking", data: "EmwKredacted" },
      { type: "text", text: "answer" },
    ]);
  });

  test("effort on a budget model: enabled thinking with a budget on top of the visible limit", () => {
    const body = encode(req([user("q")], { reasoning: { effort: "medium" }, maxOutputTokens: 2000, temperature: 0.3, topK: 5, topP: 0.5 }));
    assert.deepEqual(body.thinking, { type: "enabled", budget_tokens: 19200 });
    assert.equal(body.max_tokens, 21200);
    assert.equal(body.temperature, undefined, "thinking refuses temperature");
    assert.equal(body.top_k, undefined);
    assert.equal(body.top_p, undefined);
  });

  test("explicit budget, clamped to the model's output limit", () => {
    const body = encode(req([user("q")], { reasoning: { budgetTokens: 60000 } }));
    assert.equal(body.max_tokens, 64000);
    assert.deepEqual(body.thinking, { type: "enabled", budget_tokens: 60000 });
    const tiny = encode(req([user("q")], { reasoning: { budgetTokens: 100 }, maxOutputTokens: 500 }));
    assert.deepEqual(tiny.thinking, { type: "enabled", budget_tokens: 1024 });
    assert.equal(tiny.max_tokens, 1524);
  });

  test("adaptive models get adaptive thinking with summaries and an effort; sampling parameters are left out", () => {
    const body = encode(req([user("q")], { model: "claude-opus-4-7", reasoning: { effort: "xhigh" }, temperature: 0.2, topP: 0.9 }));
    assert.deepEqual(body.thinking, { type: "adaptive", display: "summarized" });
    assert.deepEqual(body.output_config, { effort: "xhigh" });
    assert.equal(body.max_tokens, 32000);
    assert.equal(body.temperature, undefined);
    assert.equal(body.top_p, undefined);
    assert.deepEqual(encode(req([user("q")], { model: "claude-opus-4-6", reasoning: { effort: "xhigh" } })).output_config, { effort: "max" });
    assert.deepEqual(encode(req([user("q")], { model: "claude-opus-4-6", reasoning: { effort: "minimal" } })).output_config, { effort: "low" });
    assert.deepEqual(encode(req([user("q")], { model: "claude-opus-4-8", reasoning: { budgetTokens: 50000 } })).output_config, { effort: "medium" });
    assert.deepEqual(encode(req([user("q")], { model: "claude-opus-4-6", reasoning: { budgetTokens: 4096 } })).thinking, { type: "enabled", budget_tokens: 4096 });
  });

  test("reasoning off", () => {
    assert.deepEqual(encode(req([user("q")], { reasoning: { effort: "none" } })).thinking, { type: "disabled" });
    assert.deepEqual(encode(req([user("q")], { model: "claude-opus-4-7", reasoning: { disabled: true } })).thinking, { type: "disabled" });
    const always = encode(req([user("q")], { model: "claude-fable-5", reasoning: { effort: "none" } }));
    assert.equal(always.thinking, undefined);
    assert.deepEqual(always.output_config, { effort: "low" });
    assert.equal(encode(req([user("q")], { model: "claude-3-5-haiku-latest", reasoning: { effort: "high" } })).thinking, undefined);
  });

  test("thinking is switched off where the API would refuse it", () => {
    const forced = encode(req([user("q")], { reasoning: { effort: "high" }, tools: [{ kind: "function", name: "f" }], toolChoice: { type: "required" } }));
    assert.deepEqual(forced.thinking, { type: "disabled" });
    const foreignToolTurn = encode(
      req([
        user("q"),
        { role: "assistant", content: [{ type: "tool-call", id: "c", name: "f", arguments: "{}", kind: "function" }] },
        { role: "tool", content: [{ type: "tool-result", callId: "c", content: "r" }] },
      ], { reasoning: { effort: "high" } }),
    );
    assert.deepEqual(foreignToolTurn.thinking, { type: "disabled" });
  });
});

describe("media", () => {
  const media = (parts: Message["content"]) => ((encode(req([{ role: "user", content: parts } as Message])).messages as JsonObject[])[0].content as JsonObject[]);

  test("image URLs, data: URLs and base64", () => {
    assert.deepEqual(
      media([
        { type: "image", source: { kind: "url", url: "https://x.test/cat.png" }, detail: "high" },
        { type: "image", source: { kind: "url", url: "data:image/jpeg;base64,/9j/4AAQ" } },
        { type: "image", source: { kind: "base64", data: "iVBOR", mediaType: "image/png" } },
      ]),
      [
        { type: "image", source: { type: "url", url: "https://x.test/cat.png" } },
        { type: "image", source: { type: "base64", media_type: "image/jpeg", data: "/9j/4AAQ" } },
        { type: "image", source: { type: "base64", media_type: "image/png", data: "iVBOR" } },
      ],
    );
  });

  test("PDFs and text files become documents; other files are refused", () => {
    assert.deepEqual(
      media([
        { type: "file", source: { kind: "url", url: "data:application/pdf;base64,JVBERi0" }, filename: "a.pdf" },
        { type: "file", source: { kind: "url", url: "https://x.test/b.pdf" } },
        { type: "file", source: { kind: "base64", data: Buffer.from("hello").toString("base64"), mediaType: "text/markdown" } },
      ]),
      [
        { type: "document", source: { type: "base64", media_type: "application/pdf", data: "JVBERi0" }, title: "a.pdf" },
        { type: "document", source: { type: "url", url: "https://x.test/b.pdf" } },
        { type: "document", source: { type: "text", media_type: "text/plain", data: "hello" } },
      ],
    );
    assert.throws(
      () => media([{ type: "file", source: { kind: "base64", data: "UEsDBA", mediaType: "application/zip" } }]),
      (err: unknown) => err instanceof ProxyError && err.error.status === 400 && err.error.param === "messages[0].content[0]",
    );
    assert.throws(() => media([{ type: "audio", data: "UklG", format: "wav" }]), ProxyError);
  });
});

describe("output format and parameters", () => {
  const schema = { type: "object", properties: { answer: { type: "integer", minimum: 0 } }, required: ["answer"] };

  test("json_schema becomes output_config.format with a schema Anthropic accepts", () => {
    const body = encode(req([user("q")], { responseFormat: { type: "json_schema", name: "result", schema, strict: true } }));
    assert.deepEqual(body.output_config, {
      format: { type: "json_schema", schema: { type: "object", properties: { answer: { type: "integer", description: "{minimum: 0}" } }, additionalProperties: false, required: ["answer"] } },
    });
    assert.equal(body.tools, undefined);
  });

  test("models without structured outputs answer through a forced tool", () => {
    const body = encode(req([user("q")], { model: "claude-3-5-haiku-latest", responseFormat: { type: "json_schema", name: "result", schema } }));
    assert.equal(body.output_config, undefined);
    assert.deepEqual(body.tool_choice, { type: "tool", name: "portcullis_structured_output" });
    assert.deepEqual((body.tools as JsonObject[])[0].input_schema, schema);
    const withTools = encode(req([user("q")], { model: "claude-3-5-haiku-latest", responseFormat: { type: "json_schema", name: "r", schema: { type: "array" } }, tools: [{ kind: "function", name: "f" }] }));
    assert.deepEqual(withTools.tool_choice, { type: "any" });
    assert.deepEqual((withTools.tools as JsonObject[]).map((t) => t.name), ["f", "portcullis_structured_value"]);
  });

  test("json_object adds an instruction; stop, temperature, top_k, user", () => {
    const body = encode(req([{ role: "system", content: [{ type: "text", text: "sys" }] }, user("q")], {
      responseFormat: { type: "json_object" },
      stop: ["\n", "END"],
      temperature: 1.7,
      topK: 20,
      user: "user-42",
      seed: 7,
      frequencyPenalty: 0.5,
      stream: true,
    }));
    assert.deepEqual(body.system, [{ type: "text", text: "sys" }, { type: "text", text: "Respond only with a valid JSON object." }]);
    assert.deepEqual(body.stop_sequences, ["END"]);
    assert.equal(body.temperature, 1);
    assert.equal(body.top_k, 20);
    assert.deepEqual(body.metadata, { user_id: "user-42" });
    assert.equal(body.stream, true);
    assert.equal(body.seed, undefined);
  });

  test("max_tokens defaults per model; sampling is left out for models that refuse it", () => {
    assert.equal(encode(req([user("q")])).max_tokens, 32000);
    assert.equal(encode(req([user("q")], { model: "claude-3-haiku-20240307" })).max_tokens, 4096);
    assert.equal(encode(req([user("q")], { model: "claude-3-haiku-20240307", maxOutputTokens: 9000 })).max_tokens, 4096);
    assert.equal(encode(req([user("q")], { model: "vendor-model", maxOutputTokens: 9000 })).max_tokens, 9000);
    const opus = encode(req([user("q")], { model: "claude-opus-4-8", temperature: 0.5, topP: 0.9, topK: 3 }));
    assert.deepEqual([opus.temperature, opus.top_p, opus.top_k], [undefined, undefined, undefined]);
  });

  test("a conversation opening with the assistant gets a user turn first; a final assistant turn loses trailing whitespace", () => {
    const body = encode(req([{ role: "assistant", content: [{ type: "text", text: "How can I help?" }] }, user("q", 1), { role: "assistant", content: [{ type: "text", text: "Sure:  \n" }] }]));
    assert.deepEqual(body.messages, [
      { role: "user", content: [{ type: "text", text: "." }] },
      { role: "assistant", content: [{ type: "text", text: "How can I help?" }] },
      { role: "user", content: [{ type: "text", text: "q" }] },
      { role: "assistant", content: [{ type: "text", text: "Sure:" }] },
    ]);
  });

  test("empty texts are dropped and empty turns left out", () => {
    const body = encode(req([user("q"), { role: "assistant", content: [{ type: "text", text: "" }] }, user("again", 2)]));
    assert.deepEqual(body.messages, [{ role: "user", content: [{ type: "text", text: "q" }, { type: "text", text: "again" }] }]);
  });
});
