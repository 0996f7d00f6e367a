import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ProxyError } from "../../src/canonical/error.ts";
import type { JsonObject } from "../../src/canonical/extras.ts";
import { decodeBedrockRequest } from "./decode-bedrock-request.ts";
import { encodeBedrockRequest } from "./encode-bedrock-request.ts";

/** A Bedrock client's request using most of what Converse offers. */
const RICH: JsonObject = {
  system: [{ text: "You are terse." }, { cachePoint: { type: "default" } }, { guardContent: { text: { text: "policy" } } }],
  messages: [
    {
      role: "user",
      content: [
        { text: "Look at these." },
        { image: { format: "png", source: { bytes: "iVBORw0KGgo=" } } },
        { image: { format: "jpeg", source: { s3Location: { uri: "s3://b/cat.jpg", bucketOwner: "123456789012" } } } },
        { document: { format: "pdf", name: "Annual report (2024)", source: { bytes: "JVBERi0=" }, citations: { enabled: true }, context: "finance" } },
        { document: { name: "notes", source: { text: "plain notes" } } },
        { video: { format: "mp4", source: { bytes: "AAAA" } } },
        { cachePoint: { type: "default", ttl: "1h" } },
      ],
    },
    {
      role: "assistant",
      content: [
        { reasoningContent: { reasoningText: { text: "They want a summary.", signature: "c2ln" } } },
        { reasoningContent: { redactedContent: "b3BhcXVl" } },
        { text: "Checking." },
        { toolUse: { toolUseId: "tooluse_1", name: "search", input: { q: "report", filters: [1, 2] } } },
        { toolUse: { toolUseId: "tooluse_2", name: "now", input: {} } },
      ],
    },
    {
      role: "user",
      content: [
        { toolResult: { toolUseId: "tooluse_1", content: [{ json: { hits: 3 } }, { text: "more" }, { image: { format: "gif", source: { bytes: "R0lG" } } }], status: "success" } },
        { toolResult: { toolUseId: "tooluse_2", content: [{ text: "12:00" }], status: "error" } },
        { text: "Go on." },
      ],
    },
    { role: "assistant", content: [{ text: "Done." }] },
    { role: "user", content: [{ text: "Another" }] },
    { role: "user", content: [{ text: "turn in a row" }] },
  ],
  inferenceConfig: { maxTokens: 2048, temperature: 0.3, topP: 0.9, stopSequences: ["\n\nHuman:"] },
  toolConfig: {
    tools: [
      { toolSpec: { name: "search", description: "Search", inputSchema: { json: { type: "object", properties: { q: { type: "string" } } } }, strict: true } },
      { toolSpec: { name: "now", inputSchema: { json: { type: "object" } } } },
      { cachePoint: { type: "default" } },
    ],
    toolChoice: { auto: {} },
  },
  additionalModelRequestFields: { top_k: 50, thinking: { type: "enabled", budget_tokens: 1024 }, anthropic_beta: ["interleaved-thinking-2025-05-14"] },
  additionalModelResponseFieldPaths: ["/delta/stop_sequence"],
  guardrailConfig: { guardrailIdentifier: "gr-1", guardrailVersion: "1", trace: "enabled" },
  performanceConfig: { latency: "optimized" },
  promptVariables: { topic: { text: "cats" } },
  requestMetadata: { team: "billing", env: "prod" },
  serviceTier: { type: "priority" },
};

