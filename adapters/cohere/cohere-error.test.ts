import assert from "node:assert/strict";
import { test } from "node:test";
import { decodeCohereError, encodeCohereError } from "./cohere-error.ts";

test("each documented status maps to its kind, the body is kept for Cohere clients", () => {
  const table: Array<[number, string]> = [
    [400, "invalid_request"],
    [401, "authentication"],
    [402, "over_budget"],
    [404, "not_found"],
    [422, "invalid_request"],
    [429, "rate_limit"],
    [498, "invalid_request"],
    [499, "upstream"],
    [500, "upstream"],
    [503, "overloaded"],
    [504, "timeout"],
  ];
  for (const [status, kind] of table) {
    const body = { id: "8f0c1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b", message: `failure ${status}` };
    const error = decodeCohereError(status, body);
    assert.equal(error.status, status);
    assert.equal(error.kind, kind, `status ${status}`);
    assert.equal(error.message, `failure ${status}`);
    assert.deepEqual(error.native, { format: "cohere", body });
    assert.deepEqual(encodeCohereError(error), body, "forwarded unchanged to a Cohere client");
  }
});

test("bodies without a message still give a useful error", () => {
  assert.equal(decodeCohereError(502, undefined).message, "Cohere answered with HTTP 502");
  assert.equal(decodeCohereError(502, "<html>Bad gateway</html>").message, "Cohere answered with HTTP 502");
  assert.equal(decodeCohereError(503, "upstream connect error").message, "upstream connect error");
  assert.equal(decodeCohereError(400, { error: { message: "from a gateway" } }).message, "from a gateway");
  assert.equal(decodeCohereError(400, { message: "x".repeat(5000) }).message.length, 1001);
  assert.equal(decodeCohereError(429, {}).native, undefined);
});

test("another format's error becomes {message}", () => {
  assert.deepEqual(encodeCohereError({ status: 429, kind: "rate_limit", message: "Slow down", retryAfter: 3 }), { message: "Slow down" });
  assert.deepEqual(
    encodeCohereError({ status: 400, kind: "invalid_request", message: "bad", native: { format: "anthropic", body: { type: "error", error: { type: "invalid_request_error", message: "bad" } } } }),
    { message: "bad" },
  );
});
