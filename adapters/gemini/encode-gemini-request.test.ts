import { test } from "node:test";
import assert from "node:assert/strict";
import type { CanonicalRequest } from "../../src/canonical/request.ts";
import { geminiCodec } from "./gemini-codec.ts";
import { DUMMY_THOUGHT_SIGNATURE } from "./encode-gemini-parts.ts";

/** Requests as the Chat / Responses / Anthropic decoders would hand them over. */
const base = (over: Partial<CanonicalRequest>): CanonicalRequest => ({ model: "gemini-2.5-flash", messages: [{ role: "user", content: [{ type: "text", text: "hi" }] }], stream: false, ...over });
const encode = (over: Partial<CanonicalRequest>) => geminiCodec.encodeRequest(base(over)) as Record<string, any>;

test("system and developer messages anywhere, and instructions, go to systemInstruction in order", () => {
  const body = encode({
    instructions: "Be nice.",
    messages: [
      { role: "system", content: [{ type: "text", text: "S1" }] },
      { role: "user", content: [{ type: "text", text: "hi" }] },
      { role: "developer", content: [{ type: "text", text: "D1" }] },
      { role: "assistant", content: [{ type: "text", text: "hello" }] },
      { role: "user", content: [{ type: "text", text: "again" }] },
    ],
  });
  assert.deepEqual(body.systemInstruction, { parts: [{ text: "Be nice." }, { text: "S1" }, { text: "D1" }] });
  assert.deepEqual(body.contents, [
    { role: "user", parts: [{ text: "hi" }] },
    { role: "model", parts: [{ text: "hello" }] },
    { role: "user", parts: [{ text: "again" }] },
  ]);
});

test("tool calls and their results: one user turn right after the calls, names resolved, no-arg calls, dummy signature", () => {
  const body = encode({
    messages: [
      { role: "user", content: [{ type: "text", text: "Weather?" }] },
      {
        role: "assistant",
        content: [
          { type: "text", text: "Checking." },
          { type: "tool-call", id: "call_1", name: "get_weather", arguments: '{"city":"Paris"}', kind: "function" },
          { type: "tool-call", id: "call_2", name: "get_time", arguments: "", kind: "function" },
          { type: "tool-call", id: "call_3", name: "ping", arguments: "{}", kind: "function" },
        ],
      },
      { role: "tool", content: [{ type: "tool-result", callId: "call_1", content: '{"temp":18}' }] },
      { role: "tool", content: [{ type: "tool-result", callId: "call_2", content: [{ type: "text", text: "12:00" }] }] },
      { role: "tool", content: [{ type: "tool-result", callId: "call_3", name: "ping", content: "timeout", isError: true }] },
      { role: "user", content: [{ type: "text", text: "Thanks" }] },
    ],
  });
  assert.deepEqual(body.contents, [
    { role: "user", parts: [{ text: "Weather?" }] },
    {
      role: "model",
      parts: [
        { text: "Checking." },
        { functionCall: { name: "get_weather", args: { city: "Paris" } }, thoughtSignature: DUMMY_THOUGHT_SIGNATURE },
        { functionCall: { name: "get_time" } },
        { functionCall: { name: "ping", args: {} } },
      ],
    },
    {
      role: "user",
      parts: [
        { functionResponse: { name: "get_weather", response: { output: '{"temp":18}' } } },
        { functionResponse: { name: "get_time", response: { output: "12:00" } } },
        { functionResponse: { name: "ping", response: { error: "timeout" } } },
        { text: "Thanks" },
      ],
    },
  ]);
});

test("tool definitions: schemas cleaned, no-arg tools without parameters, the unexpressible as JSON Schema", () => {
  const body = encode({
    tools: [
      {
        kind: "function",
        name: "get_weather",
        description: "Weather",
        strict: true,
        parameters: { type: "object", properties: { city: { type: "string" }, unit: { type: ["string", "null"], enum: ["c", "f"] } }, required: ["city", "unit"], additionalProperties: false },
      },
      { kind: "function", name: "now", parameters: { type: "object", properties: {}, additionalProperties: false } },
      { kind: "function", name: "tree", parameters: { $schema: "https://json-schema.org/draft/2020-12/schema", type: "object", properties: { node: { $ref: "#" } } } },
      { kind: "custom", name: "apply_patch", description: "Apply a patch" },
      { kind: "hosted", format: "openai-responses", value: { type: "web_search" } },
    ],
    toolChoice: { type: "required" },
    parallelToolCalls: false,
  });
  assert.deepEqual(body.tools, [
    {
      functionDeclarations: [
        { name: "get_weather", description: "Weather", parameters: { type: "object", properties: { city: { type: "string" }, unit: { type: "string", enum: ["c", "f"], nullable: true } }, required: ["city", "unit"] } },
        { name: "now" },
        { name: "tree", parametersJsonSchema: { type: "object", properties: { node: { $ref: "#" } } } },
        { name: "apply_patch", description: "Apply a patch", parameters: { type: "object", properties: { input: { type: "string" } }, required: ["input"] } },
      ],
    },
  ]);
  assert.deepEqual(body.toolConfig, { functionCallingConfig: { mode: "ANY" } });
});

