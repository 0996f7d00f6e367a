import { test } from "node:test";
import assert from "node:assert/strict";
import { geminiProvider } from "./gemini-provider.ts";
import { vertexProvider } from "./vertex-provider.ts";

const credential = (over: object = {}) => ({ id: "c", provider: "gemini", apiKey: "AIza-test", ...over });

test("Gemini API: generateContent, SSE streaming and the models list, key in x-goog-api-key", async () => {
  const gen = await geminiProvider.prepare({ operation: "generate", format: "gemini", model: "gemini-2.5-flash", body: "{}", credential: credential() });
  assert.equal(gen.url, "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:generateContent");
  assert.deepEqual([gen.method, gen.body, gen.headers["x-goog-api-key"], gen.headers["content-type"]], ["POST", "{}", "AIza-test", "application/json"]);
  const stream = await geminiProvider.prepare({ operation: "stream", format: "gemini", model: "gemini-3-pro-preview", body: "{}", credential: credential() });
  assert.equal(stream.url, "https://generativelanguage.googleapis.com/v1beta/models/gemini-3-pro-preview:streamGenerateContent?alt=sse");
  assert.equal(stream.headers.accept, "text/event-stream");
  const models = await geminiProvider.prepare({ operation: "models", format: "gemini", model: "", credential: credential() });
  assert.deepEqual([models.method, models.url, models.body], ["GET", "https://generativelanguage.googleapis.com/v1beta/models?pageSize=1000", undefined]);
  assert.equal(geminiProvider.framing("gemini"), "sse");
  assert.equal(geminiProvider.envPrefix, "GEMINI");
});

test("a configured base URL, with or without its own version, and tuned models", async () => {
  const at = async (baseUrl: string, model = "gemini-2.5-flash") =>
    (await geminiProvider.prepare({ operation: "generate", format: "gemini", model, body: "{}", credential: credential({ baseUrl }) })).url;
  assert.equal(await at("http://127.0.0.1:9999/"), "http://127.0.0.1:9999/v1beta/models/gemini-2.5-flash:generateContent");
  assert.equal(await at("https://gw.example.com/google/v1"), "https://gw.example.com/google/v1/models/gemini-2.5-flash:generateContent");
  assert.equal(await at("http://x", "tunedModels/my-model-1"), "http://x/v1beta/tunedModels/my-model-1:generateContent");
});

test("model listings of both services lose their resource prefixes", () => {
  assert.deepEqual(geminiProvider.parseModels!({ models: [{ name: "models/gemini-2.5-flash" }, { name: "models/gemini-3-pro-preview" }, {}], nextPageToken: "x" }), ["gemini-2.5-flash", "gemini-3-pro-preview"]);
  assert.deepEqual(vertexProvider.parseModels!({ publisherModels: [{ name: "publishers/google/models/gemini-2.5-pro" }] }), ["gemini-2.5-pro"]);
  assert.deepEqual(geminiProvider.parseModels!(undefined), []);
});

test("Vertex: express-mode key, project paths per location, multi-regional hosts", async () => {
  const at = async (options: Record<string, string> | undefined, operation: "generate" | "stream" | "models" = "generate", baseUrl?: string) =>
    vertexProvider.prepare({ operation, format: "gemini", model: "gemini-2.5-pro", body: "{}", credential: { id: "v", provider: "vertex", apiKey: "AQ.express", options, baseUrl } });
  const express = await at(undefined);
  assert.equal(express.url, "https://aiplatform.googleapis.com/v1/publishers/google/models/gemini-2.5-pro:generateContent");
  assert.equal(express.headers["x-goog-api-key"], "AQ.express");
  assert.equal((await at({ project: "p1", location: "us-central1" }, "stream")).url, "https://us-central1-aiplatform.googleapis.com/v1/projects/p1/locations/us-central1/publishers/google/models/gemini-2.5-pro:streamGenerateContent?alt=sse");
  assert.equal((await at({ project: "p1" })).url, "https://aiplatform.googleapis.com/v1/projects/p1/locations/global/publishers/google/models/gemini-2.5-pro:generateContent");
  assert.equal((await at({ project: "p1", location: "eu" })).url, "https://aiplatform.eu.rep.googleapis.com/v1/projects/p1/locations/eu/publishers/google/models/gemini-2.5-pro:generateContent");
  assert.equal((await at({ project: "p1", location: "us-east5" }, "generate", "http://127.0.0.1:7000")).url, "http://127.0.0.1:7000/v1/projects/p1/locations/us-east5/publishers/google/models/gemini-2.5-pro:generateContent");
  assert.equal((await at({ project: "p1", location: "us-east5" }, "models")).url, "https://us-east5-aiplatform.googleapis.com/v1beta1/publishers/google/models?pageSize=1000");
  const tuned = await vertexProvider.prepare({ operation: "generate", format: "gemini", model: "projects/p1/locations/us-central1/endpoints/42", body: "{}", credential: { id: "v", provider: "vertex", apiKey: "k", options: { project: "p1", location: "us-central1" } } });
  assert.equal(tuned.url, "https://us-central1-aiplatform.googleapis.com/v1/projects/p1/locations/us-central1/endpoints/42:generateContent");
});
