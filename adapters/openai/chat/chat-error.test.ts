import assert from "node:assert/strict";
import { test } from "node:test";
import { readFixtureJson } from "../../../test/helpers/fixtures.ts";
import { chatCodec } from "./chat-codec.ts";

test("error fixtures: decoded with the status kept, written back as they were", () => {
  const cases: Array<[string, string, number, string, string | undefined, string | undefined]> = [
    ["openai-chat", "reasoning-model-legacy-parameter-error.json", 400, "invalid_request", "unsupported_parameter", "max_tokens"],
    ["openai-responses", "reasoning-model-temperature-error.json", 400, "invalid_request", undefined, "temperature"],
    ["openai-responses", "openai-error.1.json", 429, "over_budget", "insufficient_quota", undefined],
  ];
  for (const [folder, file, status, kind, code, param] of cases) {
    const body = readFixtureJson(folder, file);
    const error = chatCodec.decodeError(status, body);
    assert.equal(error.status, status);
    assert.equal(error.kind, kind, file);
    assert.equal(error.code, code, file);
    assert.equal(error.param, param, file);
    assert.equal(error.message, (body.error as { message: string }).message);
    assert.deepEqual(error.native, { format: "openai-chat", body });
    assert.deepEqual(chatCodec.encodeError(error), body, file);
  }
});

test("bodies of other shapes: FastAPI detail, flat message, Ollama string, Gemini array, text, nothing", () => {
  const detail = chatCodec.decodeError(404, { detail: "Not Found" });
  assert.deepEqual([detail.status, detail.kind, detail.message, detail.native], [404, "not_found", "Not Found", undefined]);
  const validation = chatCodec.decodeError(422, { detail: [{ loc: ["body", "messages"], msg: "field required", type: "missing" }] });
  assert.deepEqual([validation.kind, validation.message], ["invalid_request", "field required"]);
  const mistral = chatCodec.decodeError(401, { object: "error", message: "Unauthorized", type: "invalid_request_message_error", param: null, code: "1000" });
  assert.deepEqual([mistral.kind, mistral.message, mistral.code], ["authentication", "Unauthorized", "1000"]);
  const ollama = chatCodec.decodeError(404, { error: "model 'llama9' not found" });
  assert.deepEqual([ollama.kind, ollama.message], ["not_found", "model 'llama9' not found"]);
  const gemini = chatCodec.decodeError(400, [{ error: { code: 400, message: "API key not valid.", status: "INVALID_ARGUMENT" } }]);
  assert.deepEqual([gemini.message, gemini.code], ["API key not valid.", "INVALID_ARGUMENT"]);
  const text = chatCodec.decodeError(502, "upstream connect error");
  assert.deepEqual([text.kind, text.message], ["upstream", "upstream connect error"]);
  const html = chatCodec.decodeError(503, "<html><body>Service Unavailable</body></html>");
  assert.deepEqual([html.kind, html.message], ["overloaded", "The upstream answered with HTTP 503"]);
  const none = chatCodec.decodeError(500, undefined);
  assert.equal(none.message, "The upstream answered with HTTP 500");
  const huge = chatCodec.decodeError(500, "x".repeat(5000));
  assert.ok(huge.message.length < 1100);
  const rate = chatCodec.decodeError(429, { error: { message: "Rate limit reached", type: "requests", param: null, code: "rate_limit_exceeded" } });
  assert.equal(rate.kind, "rate_limit");
});

test("errors of the proxy and of other formats are written with OpenAI's type names", () => {
  const cases: Array<[Parameters<typeof chatCodec.encodeError>[0], string]> = [
    [{ status: 400, kind: "invalid_request", message: "Bad", param: "messages[2].content", code: "invalid_request_body" }, "invalid_request_error"],
    [{ status: 401, kind: "authentication", message: "Bad key" }, "authentication_error"],
    [{ status: 403, kind: "permission", message: "No" }, "permission_error"],
    [{ status: 404, kind: "not_found", message: "No model", code: "model_not_found" }, "not_found_error"],
    [{ status: 402, kind: "over_budget", message: "Budget" }, "insufficient_quota"],
    [{ status: 429, kind: "rate_limit", message: "Slow down", retryAfter: 3 }, "rate_limit_error"],
    [{ status: 502, kind: "upstream", message: "Upstream" }, "server_error"],
    [{ status: 529, kind: "overloaded", message: "Overloaded", native: { format: "anthropic", body: { type: "error", error: { type: "overloaded_error", message: "Overloaded" } } } }, "server_error"],
    [{ status: 500, kind: "internal", message: "Internal proxy error" }, "server_error"],
  ];
  for (const [error, type] of cases) {
    assert.deepEqual(chatCodec.encodeError(error), { error: { message: error.message, type, param: error.param ?? null, code: error.code ?? null } });
  }
});
