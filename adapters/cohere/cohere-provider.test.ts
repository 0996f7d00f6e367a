import assert from "node:assert/strict";
import { test } from "node:test";
import type { ProviderCredential } from "../provider.ts";
import { cohereProvider } from "./cohere-provider.ts";

const credential: ProviderCredential = { id: "co", provider: "cohere", apiKey: "co-test-key" };

test("chat goes to POST /v2/chat with Bearer auth, streaming asks for SSE", async () => {
  const body = '{"model":"command-a-03-2025","messages":[],"stream":true}';
  const stream = await cohereProvider.prepare({ operation: "stream", format: "cohere", model: "command-a-03-2025", body, credential });
  assert.deepEqual(stream, {
    url: "https://api.cohere.com/v2/chat",
    method: "POST",
    headers: { accept: "text/event-stream", authorization: "Bearer co-test-key", "content-type": "application/json" },
    body,
  });
  const generate = await cohereProvider.prepare({ operation: "generate", format: "cohere", model: "command-a-03-2025", body: "{}", credential });
  assert.equal(generate.headers.accept, "application/json");
  assert.equal(cohereProvider.framing("cohere"), "sse");
  assert.equal(cohereProvider.envPrefix, "COHERE");
  assert.equal(cohereProvider.requiresKey, true);
});

test("a credential's base URL replaces the default, with or without a trailing slash", async () => {
  const req = await cohereProvider.prepare({ operation: "generate", format: "cohere", model: "m", body: "{}", credential: { ...credential, baseUrl: "http://127.0.0.1:9999/" } });
  assert.equal(req.url, "http://127.0.0.1:9999/v2/chat");
});

test("models lists chat models from GET /v1/models", async () => {
  const req = await cohereProvider.prepare({ operation: "models", format: "cohere", model: "", credential });
  assert.equal(req.method, "GET");
  assert.equal(req.url, "https://api.cohere.com/v1/models?endpoint=chat&page_size=1000");
  assert.equal(req.body, undefined);
  const listing = {
    models: [
      { name: "command-a-03-2025", endpoints: ["generate", "chat", "summarize"], finetuned: false, context_length: 256000, tokenizer_url: "https://…", default_endpoints: ["chat"] },
      { name: "command-a-reasoning-08-2025", endpoints: ["chat"], finetuned: false, context_length: 256000 },
      { endpoints: ["chat"] },
    ],
    next_page_token: "",
  };
  assert.deepEqual(cohereProvider.parseModels?.(listing), ["command-a-03-2025", "command-a-reasoning-08-2025"]);
  assert.deepEqual(cohereProvider.parseModels?.({ data: [] }), []);
  assert.deepEqual(cohereProvider.parseModels?.(undefined), []);
});

test("a format Cohere does not speak is refused", () => {
  assert.throws(() => cohereProvider.prepare({ operation: "generate", format: "openai-chat", model: "m", body: "{}", credential }));
});