test("tool choice: auto, none, required, a named tool, an allowed list", () => {
  const tools = [{ kind: "function" as const, name: "f" }];
  const config = (toolChoice: CanonicalRequest["toolChoice"]) => encode({ tools, toolChoice }).toolConfig;
  assert.deepEqual(config({ type: "auto" }), { functionCallingConfig: { mode: "AUTO" } });
  assert.deepEqual(config({ type: "none" }), { functionCallingConfig: { mode: "NONE" } });
  assert.deepEqual(config({ type: "required" }), { functionCallingConfig: { mode: "ANY" } });
  assert.deepEqual(config({ type: "tool", name: "f" }), { functionCallingConfig: { mode: "ANY", allowedFunctionNames: ["f"] } });
  assert.deepEqual(config({ type: "allowed", mode: "auto", names: ["f"] }), { functionCallingConfig: { mode: "VALIDATED", allowedFunctionNames: ["f"] } });
  assert.deepEqual(config({ type: "allowed", mode: "required", names: ["f"] }), { functionCallingConfig: { mode: "ANY", allowedFunctionNames: ["f"] } });
  assert.equal(encode({ toolChoice: { type: "auto" } }).toolConfig, undefined, "no tools, no toolConfig");
});

test("Gemini reasoning is replayed byte for byte; other providers' reasoning is dropped", () => {
  const body = encode({
    messages: [
      { role: "user", content: [{ type: "text", text: "q" }] },
      {
        role: "assistant",
        content: [
          { type: "reasoning", text: "Claude thinks", signature: "anthropic-sig", producer: "anthropic" },
          { type: "reasoning", text: "unsigned chat reasoning" },
          { type: "reasoning", text: "Gemini thought", signature: "G1", producer: "gemini" },
          { type: "tool-call", id: "call_gm_x_0", name: "f", arguments: '{"a":1}', kind: "function", signature: "FC-SIG" },
        ],
      },
      { role: "tool", content: [{ type: "tool-result", callId: "call_gm_x_0", content: "r" }] },
      // Responses order: the text, then the reasoning item carrying its signature.
      { role: "assistant", content: [{ type: "text", text: "answer one" }, { type: "reasoning", signature: "T1", producer: "gemini" }] },
      { role: "user", content: [{ type: "text", text: "q2" }] },
      // Chat order: reasoning first (reasoning_details), then the text it signed.
      { role: "assistant", content: [{ type: "reasoning", text: "", signature: "T2", producer: "gemini" }, { type: "text", text: "answer two" }] },
      { role: "user", content: [{ type: "text", text: "q3" }] },
      { role: "assistant", content: [{ type: "reasoning", signature: "T3", producer: "gemini" }] },
    ],
  });
  assert.deepEqual(body.contents, [
    { role: "user", parts: [{ text: "q" }] },
    { role: "model", parts: [{ text: "Gemini thought", thought: true, thoughtSignature: "G1" }, { functionCall: { name: "f", args: { a: 1 } }, thoughtSignature: "FC-SIG" }] },
    { role: "user", parts: [{ functionResponse: { name: "f", response: { output: "r" } } }] },
    { role: "model", parts: [{ text: "answer one", thoughtSignature: "T1" }] },
    { role: "user", parts: [{ text: "q2" }] },
    { role: "model", parts: [{ text: "answer two", thoughtSignature: "T2" }] },
    { role: "user", parts: [{ text: "q3" }] },
  ]);
});

