import { test } from "node:test";
import assert from "node:assert/strict";
import { decodeGeminiError, encodeGeminiError } from "./gemini-error.ts";

test("a 429 with RetryInfo keeps status, kind, retry delay and the native body", () => {
  const body = {
    error: {
      code: 429,
      message: "You exceeded your current quota, please check your plan and billing details.",
      status: "RESOURCE_EXHAUSTED",
      details: [
        { "@type": "type.googleapis.com/google.rpc.QuotaFailure", violations: [{ quotaMetric: "generativelanguage.googleapis.com/generate_content_free_tier_requests" }] },
        { "@type": "type.googleapis.com/google.rpc.RetryInfo", retryDelay: "31.5s" },
      ],
    },
  };
  const err = decodeGeminiError(429, body);
  assert.equal(err.status, 429);
  assert.equal(err.kind, "rate_limit");
  assert.equal(err.code, "RESOURCE_EXHAUSTED");
  assert.equal(err.retryAfter, 32);
  assert.deepEqual(encodeGeminiError(err), body);
});

test("a bad API key is a 400 INVALID_ARGUMENT that means authentication", () => {
  const body = {
    error: {
      code: 400,
      message: "API key not valid. Please pass a valid API key.",
      status: "INVALID_ARGUMENT",
      details: [{ "@type": "type.googleapis.com/google.rpc.ErrorInfo", reason: "API_KEY_INVALID", domain: "googleapis.com", metadata: { service: "generativelanguage.googleapis.com" } }],
    },
  };
  const err = decodeGeminiError(400, body);
  assert.deepEqual([err.status, err.kind, err.code], [400, "authentication", "API_KEY_INVALID"]);
});

test("array-wrapped, in-stream and non-JSON errors", () => {
  const inner = { error: { code: 503, message: "The model is overloaded. Please try again later.", status: "UNAVAILABLE" } };
  assert.deepEqual(decodeGeminiError(503, [inner]).native?.body, inner);
  const midStream = decodeGeminiError(0, { error: { code: 500, message: "Internal error encountered.", status: "INTERNAL" } });
  assert.deepEqual([midStream.status, midStream.kind], [500, "upstream"]);
  const html = decodeGeminiError(502, "<html>Bad Gateway</html>");
  assert.deepEqual([html.status, html.kind, html.message, html.native], [502, "upstream", "<html>Bad Gateway</html>", undefined]);
});

test("errors of the proxy or other providers are written in Google's shape", () => {
  assert.deepEqual(encodeGeminiError({ status: 429, kind: "rate_limit", message: "Slow down", retryAfter: 7 }), {
    error: { code: 429, message: "Slow down", status: "RESOURCE_EXHAUSTED", details: [{ "@type": "type.googleapis.com/google.rpc.RetryInfo", retryDelay: "7s" }] },
  });
  assert.deepEqual(encodeGeminiError({ status: 400, kind: "invalid_request", message: "bad", param: "contents[0]" }), {
    error: { code: 400, message: "bad", status: "INVALID_ARGUMENT", details: [{ "@type": "type.googleapis.com/google.rpc.BadRequest", fieldViolations: [{ field: "contents[0]", description: "bad" }] }] },
  });
  assert.equal((encodeGeminiError({ status: 401, kind: "authentication", message: "no key" }).error as { status: string }).status, "UNAUTHENTICATED");
});
