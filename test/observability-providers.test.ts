import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import Anthropic from "@anthropic-ai/sdk";
import { BedrockRuntimeClient, ConverseCommand, ConverseStreamCommand } from "@aws-sdk/client-bedrock-runtime";
import { GoogleGenAI } from "@google/genai";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import { calcPrice } from "@pydantic/genai-prices";
import OpenAI from "openai";
import { anthropicMessage, anthropicStreamEvents, startAnthropicFake } from "./fake-upstreams/anthropic.ts";
import { startBedrockFake } from "./fake-upstreams/bedrock.ts";
import { cohereChatResponse, cohereChatStream, startCohereFake } from "./fake-upstreams/cohere.ts";
import type { FakeReply, FakeUpstream } from "./fake-upstreams/fake-reply.ts";
import { startGeminiFake } from "./fake-upstreams/gemini.ts";
import { startTestProxy, type TestProxy } from "./helpers/start-proxy.ts";
import { metricValue, near, scrape } from "./observability-support.ts";
import { getInteraction, type InteractionDetail } from "../src/store/interactions-query.ts";

/**
 * Tokens and cost for each native provider, through the model router (OpenAI SDK) and through its
 * passthrough route (the provider's own SDK), whole answers and streams, with cache reads and
 * writes in the usage. The expected cost is computed here from the provider's own usage numbers
 * with the price package, independently of the proxy's calculator.
 */

const KEY = "pk-test-providers-0123456789abcdefghijklmnopqrs";
const AWS = { accessKeyId: "AKIAOBSERVABILITY001", secretAccessKey: "observability/secret+key" };

let anthropic: FakeUpstream;
let gemini: FakeUpstream;
let bedrock: FakeUpstream;
let cohere: FakeUpstream;
let proxy: TestProxy;
let router: OpenAI;

before(async () => {
  [anthropic, gemini, bedrock, cohere] = await Promise.all([startAnthropicFake(), startGeminiFake(), startBedrockFake({ auth: { credentials: AWS } }), startCohereFake()]);
  const mapping = "{ anthropic: anthropic-main, gemini: gemini-main, bedrock: bedrock-main, cohere: cohere-main }";
  proxy = await startTestProxy(`
credentials:
  - { id: anthropic-main, provider: anthropic, apiKey: sk-ant-upstream, baseUrl: "${anthropic.url}" }
  - { id: gemini-main, provider: gemini, apiKey: AIza-upstream, baseUrl: "${gemini.url}" }
  - { id: bedrock-main, provider: bedrock, apiKey: "${AWS.secretAccessKey}", baseUrl: "${bedrock.url}", options: { accessKeyId: ${AWS.accessKeyId}, region: us-east-1 } }
  - { id: cohere-main, provider: cohere, apiKey: co-upstream, baseUrl: "${cohere.url}" }
proxies:
  - { id: default, name: Default, credentials: ${mapping} }
virtualKeys:
  - { name: providers, key: "${KEY}", proxies: [default], credentials: ${mapping} }
`);
  router = new OpenAI({ baseURL: `${proxy.url}/v1/model-router/default`, apiKey: KEY, maxRetries: 0 });
  // The AWS SDK does not surface unknown response headers: remember the newest interaction's id.
  const origin = proxy.interactions.record.bind(proxy.interactions);
  proxy.interactions.record = (row) => {
    lastId = row.id;
    origin(row);
  };
});
let lastId = "";
after(async () => {
  await proxy.stop();
  await Promise.all([anthropic.close(), gemini.close(), bedrock.close(), cohere.close()]);
});

interface Expected {
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
  cost: number;
}

async function rowOf(id: string | null | undefined): Promise<InteractionDetail> {
  assert.ok(id, "x-portcullis-request-id");
  await proxy.interactions.flush();
  const row = await getInteraction(proxy.store, id);
  assert.ok(row, `interaction ${id}`);
  return row;
}

function check(row: InteractionDetail, e: Expected, what: string): void {
  assert.equal(row.status, 200, `${what}: status (${row.error})`);
  assert.equal(row.usage.inputTokens, e.input, `${what}: input tokens`);
  assert.equal(row.usage.outputTokens, e.output, `${what}: output tokens`);
  assert.equal(row.usage.cacheReadTokens ?? 0, e.cacheRead, `${what}: cache read tokens`);
  assert.equal(row.usage.cacheWriteTokens ?? 0, e.cacheWrite, `${what}: cache write tokens`);
  assert.ok(row.costUsd !== null, `${what}: priced`);
  near(row.costUsd, e.cost, `${what}: cost`);
}

