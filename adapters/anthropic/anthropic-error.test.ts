import assert from "node:assert/strict";
import { test } from "node:test";
import { decodeAnthropicError, encodeAnthropicError, statusForAnthropicErrorType } from "./anthropic-error.ts";

test("upstream error bodies keep their status, kind and native body", () => {
  const body = { type: "error", error: { type: "overloaded_error", message: "Overloaded" }, request_id: "req_011CSHoEeqs5C35K2UUqR7Fy" };
  const e = decodeAnthropicError(529, body);
  assert.equal(e.status, 529);
  assert.equal(e.kind, "overloaded");
  assert.equal(e.message, "Overloaded");
  assert.deepEqual(e.native, { format: "anthropic", body });
  assert.deepEqual(encodeAnthropicError(e), body, "the same format gets the upstream's own body");
});

test("every documented error type maps to its kind", () => {
  const kinds: Record<string, string> = {
    invalid_request_error: "invalid_request",
    authentication_error: "authentication",
    billing_error: "over_budget",
    permission_error: "permission",
    not_found_error: "not_found",
    request_too_large: "payload_too_large",
    rate_limit_error: "rate_limit",
    timeout_error: "timeout",
    api_error: "upstream",
    overloaded_error: "overloaded",
  };
  for (const [type, kind] of Object.entries(kinds)) assert.equal(decodeAnthropicError(statusForAnthropicErrorType(type), { type: "error", error: { type, message: "m" } }).kind, kind, type);
  assert.equal(statusForAnthropicErrorType("overloaded_error"), 529);
  assert.equal(statusForAnthropicErrorType("something_new"), 500);
});

test("error details codes are kept; odd bodies fall back to the status", () => {
  const e = decodeAnthropicError(400, { type: "error", error: { type: "invalid_request_error", message: "no", details: { error_code: "compaction_block_ambiguous" } } });
  assert.equal(e.code, "compaction_block_ambiguous");
  const html = decodeAnthropicError(502, "<html>Bad Gateway</html>");
  assert.equal(html.kind, "upstream");
  assert.equal(html.message, "<html>Bad Gateway</html>");
  assert.equal(html.native, undefined);
  assert.equal(decodeAnthropicError(503, undefined).message, "The upstream returned HTTP 503");
  assert.equal(decodeAnthropicError(418, { weird: true }).kind, "invalid_request");
});

test("errors of other origins are written in Anthropic's shape", () => {
  assert.deepEqual(encodeAnthropicError({ status: 402, kind: "over_budget", message: "Budget exceeded" }), {
    type: "error",
    error: { type: "billing_error", message: "Budget exceeded" },
  });
  assert.deepEqual(encodeAnthropicError({ status: 413, kind: "payload_too_large", message: "big" }), { type: "error", error: { type: "request_too_large", message: "big" } });
  const openai = { status: 429, kind: "rate_limit" as const, message: "Rate limited", native: { format: "openai-chat" as const, body: { error: { message: "x" } } } };
  assert.deepEqual(encodeAnthropicError(openai), { type: "error", error: { type: "rate_limit_error", message: "Rate limited" } });
});
