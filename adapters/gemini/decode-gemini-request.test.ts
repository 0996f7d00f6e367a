import { test } from "node:test";
import assert from "node:assert/strict";
import type { ToolCallPart, ToolResultPart } from "../../src/canonical/content.ts";
import { ProxyError } from "../../src/canonical/error.ts";
import type { JsonObject } from "../../src/canonical/extras.ts";
import { geminiCodec } from "./gemini-codec.ts";

const roundTrip = (body: JsonObject) => assert.deepEqual(geminiCodec.encodeRequest(geminiCodec.decodeRequest(body)), body);

/** A multi-turn Gemini 3 tool conversation as the @google/genai SDK sends it. */
const toolConversation = {
  systemInstruction: { parts: [{ text: "You are a weather bot." }, { text: "Answer briefly." }] },
  contents: [
    { role: "user", parts: [{ text: "Weather in Paris and Rome?" }] },
    {
      role: "model",
      parts: [
        { text: "Let me check both.", thought: true },
        { functionCall: { name: "get_weather", args: { city: "Paris" } }, thoughtSignature: "CiQBjz1rX5sig==" },
        { functionCall: { name: "get_weather", args: { city: "Rome" } } },
        { functionCall: { name: "get_time" } },
      ],
    },
    {
      role: "user",
      parts: [
        { functionResponse: { name: "get_weather", response: { output: "18C, cloudy" } } },
        { functionResponse: { name: "get_weather", response: { temperature: 24, sky: "clear" } } },
        { functionResponse: { name: "get_time", response: { error: "clock unavailable" } } },
        { text: "Also: umbrella?" },
      ],
    },
    { role: "model", parts: [{ text: "Paris: 18C; Rome: 24C.", thoughtSignature: "EpoBCpcBsig" }] },
  ],
  tools: [
    {
      functionDeclarations: [
        { name: "get_weather", description: "Weather for a city", parameters: { type: "OBJECT", properties: { city: { type: "STRING" } }, required: ["city"] } },
        { name: "get_time", description: "Current time" },
      ],
    },
    { googleSearch: {} },
    { functionDeclarations: [{ name: "lookup", parametersJsonSchema: { type: "object", properties: { q: { type: "string" } }, additionalProperties: false } }] },
  ],
  toolConfig: { functionCallingConfig: { mode: "ANY", allowedFunctionNames: ["get_weather"] } },
  generationConfig: {
    temperature: 0.2,
    topP: 0.9,
    topK: 40,
    maxOutputTokens: 1024,
    stopSequences: ["END"],
    seed: 7,
    candidateCount: 1,
    thinkingConfig: { thinkingLevel: "low", includeThoughts: true },
  },
  safetySettings: [{ category: "HARM_CATEGORY_HATE_SPEECH", threshold: "BLOCK_ONLY_HIGH" }],
  cachedContent: "cachedContents/abc123",
  labels: { team: "search" },
};

test("a Gemini tool conversation survives decode and encode exactly", () => roundTrip(toolConversation));

test("the canonical view of it: system, calls with ids, results matched by name and order", () => {
  const r = geminiCodec.decodeRequest(toolConversation);
  assert.equal(r.model, "");
  assert.deepEqual(
    r.messages.map((m) => m.role),
    ["system", "user", "assistant", "tool", "user", "assistant"],
  );
  const calls = r.messages[2].content.filter((p): p is ToolCallPart => p.type === "tool-call");
  assert.deepEqual(
    calls.map((c) => [c.name, c.arguments, c.signature]),
    [
      ["get_weather", '{"city":"Paris"}', "CiQBjz1rX5sig=="],
      ["get_weather", '{"city":"Rome"}', undefined],
      ["get_time", "", undefined],
    ],
  );
  const results = r.messages[3].content as ToolResultPart[];
  assert.deepEqual(
    results.map((p) => [p.callId, p.name, p.content, p.isError ?? false]),
    [
      [calls[0].id, "get_weather", "18C, cloudy", false],
      [calls[1].id, "get_weather", '{"temperature":24,"sky":"clear"}', false],
      [calls[2].id, "get_time", "clock unavailable", true],
    ],
  );
  assert.equal(r.messages[2].content[0].type, "reasoning");
  assert.deepEqual(r.toolChoice, { type: "tool", name: "get_weather" });
  assert.deepEqual(r.reasoning, { effort: "low", summary: "auto" });
  assert.deepEqual([r.temperature, r.topP, r.topK, r.maxOutputTokens, r.stop, r.seed], [0.2, 0.9, 40, 1024, ["END"], 7]);
  assert.deepEqual(
    r.tools?.map((t) => (t.kind === "hosted" ? t.value : t.name)),
    ["get_weather", "get_time", { googleSearch: {} }, "lookup"],
  );
});

