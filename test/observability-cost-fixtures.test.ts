import assert from "node:assert/strict";
import { test } from "node:test";
import { calcPrice, extractUsage, findProvider } from "@pydantic/genai-prices";
import { anthropicCodec } from "../adapters/anthropic/anthropic-codec.ts";
import { bedrockCodec } from "../adapters/bedrock/bedrock-codec.ts";
import { geminiCodec } from "../adapters/gemini/gemini-codec.ts";
import { chatCodec } from "../adapters/openai/chat/chat-codec.ts";
import { responsesCodec } from "../adapters/openai/responses/responses-codec.ts";
import type { NativeEvent, WireCodec } from "../adapters/types.ts";
import type { JsonObject } from "../src/canonical/extras.ts";
import { CostCalculator } from "../src/observability/cost/cost-calculator.ts";
import type { RequestContext } from "../src/pipeline/context.ts";
import { observeChunk } from "../src/pipeline/observe-chunk.ts";
import { listFixtures, readFixtureChunks, readFixtureJson } from "./helpers/fixtures.ts";
import { near } from "./observability-support.ts";

/**
 * Token and cost figures per provider, from real recorded responses: our codec decodes the usage,
 * our calculator prices it; independently, the price package's own usage extractor reads the
 * raw payload and its calculator prices that. Both must agree to the last digit, cached and
 * reasoning tokens included.
 */
const CASES: Array<{ folder: string; provider: string; codec: WireCodec; flavor: string; model?: (json: Record<string, unknown>) => string }> = [
  { folder: "openai-chat", provider: "openai", codec: chatCodec, flavor: "chat" },
  { folder: "openai-responses", provider: "openai", codec: responsesCodec, flavor: "responses" },
  { folder: "anthropic", provider: "anthropic", codec: anthropicCodec, flavor: "default" },
  { folder: "gemini", provider: "gemini", codec: geminiCodec, flavor: "default" },
  { folder: "bedrock", provider: "bedrock", codec: bedrockCodec, flavor: "default", model: () => "us.anthropic.claude-sonnet-4-20250514-v1:0" },
  { folder: "deepseek", provider: "deepseek", codec: chatCodec, flavor: "chat" },
  { folder: "groq", provider: "groq", codec: chatCodec, flavor: "default" },
  { folder: "xai", provider: "xai", codec: chatCodec, flavor: "chat" },
  { folder: "mistral", provider: "mistral", codec: chatCodec, flavor: "default" },
];

const PRICE_IDS: Record<string, string> = { gemini: "google", bedrock: "aws", xai: "x-ai" };
const at = new Date("2026-03-01T12:00:00Z");

for (const c of CASES) {
  test(`${c.provider}: decoded usage and cost match the price package's own reading of ${c.folder} fixtures`, (t) => {
    const costs = new CostCalculator();
    const genaiProvider = findProvider({ providerId: PRICE_IDS[c.provider] ?? c.provider })!;
    let compared = 0;
    for (const file of listFixtures(c.folder, ".json")) {
      const raw = readFixtureJson(c.folder, file);
      if ("error" in raw && !("usage" in raw) && !("usageMetadata" in raw)) continue;
      const decoded = c.codec.decodeResponse(raw);
      if (!decoded.usage) continue;
      const model = c.model?.(raw) ?? decoded.model;
      let extracted;
      try {
        extracted = extractUsage(genaiProvider, raw, c.flavor);
      } catch (err) {
        t.diagnostic(`${file}: the price package cannot read its usage (${(err as Error).message})`);
        continue;
      }
      const expected = calcPrice(extracted.usage, model, { provider: genaiProvider, timestamp: at });
      const ours = costs.cost({ provider: c.provider, model, responseModel: decoded.model, usage: decoded.usage, at });
      if (!expected) {
        assert.equal(ours, null, `${file}: ${model} has no price, so no cost`);
        t.diagnostic(`${file}: ${model} has no list price`);
        continue;
      }
      const u = extracted.usage;
      assert.equal(decoded.usage.inputTokens, u.input_tokens, `${file}: input tokens`);
      assert.equal(decoded.usage.outputTokens, u.output_tokens, `${file}: output tokens`);
      assert.equal(decoded.usage.cacheReadTokens ?? 0, u.cache_read_tokens ?? 0, `${file}: cache read tokens`);
      assert.equal(decoded.usage.cacheWriteTokens ?? 0, u.cache_write_tokens ?? 0, `${file}: cache write tokens`);
      assert.ok(ours !== null, `${file}: priced`);
      near(ours, expected.total_price, `${file}: cost`);
      compared++;
    }
    assert.ok(compared > 0, `at least one priced ${c.folder} fixture`);
  });
}

/** How each folder's recorded stream lines become native events, and where the provider states the final usage. */
type StreamCase = { folder: string; provider: string; codec: WireCodec; flavor: string; model?: string; toEvent(line: JsonObject): NativeEvent; usageSource(lines: JsonObject[]): JsonObject | undefined };

const lastWith = (key: string) => (lines: JsonObject[]) => lines.findLast((l) => l[key] !== undefined && l[key] !== null);
const chatLike = (folder: string, provider: string, flavor: string, model?: string): StreamCase => ({ folder, provider, codec: chatCodec, flavor, model, toEvent: (data) => ({ data }), usageSource: lastWith("usage") });