const totals = { tokens: new Map<string, number>(), cost: new Map<string, number>() };
function count(provider: string, e: Expected) {
  totals.tokens.set(provider, (totals.tokens.get(provider) ?? 0) + e.input);
  totals.cost.set(provider, (totals.cost.get(provider) ?? 0) + e.cost);
}

describe("anthropic", () => {
  const MODEL = "claude-sonnet-4-5";
  // Anthropic counts cache reads and writes apart from input_tokens; the log counts them in it.
  const message = () => {
    const m = anthropicMessage(MODEL, [{ type: "text", text: "Cached answer from Claude." }]);
    m.usage = { ...m.usage, input_tokens: 1000, cache_creation_input_tokens: 2000, cache_read_input_tokens: 5000, output_tokens: 300 };
    return m;
  };
  const e: Expected = {
    input: 8000,
    output: 300,
    cacheRead: 5000,
    cacheWrite: 2000,
    cost: calcPrice({ input_tokens: 8000, cache_read_tokens: 5000, cache_write_tokens: 2000, output_tokens: 300 }, MODEL, { providerId: "anthropic" })!.total_price,
  };
  const sdk = () => new Anthropic({ apiKey: KEY, baseURL: `${proxy.url}/v1/anthropic`, maxRetries: 0 });

  it("router, whole answer and stream", async () => {
    anthropic.enqueue({ kind: "json", body: message() });
    const { response } = await router.chat.completions.create({ model: `anthropic:${MODEL}`, messages: [{ role: "user", content: "hi" }] }).withResponse();
    check(await rowOf(response.headers.get("x-portcullis-request-id")), e, "router");
    anthropic.enqueue({ kind: "stream", events: anthropicStreamEvents(message()) });
    const stream = await router.chat.completions.create({ model: `anthropic:${MODEL}`, messages: [{ role: "user", content: "hi" }], stream: true }).withResponse();
    for await (const _ of stream.data) {
      // drain
    }
    check(await rowOf(stream.response.headers.get("x-portcullis-request-id")), e, "router stream");
    count("anthropic", e);
    count("anthropic", e);
  });

  it("passthrough with the Anthropic SDK, whole answer and stream", async () => {
    anthropic.enqueue({ kind: "json", body: message() });
    const { response } = await sdk().messages.create({ model: MODEL, max_tokens: 100, messages: [{ role: "user", content: "hi" }] }).withResponse();
    const row = await rowOf(response.headers.get("x-portcullis-request-id"));
    check(row, e, "passthrough");
    assert.equal(row.route, "passthrough");
    assert.equal(row.clientFormat, "anthropic");
    assert.equal(JSON.parse(row.requestBody!).model, MODEL, "the client's body is logged");
    assert.equal(JSON.parse(row.responseBody!).content[0].text, "Cached answer from Claude.");
    anthropic.enqueue({ kind: "stream", events: anthropicStreamEvents(message()) });
    const stream = await sdk().messages.create({ model: MODEL, max_tokens: 100, messages: [{ role: "user", content: "hi" }], stream: true }).withResponse();
    for await (const _ of stream.data) {
      // drain
    }
    check(await rowOf(stream.response.headers.get("x-portcullis-request-id")), e, "passthrough stream");
    count("anthropic", e);
    count("anthropic", e);
  });
});