test("contents without roles, media parts, Vertex ids and structured output round trip", () => {
  roundTrip({
    contents: [
      {
        parts: [
          { text: "Describe these" },
          { inlineData: { mimeType: "image/png", data: "iVBORw0KGgo=" } },
          { inlineData: { mimeType: "application/pdf", data: "JVBERi0=" } },
          { inlineData: { mimeType: "audio/mp3", data: "SUQz" } },
          { fileData: { mimeType: "image/jpeg", fileUri: "gs://bucket/cat.jpg" } },
          { fileData: { mimeType: "video/mp4", fileUri: "https://www.youtube.com/watch?v=x", displayName: "clip" }, videoMetadata: { startOffset: "1s" } },
        ],
      },
      { role: "model", parts: [{ functionCall: { id: "fc-1", name: "f", args: {} } }] },
      { role: "user", parts: [{ functionResponse: { id: "fc-1", name: "f", response: { output: "ok" }, parts: [{ inlineData: { mimeType: "image/png", data: "AAAA" } }] } }] },
    ],
    generationConfig: {
      responseMimeType: "application/json",
      responseSchema: { type: "OBJECT", properties: { a: { type: "STRING" } } },
      thinkingConfig: { thinkingBudget: 0 },
    },
    toolConfig: { functionCallingConfig: { mode: "VALIDATED", allowedFunctionNames: ["f", "g"] } },
  });
  roundTrip({
    contents: [{ role: "user", parts: [{ text: "hi" }] }],
    generationConfig: { responseMimeType: "application/json", responseJsonSchema: { type: "object", properties: { a: { type: "string" } } }, thinkingConfig: { thinkingLevel: "HIGH" } },
    toolConfig: {},
  });
  roundTrip({ contents: [{ role: "user", parts: [{ text: "hi" }] }], generationConfig: { responseMimeType: "application/json" }, systemInstruction: { role: "system", parts: [{ text: "s" }] } });
});

test("function responses with ids map to those calls; media decode to image, file and audio parts", () => {
  const r = geminiCodec.decodeRequest({
    contents: [
      { role: "user", parts: [{ inlineData: { mimeType: "image/webp", data: "UklG" } }, { fileData: { mimeType: "application/pdf", fileUri: "gs://b/a.pdf" } }, { inlineData: { mimeType: "audio/wav", data: "UklG" } }] },
      { role: "model", parts: [{ functionCall: { id: "v1", name: "f", args: { x: 1 } } }] },
      { role: "user", parts: [{ functionResponse: { id: "v1", name: "f", response: { output: "done" } } }] },
    ],
  });
  const user = r.messages[0].content.map(({ origin: _o, ...p }) => p);
  assert.deepEqual(user, [
    { type: "image", source: { kind: "base64", data: "UklG", mediaType: "image/webp" } },
    { type: "file", source: { kind: "url", url: "gs://b/a.pdf" }, mediaType: "application/pdf" },
    { type: "audio", data: "UklG", format: "wav" },
  ]);
  assert.equal((r.messages[1].content[0] as ToolCallPart).id, "v1");
  assert.equal((r.messages[2].content[0] as ToolResultPart).callId, "v1");
});

test("bad bodies are 400s naming the field", () => {
  const fails = (body: unknown, param: string) =>
    assert.throws(
      () => geminiCodec.decodeRequest(body as JsonObject),
      (e: unknown) => e instanceof ProxyError && e.error.status === 400 && e.error.param === param,
    );
  fails({}, "contents");
  fails({ contents: "hi" }, "contents");
  fails({ contents: [{ role: "user", parts: [{ text: 5 }] }] }, "contents[0].parts[0].text");
  fails({ contents: [{ parts: [{ inlineData: { mimeType: "image/png" } }] }] }, "contents[0].parts[0].inlineData.data");
  fails({ contents: [], generationConfig: { maxOutputTokens: "100" } }, "generationConfig.maxOutputTokens");
  fails({ contents: [], tools: [{ functionDeclarations: [{ description: "no name" }] }] }, "tools[0].functionDeclarations[0].name");
});