test("a call signature a Responses client carried as a reasoning item after the call goes back on that call", () => {
  const body = encode({
    messages: [
      { role: "user", content: [{ type: "text", text: "q" }] },
      {
        role: "assistant",
        content: [
          { type: "text", text: "Checking." },
          { type: "tool-call", id: "call_gm_r_0", name: "f", arguments: '{"a":1}', kind: "function" },
          { type: "reasoning", signature: "CALL-SIG", producer: "gemini" },
          { type: "tool-call", id: "call_gm_r_1", name: "g", arguments: "{}", kind: "function" },
        ],
      },
      { role: "tool", content: [{ type: "tool-result", callId: "call_gm_r_0", content: "r" }, { type: "tool-result", callId: "call_gm_r_1", content: "s" }] },
    ],
  });
  assert.deepEqual(body.contents?.[1], {
    role: "model",
    parts: [{ text: "Checking." }, { functionCall: { name: "f", args: { a: 1 } }, thoughtSignature: "CALL-SIG" }, { functionCall: { name: "g", args: {} } }],
  });
});

test("reasoning effort and budgets become thinking budgets (2.5) or levels (3.x)", () => {
  const thinking = (model: string, reasoning: CanonicalRequest["reasoning"]) => encode({ model, reasoning }).generationConfig?.thinkingConfig;
  assert.deepEqual(thinking("gemini-2.5-flash", { effort: "medium" }), { thinkingBudget: 8192 });
  assert.deepEqual(thinking("gemini-2.5-flash", { effort: "xhigh" }), { thinkingBudget: 24576 });
  assert.deepEqual(thinking("gemini-2.5-pro", { effort: "none" }), { thinkingBudget: 128 });
  assert.deepEqual(thinking("gemini-2.5-flash", { disabled: true }), { thinkingBudget: 0 });
  assert.deepEqual(thinking("gemini-2.5-flash", { budgetTokens: 2000, summary: "auto" }), { thinkingBudget: 2000, includeThoughts: true });
  assert.deepEqual(thinking("gemini-2.5-pro", { budgetTokens: 64000 }), { thinkingBudget: 32768 });
  assert.deepEqual(thinking("gemini-3-pro-preview", { effort: "medium" }), { thinkingLevel: "HIGH" });
  assert.deepEqual(thinking("gemini-3-pro-preview", { effort: "minimal" }), { thinkingLevel: "LOW" });
  assert.deepEqual(thinking("gemini-3-flash-preview", { effort: "minimal", summary: "detailed" }), { thinkingLevel: "MINIMAL", includeThoughts: true });
  assert.deepEqual(thinking("gemini-3.1-pro-preview", { effort: "medium" }), { thinkingLevel: "MEDIUM" });
  assert.deepEqual(thinking("gemini-3-flash-preview", { disabled: true }), { thinkingLevel: "MINIMAL" });
  assert.equal(thinking("gemini-2.5-flash", undefined), undefined);
});

test("images and documents: URLs, data URLs and base64", () => {
  const body = encode({
    messages: [
      {
        role: "user",
        content: [
          { type: "image", source: { kind: "url", url: "https://example.com/cat.png" }, detail: "high" },
          { type: "image", source: { kind: "url", url: "data:image/jpeg;base64,/9j/4AAQ" } },
          { type: "image", source: { kind: "base64", data: "R0lGOD", mediaType: "image/gif" } },
          { type: "file", source: { kind: "base64", data: "JVBERi0=", mediaType: "application/pdf" }, filename: "a.pdf" },
          { type: "file", source: { kind: "url", url: "data:application/pdf;base64,JVBERi1=" }, filename: "b.pdf" },
          { type: "file", source: { kind: "url", url: "gs://bucket/report" }, mediaType: "application/pdf" },
          { type: "audio", data: "UklGR", format: "wav" },
        ],
      },
    ],
  });
  assert.deepEqual(body.contents[0].parts, [
    { fileData: { fileUri: "https://example.com/cat.png", mimeType: "image/png" } },
    { inlineData: { mimeType: "image/jpeg", data: "/9j/4AAQ" } },
    { inlineData: { mimeType: "image/gif", data: "R0lGOD" } },
    { inlineData: { mimeType: "application/pdf", data: "JVBERi0=" } },
    { inlineData: { mimeType: "application/pdf", data: "JVBERi1=" } },
    { fileData: { fileUri: "gs://bucket/report", mimeType: "application/pdf" } },
    { inlineData: { mimeType: "audio/wav", data: "UklGR" } },
  ]);
});