describe("gemini", () => {
  const MODEL = "gemini-2.5-flash";
  // Gemini counts cached tokens within promptTokenCount, and thoughts apart from candidates.
  const usageMetadata = { promptTokenCount: 3000, cachedContentTokenCount: 1200, candidatesTokenCount: 80, thoughtsTokenCount: 40, totalTokenCount: 3120 };
  const body = (text: string) => ({ candidates: [{ content: { role: "model", parts: [{ text }] }, finishReason: "STOP", index: 0 }], usageMetadata, modelVersion: MODEL, responseId: "resp-g" });
  const streamReply = (): FakeReply => ({
    kind: "stream",
    events: [
      { data: { candidates: [{ content: { role: "model", parts: [{ text: "Cached " }] }, index: 0 }], usageMetadata: { promptTokenCount: 3000, totalTokenCount: 3000 }, modelVersion: MODEL, responseId: "resp-g" } },
      { data: body("answer.") },
    ],
  });
  const e: Expected = {
    input: 3000,
    output: 120,
    cacheRead: 1200,
    cacheWrite: 0,
    cost: calcPrice({ input_tokens: 3000, cache_read_tokens: 1200, output_tokens: 120 }, MODEL, { providerId: "google" })!.total_price,
  };

  it("router, whole answer and stream", async () => {
    gemini.enqueue({ kind: "json", body: body("Cached answer.") });
    const { response } = await router.chat.completions.create({ model: `gemini:${MODEL}`, messages: [{ role: "user", content: "hi" }] }).withResponse();
    check(await rowOf(response.headers.get("x-portcullis-request-id")), e, "router");
    gemini.enqueue(streamReply());
    const stream = await router.chat.completions.create({ model: `gemini:${MODEL}`, messages: [{ role: "user", content: "hi" }], stream: true }).withResponse();
    for await (const _ of stream.data) {
      // drain
    }
    check(await rowOf(stream.response.headers.get("x-portcullis-request-id")), e, "router stream");
    count("gemini", e);
    count("gemini", e);
  });

  it("passthrough with @google/genai, whole answer and stream", async () => {
    const ids: string[] = [];
    const sdk = new GoogleGenAI({
      apiKey: KEY,
      httpOptions: {
        baseUrl: `${proxy.url}/v1/gemini`,
        apiVersion: "v1beta",
        // The SDK hides response headers; read the request id off the fetch underneath.
      },
    });
    const realFetch = globalThis.fetch;
    globalThis.fetch = async (...args: Parameters<typeof fetch>) => {
      const res = await realFetch(...args);
      const id = res.headers.get("x-portcullis-request-id");
      if (id) ids.push(id);
      return res;
    };
    try {
      gemini.enqueue({ kind: "json", body: body("Cached answer.") });
      await sdk.models.generateContent({ model: MODEL, contents: "hi" });
      gemini.enqueue(streamReply());
      for await (const _ of await sdk.models.generateContentStream({ model: MODEL, contents: "hi" })) {
        // drain
      }
    } finally {
      globalThis.fetch = realFetch;
    }
    assert.equal(ids.length, 2);
    check(await rowOf(ids[0]), e, "passthrough");
    check(await rowOf(ids[1]), e, "passthrough stream");
    count("gemini", e);
    count("gemini", e);
  });
});

describe("bedrock", () => {
  const MODEL = "anthropic.claude-3-5-sonnet-20240620-v1:0";
  // Converse reports cache reads and writes apart from inputTokens.
  const usage = { inputTokens: 900, outputTokens: 40, cacheReadInputTokens: 300, cacheWriteInputTokens: 100, totalTokens: 1340 };
  const converse = { metrics: { latencyMs: 300 }, output: { message: { role: "assistant", content: [{ text: "Cached Bedrock answer." }] } }, stopReason: "end_turn", usage };
  const stream = (): FakeReply => ({
    kind: "stream",
    events: [
      { event: "messageStart", data: { role: "assistant" } },
      { event: "contentBlockDelta", data: { contentBlockIndex: 0, delta: { text: "Cached." } } },
      { event: "contentBlockStop", data: { contentBlockIndex: 0 } },
      { event: "messageStop", data: { stopReason: "end_turn" } },
      { event: "metadata", data: { usage, metrics: { latencyMs: 280 } } },
    ],
  });
  const e: Expected = {
    input: 1300,
    output: 40,
    cacheRead: 300,
    cacheWrite: 100,
    cost: calcPrice({ input_tokens: 1300, cache_read_tokens: 300, cache_write_tokens: 100, output_tokens: 40 }, MODEL, { providerId: "aws" })!.total_price,
  };

  it("router, whole answer and stream", async () => {
    bedrock.enqueue({ kind: "json", body: converse });
    const { response } = await router.chat.completions.create({ model: `bedrock:${MODEL}`, messages: [{ role: "user", content: "hi" }] }).withResponse();
    check(await rowOf(response.headers.get("x-portcullis-request-id")), e, "router");
    bedrock.enqueue(stream());
    const s = await router.chat.completions.create({ model: `bedrock:${MODEL}`, messages: [{ role: "user", content: "hi" }], stream: true }).withResponse();
    for await (const _ of s.data) {
      // drain
    }
    check(await rowOf(s.response.headers.get("x-portcullis-request-id")), e, "router stream");
    count("bedrock", e);
    count("bedrock", e);
  });

  it("passthrough with the AWS SDK (virtual key as access key id), whole answer and stream", async () => {
    const client = new BedrockRuntimeClient({ region: "us-east-1", endpoint: `${proxy.url}/v1/bedrock`, credentials: { accessKeyId: KEY, secretAccessKey: "unused" }, maxAttempts: 1, requestHandler: new NodeHttpHandler() });
    bedrock.enqueue({ kind: "json", body: converse });
    const out = await client.send(new ConverseCommand({ modelId: MODEL, messages: [{ role: "user", content: [{ text: "hi" }] }] }));
    assert.ok(out.output);
    check(await rowOf(lastId), e, "passthrough");
    bedrock.enqueue(stream());
    const s = await client.send(new ConverseStreamCommand({ modelId: MODEL, messages: [{ role: "user", content: [{ text: "hi" }] }] }));
    for await (const _ of s.stream!) {
      // drain
    }
    check(await rowOf(lastId), e, "passthrough stream");
    count("bedrock", e);
    count("bedrock", e);
  });
});

