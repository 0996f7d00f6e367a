import { test, after } from "node:test";
import assert from "node:assert/strict";
import { ApiError, FunctionCallingConfigMode, GoogleGenAI, HarmBlockThreshold, HarmCategory, ThinkingLevel, Type } from "@google/genai";
import { geminiCodec } from "../../adapters/gemini/gemini-codec.ts";
import { geminiProvider } from "../../adapters/gemini/gemini-provider.ts";
import { GeminiJsonArrayParser } from "../../adapters/gemini/parse-gemini-json-array-stream.ts";
import { vertexProvider } from "../../adapters/gemini/vertex-provider.ts";
import type { StreamChunk, StreamEvent } from "../../src/canonical/stream.ts";
import { SseParser } from "../../adapters/shared/sse-parser.ts";
import { readFixtureChunks } from "../helpers/fixtures.ts";
import { geminiErrorReply, geminiStream, startGeminiFake } from "./gemini.ts";

const fake = await startGeminiFake();
after(() => fake.close());

const gemini = new GoogleGenAI({ apiKey: "AIza-fake", httpOptions: { baseUrl: fake.url, apiVersion: "v1beta" } });
const vertex = new GoogleGenAI({ vertexai: true, apiKey: "AQ.express-fake", httpOptions: { baseUrl: fake.url } });

test("the SDK's generateContent gets a realistic default answer", async () => {
  const res = await gemini.models.generateContent({ model: "gemini-2.5-flash", contents: "Hi there", config: { temperature: 0.5 } });
  assert.equal(res.text, "Hello! You said: Hi there");
  assert.equal(res.candidates?.[0].finishReason, "STOP");
  assert.equal(res.usageMetadata?.promptTokenCount, 12);
  const req = fake.last();
  assert.equal(new URL(req.url, "http://x").pathname, "/v1beta/models/gemini-2.5-flash:generateContent");
  assert.equal(req.headers["x-goog-api-key"], "AIza-fake");
  assert.deepEqual((req.json as { generationConfig: unknown }).generationConfig, { temperature: 0.5 });
});

test("the SDK's generateContentStream reads the SSE stream", async () => {
  let text = "";
  let finish: string | undefined;
  for await (const chunk of await gemini.models.generateContentStream({ model: "gemini-3-pro-preview", contents: "stream me please" })) {
    text += chunk.text ?? "";
    finish ??= chunk.candidates?.[0].finishReason;
  }
  assert.equal(text, "Hello! You said: stream me please");
  assert.equal(finish, "STOP");
  assert.equal(new URL(fake.last().url, "http://x").searchParams.get("alt"), "sse");
});

test("recorded Vertex chunks pass through the fake to the SDK unchanged", async () => {
  const lines = readFixtureChunks("gemini", "google-stream-no-args-tool-call.chunks.txt");
  fake.enqueue({ kind: "stream", events: lines.map((data) => ({ data })) });
  const got: unknown[] = [];
  for await (const chunk of await vertex.models.generateContentStream({ model: "gemini-3-flash-preview", contents: "go" })) got.push(chunk.candidates);
  assert.deepEqual(got, lines.map((l) => l.candidates));
  assert.equal(new URL(fake.last().url, "http://x").pathname, "/v1beta1/publishers/google/models/gemini-3-flash-preview:streamGenerateContent");
  assert.equal(fake.last().headers["x-goog-api-key"], "AQ.express-fake");
});

test("Vertex express mode through the SDK; Vertex listings", async () => {
  const res = await vertex.models.generateContent({ model: "gemini-2.5-pro", contents: "Hello Vertex" });
  assert.equal(res.text, "Hello! You said: Hello Vertex");
  assert.equal(res.usageMetadata?.trafficType, "ON_DEMAND");
  const names: string[] = [];
  for await (const m of await gemini.models.list()) names.push(m.name ?? "");
  assert.deepEqual(names, ["models/gemini-2.5-flash", "models/gemini-2.5-pro", "models/gemini-3-pro-preview"]);
});