describe("decode-bedrock-request", () => {
  it("round-trips a rich body exactly", () => {
    assert.deepEqual(encodeBedrockRequest(decodeBedrockRequest(RICH)), RICH);
  });

  it("decodes what the body says into the canonical model", () => {
    const r = decodeBedrockRequest(RICH);
    assert.equal(r.model, "");
    assert.equal(r.stream, false);
    assert.deepEqual(r.messages[0], {
      role: "system",
      content: [
        { type: "text", text: "You are terse." },
        { type: "native", format: "bedrock", value: { cachePoint: { type: "default" } } },
        { type: "native", format: "bedrock", value: { guardContent: { text: { text: "policy" } } } },
      ],
    });
    const u = r.messages[1];
    assert.equal(u.role, "user");
    assert.deepEqual(u.content[1], { type: "image", source: { kind: "base64", data: "iVBORw0KGgo=", mediaType: "image/png" }, origin: { format: "bedrock", index: 0 } });
    assert.deepEqual(u.content[3], {
      type: "file",
      source: { kind: "base64", data: "JVBERi0=", mediaType: "application/pdf" },
      filename: "Annual report (2024)",
      mediaType: "application/pdf",
      extras: { bedrock: { citations: { enabled: true }, context: "finance" } },
      origin: { format: "bedrock", index: 0 },
    });
    assert.equal(u.content[4].type, "native");
    assert.deepEqual(u.content[5], { type: "file", source: { kind: "base64", data: "AAAA", mediaType: "video/mp4" }, mediaType: "video/mp4", origin: { format: "bedrock", index: 0 } });
    const a = r.messages[2];
    assert.equal(a.role, "assistant");
    assert.deepEqual(a.content[0], { type: "reasoning", text: "They want a summary.", signature: "c2ln", producer: "bedrock", origin: { format: "bedrock", index: 1 } });
    assert.deepEqual(a.content[1], { type: "reasoning", encrypted: "b3BhcXVl", redacted: true, producer: "bedrock", origin: { format: "bedrock", index: 1 } });
    assert.deepEqual(a.content[3], { type: "tool-call", id: "tooluse_1", name: "search", arguments: '{"q":"report","filters":[1,2]}', kind: "function", origin: { format: "bedrock", index: 1 } });
    // The user turn with results splits into a tool message (names looked up) and a user message.
    const t = r.messages[3];
    assert.equal(t.role, "tool");
    assert.equal(t.content.length, 2);
    assert.deepEqual(t.content[0].content, [
      { type: "text", text: '{"hits":3}', extras: { bedrock: { json: true } } },
      { type: "text", text: "more" },
      { type: "image", source: { kind: "base64", data: "R0lG", mediaType: "image/gif" } },
    ]);
    assert.equal(t.content[0].name, "search");
    assert.equal(t.content[0].isError, false);
    assert.equal(t.content[1].name, "now");
    assert.equal(t.content[1].isError, true);
    assert.deepEqual(r.messages[4], { role: "user", content: [{ type: "text", text: "Go on.", origin: { format: "bedrock", index: 2 } }] });
    assert.equal(r.maxOutputTokens, 2048);
    assert.equal(r.temperature, 0.3);
    assert.equal(r.topP, 0.9);
    assert.equal(r.topK, 50);
    assert.deepEqual(r.stop, ["\n\nHuman:"]);
    assert.deepEqual(r.reasoning, { budgetTokens: 1024 });
    assert.deepEqual(r.toolChoice, { type: "auto" });
    assert.deepEqual(r.tools?.[0], { kind: "function", name: "search", description: "Search", parameters: { type: "object", properties: { q: { type: "string" } } }, strict: true });
    assert.deepEqual(r.tools?.[2], { kind: "hosted", format: "bedrock", value: { cachePoint: { type: "default" } } });
    assert.deepEqual(r.metadata, { team: "billing", env: "prod" });
    assert.deepEqual(r.extras?.bedrock?.guardrailConfig, RICH.guardrailConfig);
    assert.deepEqual(r.extras?.bedrock?.$additionalModelRequestFields, { anthropic_beta: ["interleaved-thinking-2025-05-14"] });
  });

  it("Claude's own tool_choice becomes the canonical choice and parallel flag, and goes back as it came", () => {
    const body: JsonObject = {
      messages: [{ role: "user", content: [{ text: "x" }] }],
      toolConfig: { tools: [{ toolSpec: { name: "t", inputSchema: { json: { type: "object" } } } }] },
      additionalModelRequestFields: { tool_choice: { type: "any", disable_parallel_tool_use: true } },
    };
    const r = decodeBedrockRequest(body);
    assert.deepEqual(r.toolChoice, { type: "required" });
    assert.equal(r.parallelToolCalls, false);
    assert.deepEqual(encodeBedrockRequest(r), body);
  });

  it("native structured output: the schema text is parsed; odd spacing survives the round trip", () => {
    const body: JsonObject = {
      messages: [{ role: "user", content: [{ text: "x" }] }],
      outputConfig: { textFormat: { type: "json_schema", structure: { jsonSchema: { schema: '{ "type": "object" }', name: "out" } } } },
    };
    const r = decodeBedrockRequest(body);
    assert.deepEqual(r.responseFormat, { type: "json_schema", name: "out", schema: { type: "object" } });
    assert.deepEqual(encodeBedrockRequest(r), body);
  });

  it("keeps empty and unknown-shaped fields so they round-trip", () => {
    for (const body of [
      { messages: [{ role: "user", content: [{ text: "x" }] }], system: [], inferenceConfig: {}, additionalModelRequestFields: {} },
      { messages: [{ role: "user", content: [{ text: "x" }] }], additionalModelRequestFields: { thinking: { type: "adaptive" }, reasoningConfig: { type: "enabled" } } },
      { messages: [{ role: "user", content: [{ text: "x" }, { searchResult: { source: "s", title: "t", content: [{ text: "c" }] } }] }], futureField: { a: 1 } },
      { messages: [{ role: "user", content: [{ document: { format: "rtf", name: "n", source: { bytes: "e1x=" } } }] }] },
      { messages: [{ role: "user", content: [{ text: "x" }] }], toolConfig: { tools: [{ systemTool: { name: "nova_grounding" } }], toolChoice: { auto: {}, extra: 1 } } },
    ] as JsonObject[]) {
      assert.deepEqual(encodeBedrockRequest(decodeBedrockRequest(body)), body, JSON.stringify(body));
    }
  });

  it("rejects a malformed body with a 400 naming the field", () => {
    const bad = (body: JsonObject, param: string) =>
      assert.throws(() => decodeBedrockRequest(body), (e: unknown) => e instanceof ProxyError && e.error.status === 400 && e.error.param === param);
    bad({ messages: [{ role: "system", content: [] }] }, "messages[0].role");
    bad({ messages: [{ role: "user", content: "hi" }] }, "messages[0].content");
    bad({ messages: [{ role: "user", content: [{ text: 5 }] }] }, "messages[0].content[0].text");
    bad({ inferenceConfig: { maxTokens: "many" } }, "inferenceConfig.maxTokens");
    bad({ toolConfig: { tools: "all" } }, "toolConfig.tools");
  });
});