const STREAMS: StreamCase[] = [
  chatLike("openai-chat", "openai", "chat"),
  chatLike("deepseek", "deepseek", "chat"),
  chatLike("groq", "groq", "default"),
  chatLike("xai", "xai", "chat"),
  // The recorded Mistral-format stream names a model Mistral does not price: priced as one it does.
  chatLike("mistral", "mistral", "default", "mistral-small-latest"),
  {
    folder: "openai-responses",
    provider: "openai",
    codec: responsesCodec,
    flavor: "responses",
    toEvent: (data) => ({ event: String(data.type), data }),
    usageSource: (lines) => lines.findLast((l) => l.type === "response.completed")?.response as JsonObject | undefined,
  },
  {
    folder: "anthropic",
    provider: "anthropic",
    codec: anthropicCodec,
    flavor: "default",
    toEvent: (data) => ({ event: String(data.type), data }),
    // message_start carries the input side, message_delta the cumulative rest.
    usageSource: (lines) => {
      const start = lines.find((l) => l.type === "message_start")?.message as JsonObject | undefined;
      const delta = lines.findLast((l) => l.type === "message_delta")?.usage as JsonObject | undefined;
      if (!start) return undefined;
      const usage: JsonObject = { ...(start.usage as JsonObject) };
      for (const [k, v] of Object.entries(delta ?? {})) if (v !== null) usage[k] = v;
      return { model: start.model, usage };
    },
  },
  { folder: "gemini", provider: "gemini", codec: geminiCodec, flavor: "default", toEvent: (data) => ({ data }), usageSource: lastWith("usageMetadata") },
  {
    folder: "bedrock",
    provider: "bedrock",
    codec: bedrockCodec,
    flavor: "default",
    model: "us.anthropic.claude-sonnet-4-20250514-v1:0",
    toEvent: (line) => {
      const [event] = Object.keys(line);
      return { event, data: line[event] as JsonObject };
    },
    usageSource: (lines) => lines.find((l) => l.metadata)?.metadata as JsonObject | undefined,
  },
];

for (const c of STREAMS) {
  test(`${c.provider}: streamed usage (as the pipeline observes it) and cost match the provider's final usage in ${c.folder} streams`, (t) => {
    const costs = new CostCalculator();
    const genaiProvider = findProvider({ providerId: PRICE_IDS[c.provider] ?? c.provider })!;
    let compared = 0;
    for (const file of listFixtures(c.folder, ".chunks.txt")) {
      const lines = readFixtureChunks(c.folder, file);
      const ctx = {} as RequestContext;
      const decoder = c.codec.streamDecoder();
      try {
        for (const line of lines) observeChunk(ctx, decoder.decode(c.toEvent(line)));
        const tail = decoder.end();
        if (tail) observeChunk(ctx, tail);
      } catch (err) {
        t.diagnostic(`${file}: not one stream (${(err as Error).message})`);
        continue;
      }
      const source = c.usageSource(lines);
      if (!ctx.usage || !source) continue;
      const model = c.model ?? ctx.responseModel ?? String(source.model ?? "");
      let extracted;
      try {
        extracted = extractUsage(genaiProvider, source, c.flavor);
      } catch (err) {
        t.diagnostic(`${file}: the price package cannot read its usage (${(err as Error).message})`);
        continue;
      }
      const expected = calcPrice(extracted.usage, model, { provider: genaiProvider, timestamp: at });
      if (!expected) {
        t.diagnostic(`${file}: ${model} has no list price`);
        continue;
      }
      const ours = costs.cost({ provider: c.provider, model, responseModel: c.model ? undefined : ctx.responseModel, usage: ctx.usage, at });
      const u = extracted.usage;
      assert.equal(ctx.usage.inputTokens, u.input_tokens, `${file}: input tokens`);
      assert.equal(ctx.usage.outputTokens, u.output_tokens, `${file}: output tokens`);
      assert.equal(ctx.usage.cacheReadTokens ?? 0, u.cache_read_tokens ?? 0, `${file}: cache read tokens`);
      assert.equal(ctx.usage.cacheWriteTokens ?? 0, u.cache_write_tokens ?? 0, `${file}: cache write tokens`);
      assert.ok(ours !== null, `${file}: priced`);
      near(ours, expected.total_price, `${file}: cost`);
      if ((u.cache_read_tokens ?? 0) > 0 || (u.cache_write_tokens ?? 0) > 0) t.diagnostic(`${file}: cached tokens read ${u.cache_read_tokens ?? 0}, written ${u.cache_write_tokens ?? 0}`);
      compared++;
    }
    assert.ok(compared > 0, `at least one priced ${c.folder} stream`);
  });
}

test("cohere: cost follows billed_units (cached tokens are not billed), whole answers and streams", async () => {
  const { textResponse, toolCallResponse, textStream, toolStream } = await import("../adapters/cohere/cohere-test-payloads.ts");
  const { cohereCodec } = await import("../adapters/cohere/cohere-codec.ts");
  const costs = new CostCalculator();
  const cohere = findProvider({ providerId: "cohere" })!;
  const model = "command-r-plus";
  const expectedFor = (usageHolder: JsonObject) => calcPrice(extractUsage(cohere, usageHolder, "default").usage, model, { provider: cohere, timestamp: at })!.total_price;
  for (const body of [textResponse, toolCallResponse]) {
    const usage = cohereCodec.decodeResponse(body).usage!;
    assert.ok((usage.cacheReadTokens ?? 0) > 0, "these answers had cached tokens");
    near(costs.cost({ provider: "cohere", model, responseModel: undefined, usage, at })!, expectedFor(body), "whole answer");
  }
  for (const events of [textStream, toolStream]) {
    const ctx = {} as RequestContext;
    const decoder = cohereCodec.streamDecoder();
    for (const data of events) observeChunk(ctx, decoder.decode({ event: String(data.type), data }));
    const end = events.findLast((e) => e.type === "message-end")!.delta as JsonObject;
    near(costs.cost({ provider: "cohere", model, responseModel: undefined, usage: ctx.usage!, at })!, expectedFor(end), "stream");
  }
});