test("structured output and sampling parameters", () => {
  const body = encode({
    responseFormat: { type: "json_schema", name: "person", strict: true, schema: { type: "object", properties: { name: { type: "string" }, age: { type: "integer" } }, required: ["name", "age"], additionalProperties: false } },
    stop: ["\n\n", "END"],
    temperature: 0.3,
    topP: 0.8,
    topK: 20,
    seed: 42,
    maxOutputTokens: 500,
    user: "user-1",
    metadata: { a: "b" },
  });
  assert.deepEqual(body.generationConfig, {
    responseMimeType: "application/json",
    responseSchema: { type: "object", properties: { name: { type: "string" }, age: { type: "integer" } }, required: ["name", "age"], propertyOrdering: ["name", "age"] },
    stopSequences: ["\n\n", "END"],
    temperature: 0.3,
    topP: 0.8,
    topK: 20,
    seed: 42,
    maxOutputTokens: 500,
  });
  assert.equal(body.labels, undefined);
  const recursive = encode({ responseFormat: { type: "json_schema", name: "t", schema: { type: "object", properties: { kids: { type: "array", items: { $ref: "#" } } } } } });
  assert.deepEqual(recursive.generationConfig, { responseMimeType: "application/json", responseJsonSchema: { type: "object", properties: { kids: { type: "array", items: { $ref: "#" } } } } });
  assert.deepEqual(encode({ responseFormat: { type: "json_object" } }).generationConfig, { responseMimeType: "application/json" });
});

test("a response decoded from Gemini, replayed as history, gives Gemini its own parts back", () => {
  const response = geminiCodec.decodeResponse({
    candidates: [{ content: { role: "model", parts: [{ functionCall: { name: "weather", args: { location: "SF" } }, thoughtSignature: "SIG-A" }] }, finishReason: "STOP", index: 0 }],
    responseId: "resp1",
  });
  const call = response.content[0];
  assert.equal(call.type, "tool-call");
  const body = encode({
    messages: [
      { role: "user", content: [{ type: "text", text: "w?" }] },
      { role: "assistant", content: response.content },
      { role: "tool", content: [{ type: "tool-result", callId: call.type === "tool-call" ? call.id : "", content: "sunny" }] },
    ],
  });
  assert.deepEqual(body.contents.slice(1), [
    { role: "model", parts: [{ functionCall: { name: "weather", args: { location: "SF" } }, thoughtSignature: "SIG-A" }] },
    { role: "user", parts: [{ functionResponse: { name: "weather", response: { output: "sunny" } } }] },
  ]);
});

test("an assistant turn holding only another provider's reasoning leaves no empty turn and no two user turns", () => {
  const body = encode({
    messages: [
      { role: "user", content: [{ type: "text", text: "a" }] },
      { role: "assistant", content: [{ type: "reasoning", text: "hidden", signature: "x", producer: "anthropic" }] },
      { role: "user", content: [{ type: "text", text: "b" }] },
    ],
  });
  assert.deepEqual(body.contents, [{ role: "user", parts: [{ text: "a" }, { text: "b" }] }]);
});

test("a custom (free-text) tool call in history is sent as its one string input", () => {
  const body = encode({
    tools: [{ kind: "custom", name: "apply_patch" }],
    messages: [
      { role: "user", content: [{ type: "text", text: "patch it" }] },
      { role: "assistant", content: [{ type: "tool-call", id: "ctc_1", name: "apply_patch", arguments: "*** Begin Patch\n*** End Patch", kind: "custom" }] },
      { role: "tool", content: [{ type: "tool-result", callId: "ctc_1", content: "Done", kind: "custom" }] },
    ],
  });
  assert.deepEqual(body.contents[1].parts[0].functionCall, { name: "apply_patch", args: { input: "*** Begin Patch\n*** End Patch" } });
  assert.deepEqual(body.contents[2].parts[0], { functionResponse: { name: "apply_patch", response: { output: "Done" } } });
});

test("penalties reach only the models that take them", () => {
  const config = (model: string) => encode({ model, presencePenalty: 0.5, frequencyPenalty: 0.2 }).generationConfig;
  assert.deepEqual(config("gemini-2.0-flash"), { presencePenalty: 0.5, frequencyPenalty: 0.2 });
  assert.equal(config("gemini-2.5-flash"), undefined);
  assert.equal(config("gemini-3-pro-preview"), undefined);
});