test("errors reach the SDK as ApiError with Google's status and body", async () => {
  fake.enqueue(geminiErrorReply(429));
  await assert.rejects(gemini.models.generateContent({ model: "gemini-2.5-flash", contents: "x" }), (e: unknown) => {
    assert.ok(e instanceof ApiError);
    assert.equal(e.status, 429);
    assert.match(e.message, /RESOURCE_EXHAUSTED/);
    assert.match(e.message, /RetryInfo/);
    return true;
  });
  const anonymous = await fetch(`${fake.url}/v1beta/models/gemini-2.5-flash:generateContent`, { method: "POST", body: JSON.stringify({ contents: [{ parts: [{ text: "x" }] }] }) });
  assert.equal(anonymous.status, 403);
  assert.equal(((await anonymous.json()) as { error: { status: string } }).error.status, "PERMISSION_DENIED");
  const bad = await fetch(`${fake.url}/v1beta/models/gemini-2.5-flash:generateContent`, { method: "POST", headers: { "x-goog-api-key": "k" }, body: "{not json" });
  assert.equal(bad.status, 400);
  assert.equal(((await bad.json()) as { error: { status: string } }).error.status, "INVALID_ARGUMENT");
  const unknown = await fetch(`${fake.url}/v1beta/models/gemini-2.5-flash:countTokensX`, { method: "POST", headers: { "x-goog-api-key": "k" }, body: "{}" });
  assert.equal(unknown.status, 404);
});

test("an error event mid-stream makes the SDK throw", async () => {
  fake.enqueue({ kind: "stream", events: [...geminiStream("gemini-2.5-flash", "partial answer").slice(0, 1), { data: { error: { code: 500, message: "Internal error encountered.", status: "INTERNAL" } } }] });
  const seen: string[] = [];
  await assert.rejects(
    (async () => {
      for await (const chunk of await gemini.models.generateContentStream({ model: "gemini-2.5-flash", contents: "x" })) seen.push(chunk.text ?? "");
    })(),
    (e: unknown) => e instanceof ApiError && e.status === 500,
  );
  assert.deepEqual(seen, ["partial "]);
});

test("without alt=sse the stream is one JSON array, read incrementally by the parser", async () => {
  const res = await fetch(`${fake.url}/v1beta/models/gemini-2.5-flash:streamGenerateContent`, {
    method: "POST",
    headers: { "x-goog-api-key": "k", "content-type": "application/json" },
    body: JSON.stringify({ contents: [{ role: "user", parts: [{ text: "array please" }] }] }),
  });
  assert.match(res.headers.get("content-type") ?? "", /application\/json/);
  const raw = new Uint8Array(await res.arrayBuffer());
  const parser = new GeminiJsonArrayParser();
  const events = [...parser.push(raw.subarray(0, 50)), ...parser.push(raw.subarray(50)), ...parser.end()].map((f) => f.event);
  assert.deepEqual(events, geminiStream("gemini-2.5-flash", "Hello! You said: array please"));
  assert.deepEqual(JSON.parse(new TextDecoder().decode(raw)), events.map((e) => e.data));
});

/** Sends a canonical request the way the router does: codec -> provider.prepare -> HTTP. */
async function viaProvider(provider: typeof geminiProvider, stream: boolean, options?: Record<string, string>) {
  const request = { model: "gemini-2.5-flash", messages: [{ role: "user" as const, content: [{ type: "text" as const, text: "from the router" }] }], stream };
  const up = await provider.prepare({
    operation: stream ? "stream" : "generate",
    format: "gemini",
    model: request.model,
    body: JSON.stringify(geminiCodec.encodeRequest(request)),
    credential: { id: "c", provider: provider.id, apiKey: "key", baseUrl: fake.url, options },
  });
  return fetch(up.url, { method: up.method, headers: up.headers, body: up.body });
}

test("codec + provider definitions against the fake: Gemini and Vertex project paths, stream and not", async () => {
  const res = await viaProvider(geminiProvider, false);
  const response = geminiCodec.decodeResponse((await res.json()) as Record<string, unknown>);
  assert.deepEqual(response.content.map((p) => (p.type === "text" ? p.text : p.type)), ["Hello! You said: from the router"]);
  assert.deepEqual(response.finish, { reason: "stop", native: "STOP" });

  const streamed = await viaProvider(vertexProvider, true, { project: "proj-1", location: "europe-west4" });
  assert.equal(new URL(fake.last().url, "http://x").pathname, "/v1/projects/proj-1/locations/europe-west4/publishers/google/models/gemini-2.5-flash:streamGenerateContent");
  const sse = new SseParser();
  const decoder = geminiCodec.streamDecoder();
  const events: StreamEvent[] = [];
  for (const e of sse.push(new Uint8Array(await streamed.arrayBuffer()))) events.push(...decoder.decode({ data: JSON.parse(e.data) }).events);
  assert.equal(decoder.end(), undefined);
  const text = events.flatMap((e) => (e.type === "text-delta" ? [e.delta] : [])).join("");
  assert.equal(text, "Hello! You said: from the router");
  const finish = events.find((e) => e.type === "finish");
  assert.ok(finish && finish.type === "finish" && finish.usage?.inputTokens === 12);
});

