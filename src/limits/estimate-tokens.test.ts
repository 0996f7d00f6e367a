import assert from "node:assert/strict";
import { test } from "node:test";
import type { CanonicalRequest } from "../canonical/request.ts";
import { DEFAULT_OUTPUT_TOKENS, estimateInputTokens, estimateOutputTokens } from "./estimate-tokens.ts";

const request = (messages: CanonicalRequest["messages"], extra: Partial<CanonicalRequest> = {}): CanonicalRequest => ({ model: "m", messages, stream: false, ...extra });

test("input is the body's bytes at three a token: never below what English, code or CJK text really costs", () => {
  const text = "The quick brown fox jumps over the lazy dog. ".repeat(100);
  const body = Buffer.byteLength(JSON.stringify({ model: "m", messages: [{ role: "user", content: text }] }));
  const estimate = estimateInputTokens(request([{ role: "user", content: [{ type: "text", text }] }]), body);
  // English runs about 4 characters a token (this text is 1,000 tokens with OpenAI's tokenizers).
  assert.ok(estimate >= 1000 && estimate <= 1600, `${estimate}`);
  const cjk = "日本語のテキスト".repeat(100);
  const cjkBody = Buffer.byteLength(JSON.stringify({ messages: [{ role: "user", content: cjk }] }));
  assert.ok(estimateInputTokens(request([{ role: "user", content: [{ type: "text", text: cjk }] }]), cjkBody) >= 800, "about one token a character");
});

test("inline images are priced per image, not per base64 byte", () => {
  const data = "A".repeat(400_000);
  const body = 400_100;
  const estimate = estimateInputTokens(request([{ role: "user", content: [{ type: "text", text: "what is this?" }, { type: "image", source: { kind: "base64", data, mediaType: "image/png" } }] }]), body);
  assert.equal(estimate, Math.ceil(100 / 3) + 1600);
  const inResult = estimateInputTokens(
    request([{ role: "tool", content: [{ type: "tool-result", callId: "c", content: [{ type: "image", source: { kind: "url", url: `data:image/png;base64,${data}` } }] }] }]),
    body + 22,
  );
  assert.equal(inResult, Math.ceil(100 / 3) + 1600, "images inside tool results too");
});

test("without the body (a request a stage built) the text is counted from the request", () => {
  const r = request([{ role: "user", content: [{ type: "text", text: "x".repeat(3000) }] }], { instructions: "y".repeat(300) });
  assert.ok(estimateInputTokens(r, undefined) >= 1100);
});

test("output is max_tokens, or the default when the request names none", () => {
  assert.equal(estimateOutputTokens(request([], { maxOutputTokens: 123 })), 123);
  assert.equal(estimateOutputTokens(request([])), DEFAULT_OUTPUT_TOKENS);
});
