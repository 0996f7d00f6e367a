import assert from "node:assert/strict";
import { test } from "node:test";
import { mergeBetas } from "./anthropic-betas.ts";
import { ANTHROPIC_BASE_URL, anthropicProvider } from "./anthropic-provider.ts";

const credential = { id: "c", provider: "anthropic", apiKey: "sk-ant-123" };

test("generate and stream go to POST /v1/messages with x-api-key and the API version", async () => {
  const body = JSON.stringify({ model: "claude-sonnet-4-6", max_tokens: 5, messages: [] });
  const req = await anthropicProvider.prepare({ operation: "generate", format: "anthropic", model: "claude-sonnet-4-6", body, credential });
  assert.equal(req.url, "https://api.anthropic.com/v1/messages");
  assert.equal(req.method, "POST");
  assert.equal(req.body, body);
  assert.deepEqual(req.headers, { "anthropic-version": "2023-06-01", accept: "application/json", "x-api-key": "sk-ant-123", "content-type": "application/json" });
  const stream = await anthropicProvider.prepare({ operation: "stream", format: "anthropic", model: "m", body, credential });
  assert.equal(stream.headers.accept, "text/event-stream");
});

test("base URLs with or without /v1, version, betas and bearer auth from the credential", async () => {
  for (const baseUrl of ["http://127.0.0.1:9999", "http://127.0.0.1:9999/", "http://127.0.0.1:9999/v1", "http://127.0.0.1:9999/v1/"]) {
    const req = await anthropicProvider.prepare({ operation: "generate", format: "anthropic", model: "m", body: "{}", credential: { ...credential, baseUrl } });
    assert.equal(req.url, "http://127.0.0.1:9999/v1/messages", baseUrl);
  }
  const req = await anthropicProvider.prepare({
    operation: "generate",
    format: "anthropic",
    model: "m",
    body: "{}",
    credential: { ...credential, baseUrl: "https://gw.test/anthropic", options: { anthropicVersion: "2026-10-21", anthropicBeta: "fast-mode-2026-02-01, context-management-2025-06-27", authHeader: "bearer" } },
  });
  assert.equal(req.url, "https://gw.test/anthropic/v1/messages");
  assert.equal(req.headers["anthropic-version"], "2026-10-21");
  assert.equal(req.headers["anthropic-beta"], "fast-mode-2026-02-01,context-management-2025-06-27");
  assert.equal(req.headers.authorization, "Bearer sk-ant-123");
  assert.equal(req.headers["x-api-key"], undefined);
});

test("models: GET /v1/models with the largest page, ids parsed", async () => {
  const req = await anthropicProvider.prepare({ operation: "models", format: "anthropic", model: "", credential });
  assert.equal(req.method, "GET");
  assert.equal(req.url, "https://api.anthropic.com/v1/models?limit=1000");
  assert.equal(req.body, undefined);
  assert.deepEqual(
    anthropicProvider.parseModels?.({ data: [{ type: "model", id: "claude-opus-4-6" }, { type: "model", id: "claude-haiku-4-5" }, { id: 5 }], has_more: false }),
    ["claude-opus-4-6", "claude-haiku-4-5"],
  );
  assert.deepEqual(anthropicProvider.parseModels?.({ error: {} }), []);
  assert.equal(anthropicProvider.framing("anthropic"), "sse");
  assert.equal(anthropicProvider.envPrefix, "ANTHROPIC");
});

test("a native client's version and betas are passed on; the credential can force a version", async () => {
  const call = {
    operation: "passthrough" as const,
    format: "anthropic" as const,
    model: "m",
    body: "{}",
    credential,
    passthrough: {
      method: "POST",
      path: "/v1/messages?beta=true",
      headers: { "anthropic-version": "2026-10-21", "anthropic-beta": "interleaved-thinking-2025-05-14,context-1m-2025-08-07", "content-type": "application/json" },
    },
  };
  const req = await anthropicProvider.prepare(call);
  assert.equal(req.url, `${ANTHROPIC_BASE_URL}/v1/messages?beta=true`);
  assert.equal(req.headers["anthropic-version"], "2026-10-21");
  assert.equal(req.headers["anthropic-beta"], "interleaved-thinking-2025-05-14,context-1m-2025-08-07");
  assert.equal(req.headers["x-api-key"], credential.apiKey);
  const forced = await anthropicProvider.prepare({ ...call, credential: { ...credential, options: { anthropicVersion: "2023-06-01", anthropicBeta: "context-1m-2025-08-07,fast-mode-2026-02-01" } } });
  assert.equal(forced.headers["anthropic-version"], "2023-06-01");
  assert.equal(forced.headers["anthropic-beta"], "interleaved-thinking-2025-05-14,context-1m-2025-08-07,fast-mode-2026-02-01");
  assert.equal(mergeBetas("a, b", ["b", "c"], undefined, ""), "a,b,c");
});