describe("cohere", () => {
  const MODEL = "command-r-plus";
  // The fake's usage: billed_units 12 in / N out; tokens 508 in (448 of them cached) / N+2 out.
  it("router, whole answer and stream: cost follows Cohere's billed units", async () => {
    const answer = cohereChatResponse("Cohere answers here");
    cohere.enqueue({ kind: "json", body: answer });
    const { response } = await router.chat.completions.create({ model: `cohere:${MODEL}`, messages: [{ role: "user", content: "hi" }] }).withResponse();
    const billed = answer.usage.billed_units;
    const e: Expected = {
      input: answer.usage.tokens.input_tokens,
      output: answer.usage.tokens.output_tokens,
      cacheRead: answer.usage.cached_tokens,
      cacheWrite: 0,
      cost: calcPrice({ input_tokens: billed.input_tokens, output_tokens: billed.output_tokens }, MODEL, { providerId: "cohere" })!.total_price,
    };
    check(await rowOf(response.headers.get("x-portcullis-request-id")), e, "router");
    const events = cohereChatStream("Cohere streams here");
    cohere.enqueue({ kind: "stream", events });
    const s = await router.chat.completions.create({ model: `cohere:${MODEL}`, messages: [{ role: "user", content: "hi" }], stream: true }).withResponse();
    for await (const _ of s.data) {
      // drain
    }
    const end = events.find((x) => typeof x.data === "object" && x.data.type === "message-end")!.data as { delta: { usage: typeof answer.usage } };
    const u = end.delta.usage;
    const es: Expected = {
      input: u.tokens.input_tokens,
      output: u.tokens.output_tokens,
      cacheRead: u.cached_tokens,
      cacheWrite: 0,
      cost: calcPrice({ input_tokens: u.billed_units.input_tokens, output_tokens: u.billed_units.output_tokens }, MODEL, { providerId: "cohere" })!.total_price,
    };
    check(await rowOf(s.response.headers.get("x-portcullis-request-id")), es, "router stream");
    count("cohere", e);
    count("cohere", es);
  });
});

describe("metrics agree with the log", () => {
  it("llm_tokens_total and llm_cost_total per provider are the sums of the rows", async () => {
    const m = await scrape(proxy.url);
    for (const [provider, tokens] of totals.tokens) {
      assert.equal(metricValue(m, "llm_tokens_total", { provider, type: "input" }), tokens, `${provider} input tokens`);
      near(metricValue(m, "llm_cost_total", { provider }), totals.cost.get(provider)!, `${provider} cost`);
    }
    assert.equal(metricValue(m, "llm_cache_tokens_total", { provider: "anthropic", type: "write" }), 4 * 2000);
    assert.equal(metricValue(m, "llm_cache_tokens_total", { provider: "bedrock", type: "read" }), 4 * 300);
  });
});
