import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ProxyError } from "../../src/canonical/error.ts";
import type { CanonicalRequest, Message } from "../../src/canonical/request.ts";
import { JSON_RESPONSE_TOOL } from "./bedrock-prepare-tools.ts";
import { encodeBedrockRequest } from "./encode-bedrock-request.ts";

const CLAUDE = "anthropic.claude-3-5-sonnet-20240620-v1:0";
const THINKING_CLAUDE = "us.anthropic.claude-3-7-sonnet-20250219-v1:0";
const req = (messages: Message[], more: Partial<CanonicalRequest> = {}): CanonicalRequest => ({ model: CLAUDE, messages, stream: false, ...more });
const user = (text: string): Message => ({ role: "user", content: [{ type: "text", text }] });
const weather = { kind: "function" as const, name: "get_weather", description: "Weather for a city", parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] } };

describe("encode-bedrock-request: translation rules", () => {
  it("puts instructions, system and developer messages from anywhere into system, in order", () => {
    const body = encodeBedrockRequest(
      req([{ role: "system", content: [{ type: "text", text: "Be brief." }] }, user("Hi"), { role: "developer", content: [{ type: "text", text: "Answer in French." }] }, user("Again")], {
        instructions: "You are Portcullis.",
      }),
    );
    assert.deepEqual(body.system, [{ text: "You are Portcullis." }, { text: "Be brief." }, { text: "Answer in French." }]);
    // The two user turns around the developer message become one, as Bedrock wants roles to alternate.
    assert.deepEqual(body.messages, [{ role: "user", content: [{ text: "Hi" }, { text: "Again" }] }]);
  });

  it("maps tool definitions and every tool choice", () => {
    const tools = [weather];
    assert.deepEqual(encodeBedrockRequest(req([user("x")], { tools })).toolConfig, {
      tools: [{ toolSpec: { name: "get_weather", description: "Weather for a city", inputSchema: { json: weather.parameters } } }],
    });
    assert.deepEqual(encodeBedrockRequest(req([user("x")], { tools, toolChoice: { type: "auto" } })).toolConfig?.toolChoice, { auto: {} });
    assert.deepEqual(encodeBedrockRequest(req([user("x")], { tools, toolChoice: { type: "required" } })).toolConfig?.toolChoice, { any: {} });
    assert.deepEqual(encodeBedrockRequest(req([user("x")], { tools, toolChoice: { type: "tool", name: "get_weather" } })).toolConfig?.toolChoice, { tool: { name: "get_weather" } });
    const allowed = encodeBedrockRequest(req([user("x")], { tools: [weather, { ...weather, name: "other" }], toolChoice: { type: "allowed", mode: "required", names: ["other"] } }));
    assert.deepEqual(allowed.toolConfig?.tools.map((t) => t.toolSpec?.name), ["other"]);
    assert.deepEqual(allowed.toolConfig?.toolChoice, { any: {} });
  });

  it("tool choice none: Claude's own tool_choice; other models get no tools", () => {
    const claude = encodeBedrockRequest(req([user("x")], { tools: [weather], toolChoice: { type: "none" } }));
    assert.equal(claude.toolConfig?.toolChoice, undefined);
    assert.equal(claude.toolConfig?.tools.length, 1);
    assert.deepEqual(claude.additionalModelRequestFields, { tool_choice: { type: "none" } });
    const nova = encodeBedrockRequest(req([user("x")], { model: "amazon.nova-pro-v1:0", tools: [weather], toolChoice: { type: "none" } }));
    assert.equal(nova.toolConfig, undefined);
    assert.equal(nova.additionalModelRequestFields, undefined);
  });

  it("parallelToolCalls false → Claude's disable_parallel_tool_use", () => {
    const body = encodeBedrockRequest(req([user("x")], { tools: [weather], toolChoice: { type: "required" }, parallelToolCalls: false }));
    assert.deepEqual(body.additionalModelRequestFields, { tool_choice: { type: "any", disable_parallel_tool_use: true } });
    assert.equal(body.toolConfig?.toolChoice, undefined);
    const named = encodeBedrockRequest(req([user("x")], { tools: [weather], toolChoice: { type: "tool", name: "get_weather" }, parallelToolCalls: false }));
    assert.deepEqual(named.additionalModelRequestFields?.tool_choice, { type: "tool", name: "get_weather", disable_parallel_tool_use: true });
    // No tools, no tool_choice: Claude refuses one alone.
    assert.equal(encodeBedrockRequest(req([user("x")], { parallelToolCalls: false })).additionalModelRequestFields, undefined);
    // A model without the switch just gets the standard choice.
    const llama = encodeBedrockRequest(req([user("x")], { model: "meta.llama3-1-70b-instruct-v1:0", tools: [weather], parallelToolCalls: false }));
    assert.equal(llama.additionalModelRequestFields, undefined);
  });

  it("assistant tool calls and their results: several results in one user turn right after the calls; no-arg calls get {}", () => {
    const body = encodeBedrockRequest(
      req(
        [
          user("Weather in Paris and the time?"),
          {
            role: "assistant",
            content: [
              { type: "text", text: "Let me check." },
              { type: "tool-call", id: "call_1", name: "get_weather", arguments: '{"city":"Paris"}', kind: "function" },
              { type: "tool-call", id: "call_2", name: "get_time", arguments: "", kind: "function" },
              { type: "tool-call", id: "call_3", name: "get_time", arguments: "{}", kind: "function" },
            ],
          },
          {
            role: "tool",
            content: [
              { type: "tool-result", callId: "call_1", content: "18°C, cloudy" },
              { type: "tool-result", callId: "call_2", content: [{ type: "text", text: "12:00" }], isError: false },
              { type: "tool-result", callId: "call_3", content: "clock broken", isError: true },
            ],
          },
          user("Thanks!"),
        ],
        { tools: [weather, { kind: "function", name: "get_time" }] },
      ),
    );
    assert.deepEqual(body.messages, [
      { role: "user", content: [{ text: "Weather in Paris and the time?" }] },
      {
        role: "assistant",
        content: [
          { text: "Let me check." },
          { toolUse: { toolUseId: "call_1", name: "get_weather", input: { city: "Paris" } } },
          { toolUse: { toolUseId: "call_2", name: "get_time", input: {} } },
          { toolUse: { toolUseId: "call_3", name: "get_time", input: {} } },
        ],
      },
      {
        role: "user",
        content: [
          { toolResult: { toolUseId: "call_1", content: [{ text: "18°C, cloudy" }] } },
          { toolResult: { toolUseId: "call_2", content: [{ text: "12:00" }], status: "success" } },
          { toolResult: { toolUseId: "call_3", content: [{ text: "clock broken" }], status: "error" } },
          { text: "Thanks!" },
        ],
      },
    ]);
    assert.deepEqual(body.toolConfig?.tools[1], { toolSpec: { name: "get_time", inputSchema: { json: { type: "object", properties: {} } } } });
  });

  it("a history with tool calls but no tools defined gets minimal definitions (Bedrock requires a toolConfig)", () => {
    const body = encodeBedrockRequest(
      req([
        user("x"),
        { role: "assistant", content: [{ type: "tool-call", id: "c1", name: "lookup", arguments: "{}", kind: "function" }] },
        { role: "tool", content: [{ type: "tool-result", callId: "c1", content: "ok" }] },
      ]),
    );
    assert.deepEqual(body.toolConfig, { tools: [{ toolSpec: { name: "lookup", inputSchema: { json: { type: "object" } } } }] });
  });

  it("rejects tool arguments that are not JSON, naming the part", () => {
    assert.throws(
      () => encodeBedrockRequest(req([user("x"), { role: "assistant", content: [{ type: "tool-call", id: "c", name: "t", arguments: "{oops", kind: "function" }] }])),
      (e: unknown) => e instanceof ProxyError && e.error.status === 400 && e.error.param === "messages[1].content[0]",
    );
  });

  it("replays Bedrock reasoning with its signature, drops other providers' reasoning", () => {
    const body = encodeBedrockRequest(
      req([
        user("x"),
        {
          role: "assistant",
          content: [
            { type: "reasoning", text: "Think A", signature: "sig-bedrock", producer: "bedrock" },
            { type: "reasoning", encrypted: "cmVkYWN0ZWQ=", redacted: true, producer: "bedrock" },
            { type: "reasoning", text: "Think B", signature: "sig-anthropic", producer: "anthropic" },
            { type: "reasoning", text: "Think C" },
            { type: "text", text: "Answer" },
          ],
        },
      ]),
    );
    assert.deepEqual(body.messages?.[1].content, [
      { reasoningContent: { reasoningText: { text: "Think A", signature: "sig-bedrock" } } },
      { reasoningContent: { redactedContent: "cmVkYWN0ZWQ=" } },
      { text: "Answer" },
    ]);
  });

  it("drops a turn left empty (only foreign reasoning) and empty texts from other formats", () => {
    const body = encodeBedrockRequest(
      req([user("a"), { role: "assistant", content: [{ type: "reasoning", text: "t", signature: "s", producer: "gemini" }, { type: "text", text: "" }] }, user("b")]),
    );
    assert.deepEqual(body.messages, [{ role: "user", content: [{ text: "a" }, { text: "b" }] }]);
  });

  it("maps reasoning effort to Claude's thinking budget, making room in maxTokens and dropping sampling knobs", () => {
    const body = encodeBedrockRequest(req([user("x")], { model: THINKING_CLAUDE, reasoning: { effort: "medium" }, maxOutputTokens: 1000, temperature: 0.5, topP: 0.9, topK: 40 }));
    assert.deepEqual(body.additionalModelRequestFields, { thinking: { type: "enabled", budget_tokens: 8192 } });
    assert.deepEqual(body.inferenceConfig, { maxTokens: 9192 });
    const noLimit = encodeBedrockRequest(req([user("x")], { model: THINKING_CLAUDE, reasoning: { effort: "low" } }));
    assert.deepEqual(noLimit.inferenceConfig, { maxTokens: 2048 + 4096 });
    // Claude 3.5 cannot think: the effort is dropped rather than failing the call.
    assert.equal(encodeBedrockRequest(req([user("x")], { reasoning: { effort: "high" } })).additionalModelRequestFields, undefined);
    assert.equal(encodeBedrockRequest(req([user("x")], { model: THINKING_CLAUDE, reasoning: { effort: "none" } })).additionalModelRequestFields, undefined);
  });

  it("passes an explicit budget as it is, and speaks Nova's and OpenAI's reasoning words", () => {
    const explicit = encodeBedrockRequest(req([user("x")], { model: THINKING_CLAUDE, reasoning: { budgetTokens: 3000 }, maxOutputTokens: 5000, temperature: 1 }));
    assert.deepEqual(explicit.additionalModelRequestFields, { thinking: { type: "enabled", budget_tokens: 3000 } });
    assert.deepEqual(explicit.inferenceConfig, { maxTokens: 5000, temperature: 1 });
    const nova = encodeBedrockRequest(req([user("x")], { model: "us.amazon.nova-2-lite-v1:0", reasoning: { effort: "xhigh" }, topK: 20 }));
    assert.deepEqual(nova.additionalModelRequestFields, { reasoningConfig: { type: "enabled", maxReasoningEffort: "high" }, inferenceConfig: { topK: 20 } });
    const oss = encodeBedrockRequest(req([user("x")], { model: "openai.gpt-oss-120b-1:0", reasoning: { effort: "minimal" } }));
    assert.deepEqual(oss.additionalModelRequestFields, { reasoning_effort: "low" });
  });

  it("images and documents: data URLs parsed, base64 kept, file names made valid and unique", () => {
    const body = encodeBedrockRequest(
      req([
        {
          role: "user",
          content: [
            { type: "image", source: { kind: "url", url: "data:image/jpeg;base64,/9j/4AAQ" } },
            { type: "image", source: { kind: "base64", data: "iVBORw0K", mediaType: "image/png" } },
            { type: "file", source: { kind: "url", url: "data:application/pdf;base64,JVBERi0x" }, filename: "Q3 report.v2.pdf" },
            { type: "file", source: { kind: "base64", data: "YSxi", mediaType: "text/csv" }, filename: "Q3 report.v2.csv" },
            { type: "file", source: { kind: "url", url: "s3://bucket/key.pdf" }, mediaType: "application/pdf" },
            { type: "image", source: { kind: "url", url: "s3://bucket/cat.webp" }, extras: { bedrock: { format: "webp" } } },
          ],
        },
      ]),
    );
    assert.deepEqual(body.messages?.[0].content, [
      { image: { format: "jpeg", source: { bytes: "/9j/4AAQ" } } },
      { image: { format: "png", source: { bytes: "iVBORw0K" } } },
      { document: { format: "pdf", name: "Q3 report-v2", source: { bytes: "JVBERi0x" } } },
      { document: { format: "csv", name: "Q3 report-v2 (2)", source: { bytes: "YSxi" } } },
      { document: { format: "pdf", name: "document-3", source: { s3Location: { uri: "s3://bucket/key.pdf" } } } },
      { image: { format: "webp", source: { s3Location: { uri: "s3://bucket/cat.webp" } } } },
    ]);
  });

  it("rejects what Bedrock cannot take with a 400 naming the field: http URLs, file ids, unknown types", () => {
    const expect400 = (content: Message, param: string, pattern: RegExp) =>
      assert.throws(() => encodeBedrockRequest(req([content])), (e: unknown) => e instanceof ProxyError && e.error.status === 400 && e.error.param === param && pattern.test(e.message));
    expect400({ role: "user", content: [{ type: "text", text: "x" }, { type: "image", source: { kind: "url", url: "https://example.com/cat.png" } }] }, "messages[0].content[1]", /cannot fetch files from URLs/);
    expect400({ role: "user", content: [{ type: "file", source: { kind: "file-id", fileId: "file-abc" } }] }, "messages[0].content[0]", /file ids/);
    expect400({ role: "user", content: [{ type: "image", source: { kind: "base64", data: "x", mediaType: "image/svg+xml" } }] }, "messages[0].content[0]", /png, jpeg, gif and webp/);
    expect400({ role: "user", content: [{ type: "file", source: { kind: "base64", data: "x", mediaType: "application/zip" }, filename: "a.zip" }] }, "messages[0].content[0]", /cannot read application\/zip/);
  });

  it("json_schema response format: a forced tool (named when alone, any with the client's tools)", () => {
    const schema = { type: "object", properties: { answer: { type: "string" } } };
    const body = encodeBedrockRequest(req([user("x")], { responseFormat: { type: "json_schema", name: "answer", schema, description: "The answer." } }));
    assert.deepEqual(body.toolConfig, {
      tools: [{ toolSpec: { name: JSON_RESPONSE_TOOL, description: "Give your final answer by calling this tool with a JSON object that matches the schema. The answer.", inputSchema: { json: schema } } }],
      toolChoice: { tool: { name: JSON_RESPONSE_TOOL } },
    });
    const withTools = encodeBedrockRequest(req([user("x")], { tools: [weather], responseFormat: { type: "json_schema", name: "answer", schema } }));
    assert.deepEqual(withTools.toolConfig?.toolChoice, { any: {} });
    assert.deepEqual(withTools.toolConfig?.tools.map((t) => t.toolSpec?.name), ["get_weather", JSON_RESPONSE_TOOL]);
    const objectOnly = encodeBedrockRequest(req([user("x")], { responseFormat: { type: "json_object" } }));
    assert.deepEqual(objectOnly.toolConfig?.tools[0].toolSpec?.inputSchema, { json: { type: "object" } });
  });

  it("json_schema with thinking on: Bedrock's native structured output (forced tools and thinking do not mix)", () => {
    const schema = { type: "object", properties: { n: { type: "number" } } };
    const body = encodeBedrockRequest(req([user("x")], { model: THINKING_CLAUDE, reasoning: { effort: "low" }, responseFormat: { type: "json_schema", name: "count", schema } }));
    assert.equal(body.toolConfig, undefined);
    assert.deepEqual(body.outputConfig, { textFormat: { type: "json_schema", structure: { jsonSchema: { schema: JSON.stringify(schema), name: "count" } } } });
  });

  it("sampling and limits: stop, clamped temperature, top_p, top_k; seed and penalties have no Converse field", () => {
    const body = encodeBedrockRequest(req([user("x")], { stop: ["END"], temperature: 1.7, topP: 0.8, topK: 5, seed: 42, frequencyPenalty: 1, presencePenalty: 1, maxOutputTokens: 256 }));
    assert.deepEqual(body.inferenceConfig, { maxTokens: 256, temperature: 1, topP: 0.8, stopSequences: ["END"] });
    assert.deepEqual(body.additionalModelRequestFields, { top_k: 5 });
    assert.equal(JSON.stringify(body).includes("42"), false);
  });

  it("metadata → requestMetadata, with the end user unless named already", () => {
    assert.deepEqual(encodeBedrockRequest(req([user("x")], { user: "u-1", metadata: { team: "billing" } })).requestMetadata, { team: "billing", user: "u-1" });
    assert.deepEqual(encodeBedrockRequest(req([user("x")], { user: "u-1", metadata: { user: "other" } })).requestMetadata, { user: "other" });
    assert.equal(encodeBedrockRequest(req([user("x")])).requestMetadata, undefined);
  });

  it("namespaced and custom tools get flat names and a JSON wrapper", () => {
    const body = encodeBedrockRequest(
      req([user("x"), { role: "assistant", content: [{ type: "tool-call", id: "c", name: "apply_patch", arguments: "*** Begin Patch", kind: "custom" }] }, { role: "tool", content: [{ type: "tool-result", callId: "c", content: "done" }] }], {
        tools: [
          { kind: "function", name: "create_issue", namespace: "mcp__github", parameters: { type: "object" } },
          { kind: "custom", name: "apply_patch", description: "Apply a patch" },
          { kind: "hosted", format: "openai-responses", value: { type: "web_search" } },
        ],
      }),
    );
    assert.deepEqual(body.toolConfig?.tools.map((t) => t.toolSpec?.name), ["mcp__github__create_issue", "apply_patch"]);
    assert.deepEqual(body.messages?.[1].content[0], { toolUse: { toolUseId: "c", name: "apply_patch", input: { input: "*** Begin Patch" } } });
  });
});

describe("encode-bedrock-request: empty tool output", () => {
  it("says an empty result from another format in words (Bedrock rejects blank text blocks)", () => {
    const body = encodeBedrockRequest(
      req([
        user("x"),
        { role: "assistant", content: [{ type: "tool-call", id: "c", name: "t", arguments: "{}", kind: "function" }] },
        { role: "tool", content: [{ type: "tool-result", callId: "c", content: "" }] },
      ]),
    );
    assert.deepEqual(body.messages?.[2].content, [{ toolResult: { toolUseId: "c", content: [{ text: "(no output)" }] } }]);
  });
});