test("a stream encoded from another provider's chunks is valid for the SDK", async () => {
  const chunks: StreamChunk[] = [
    { events: [{ type: "start", id: "chatcmpl-1", model: "gpt-4o-mini" }, { type: "part-start", index: 0, part: { type: "text", text: "" } }, { type: "text-delta", index: 0, delta: "Calling " }] },
    { events: [{ type: "text-delta", index: 0, delta: "a tool." }, { type: "part-end", index: 0, part: { type: "text", text: "Calling a tool." } }] },
    { events: [{ type: "part-start", index: 1, part: { type: "tool-call", id: "call_abc", name: "lookup", arguments: "", kind: "function" } }, { type: "tool-args-delta", index: 1, delta: '{"q":"pa' }] },
    { events: [{ type: "tool-args-delta", index: 1, delta: 'ris"}' }, { type: "part-end", index: 1, part: { type: "tool-call", id: "call_abc", name: "lookup", arguments: '{"q":"paris"}', kind: "function" } }] },
    { events: [{ type: "finish", finish: { reason: "tool_calls", native: "tool_calls" }, usage: { inputTokens: 20, outputTokens: 9 } }] },
  ];
  const encoder = geminiCodec.streamEncoder({ request: { model: "gemini-2.5-flash", messages: [], stream: true }, model: "gemini-2.5-flash" });
  fake.enqueue({ kind: "stream", events: [...chunks.flatMap((c) => encoder.encode(c)), ...encoder.end()] });
  let text = "";
  const calls: unknown[] = [];
  let usage: number | undefined;
  for await (const chunk of await gemini.models.generateContentStream({ model: "gemini-2.5-flash", contents: "x" })) {
    for (const part of chunk.candidates?.[0].content?.parts ?? []) {
      if (part.text !== undefined) text += part.text;
      if (part.functionCall) calls.push(part.functionCall);
    }
    usage = chunk.usageMetadata?.totalTokenCount ?? usage;
  }
  assert.equal(text, "Calling a tool.");
  assert.deepEqual(calls, [{ name: "lookup", args: { q: "paris" } }]);
  assert.equal(usage, 29);
});

test("a request body the SDK builds survives the codec's decode and encode exactly", async () => {
  await gemini.models.generateContent({
    model: "gemini-3-pro-preview",
    contents: [
      { role: "user", parts: [{ text: "hi" }] },
      { role: "model", parts: [{ functionCall: { name: "f", args: { a: "x" } }, thoughtSignature: "c2ln" }] },
      { role: "user", parts: [{ functionResponse: { name: "f", response: { output: "y" } } }] },
    ],
    config: {
      systemInstruction: "sys",
      tools: [{ functionDeclarations: [{ name: "f", parameters: { type: Type.OBJECT, properties: { a: { type: Type.STRING } } } }] }, { googleSearch: {} }],
      toolConfig: { functionCallingConfig: { mode: FunctionCallingConfigMode.ANY } },
      thinkingConfig: { thinkingLevel: ThinkingLevel.HIGH, includeThoughts: true },
      responseMimeType: "application/json",
      responseJsonSchema: { type: "object" },
      safetySettings: [{ category: HarmCategory.HARM_CATEGORY_HARASSMENT, threshold: HarmBlockThreshold.BLOCK_NONE }],
      maxOutputTokens: 100,
      temperature: 0,
    },
  });
  const body = fake.last().json as Record<string, unknown>;
  assert.deepEqual(geminiCodec.encodeRequest(geminiCodec.decodeRequest(body)), body);
  const canonical = geminiCodec.decodeRequest(body);
  assert.deepEqual(canonical.reasoning, { effort: "high", summary: "auto" });
  assert.equal(canonical.messages[0].role, "system");
});
