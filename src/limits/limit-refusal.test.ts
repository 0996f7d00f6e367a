import assert from "node:assert/strict";
import { test } from "node:test";
import { providerRegistry } from "../../adapters/registry.ts";
import type { LimitStatus } from "./limit-service.ts";
import { limitRefusal, rateLimitHeaders } from "./limit-refusal.ts";
import type { LimitDefinition } from "./types.ts";

const NOW = Date.parse("2026-03-10T12:00:15Z");
const MINUTE = { start: Date.parse("2026-03-10T12:00:00Z"), end: Date.parse("2026-03-10T12:01:00Z") };

function status(def: Omit<LimitDefinition, "id" | "subject">, used: number, amount: number, window = MINUTE): LimitStatus {
  const limit = { id: "l1", subject: "bot", counterKey: "l1", ...def };
  return { limit, subject: "bot", max: def.max, used, reserved: 0, remaining: Math.max(0, def.max - used), window, amount };
}

test("a rate refusal: 429, Retry-After to the window's end, singular units read right", () => {
  const s = status({ scope: "externalAgent", measure: "requests", window: "minute", max: 1 }, 1, 1);
  const err = limitRefusal(providerRegistry.codec("openai-chat"), s, 429, "bot", NOW).error;
  assert.equal(err.status, 429);
  assert.equal(err.retryAfter, 45);
  assert.equal(err.message, "Rate limit 'l1' reached: the external agent 'bot' may use 1 request per minute. It resets at 2026-03-10T12:01:00.000Z (in 45 s).");
  const body = err.native?.body as { error: { code: string; limit: { resetsAt: string; remaining: number } } };
  assert.equal(body.error.code, "rate_limit_exceeded");
  assert.deepEqual([body.error.limit.resetsAt, body.error.limit.remaining], ["2026-03-10T12:01:00.000Z", 0]);
});

test("a lifetime budget: 402 without Retry-After, says it does not reset; Gemini gets an ErrorInfo", () => {
  const s = status({ scope: "virtualKey", measure: "tokens", window: "lifetime", max: 1000 }, 990, 40, { start: 0, end: Infinity });
  const err = limitRefusal(providerRegistry.codec("gemini"), s, 402, "app", NOW).error;
  assert.equal(err.retryAfter, undefined);
  assert.match(err.message, /may use 1000 tokens in total \(used or reserved: 990 tokens\) and this request needs up to 40 tokens\. It does not reset/);
  const details = (err.native?.body as { error: { details: Array<{ reason: string; metadata: Record<string, string> }> } }).error.details;
  assert.equal(details[0].reason, "BUDGET_EXCEEDED");
  assert.equal(details[0].metadata.resetsAt, "");
  assert.equal(rateLimitHeaders(s, NOW)["x-ratelimit-reset"], undefined, "a lifetime limit never resets");
});
