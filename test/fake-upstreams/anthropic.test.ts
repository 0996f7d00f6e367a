import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import Anthropic from "@anthropic-ai/sdk";
import { anthropicCodec } from "../../adapters/anthropic/anthropic-codec.ts";
import { anthropicProvider } from "../../adapters/anthropic/anthropic-provider.ts";
import type { JsonObject } from "../../src/canonical/extras.ts";
import { SseParser } from "../../adapters/shared/sse-parser.ts";
import type { FakeUpstream } from "./fake-reply.ts";
import {
  anthropicErrorReply,
  anthropicMessage,
  anthropicStreamError,
  anthropicStreamEvents,
  startAnthropicFake,
} from "./anthropic.ts";

/** The official SDK parses what the fake sends: if it does, the wire is right. */
describe("the Anthropic fake upstream, driven by @anthropic-ai/sdk", () => {
  let fake: FakeUpstream;
  let client: Anthropic;
  before(async () => {
    fake = await startAnthropicFake();
    client = new Anthropic({ apiKey: "sk-ant-test", baseURL: fake.url, maxRetries: 0 });
  });
  after(() => fake.close());

  test("messages.create echoes the last user text and reports usage", async () => {
    const msg = await client.messages.create({ model: "claude-sonnet-4-6", max_tokens: 256, messages: [{ role: "user", content: "ping pong" }] });
    assert.equal(msg.type, "message");
    assert.deepEqual(msg.content, [{ type: "text", text: "Hello! You said: ping pong" }]);
    assert.equal(msg.stop_reason, "end_turn");
    assert.ok(msg.usage.input_tokens > 0 && msg.usage.output_tokens > 0);
    const req = fake.last();
    assert.equal(req.url, "/v1/messages");
    assert.ok(req.headers["anthropic-version"]);
    assert.equal((req.json as { model: string }).model, "claude-sonnet-4-6");
  });

  test("messages.stream assembles thinking, text and a streamed tool call", async () => {
    const message = anthropicMessage("claude-sonnet-4-6", [
      { type: "thinking", thinking: "I should look up the weather first.", signature: "EqQBCkYIBxgCKkBsig" },
      { type: "text", text: "Let me check the weather in Paris for you." },
      { type: "tool_use", id: "toolu_01WeatherCall0000000000001", name: "get_weather", input: { city: "Paris", units: "celsius", days: [1, 2] } },
    ]);
    fake.enqueue({ kind: "stream", events: anthropicStreamEvents(message) });
    const stream = client.messages.stream({
      model: "claude-sonnet-4-6",
      max_tokens: 4096,
      thinking: { type: "enabled", budget_tokens: 2048 },
      tools: [{ name: "get_weather", description: "Weather by city", input_schema: { type: "object", properties: { city: { type: "string" } } } }],
      messages: [{ role: "user", content: "Weather in Paris?" }],
    });
    const deltas: string[] = [];
    stream.on("text", (t) => deltas.push(t));
    const final = await stream.finalMessage();
    assert.equal(deltas.join(""), "Let me check the weather in Paris for you.");
    assert.deepEqual(final.content[0], { type: "thinking", thinking: "I should look up the weather first.", signature: "EqQBCkYIBxgCKkBsig" });
    assert.deepEqual((final.content[2] as { input: unknown }).input, { city: "Paris", units: "celsius", days: [1, 2] });
    assert.equal(final.stop_reason, "tool_use");
    assert.equal(final.usage.output_tokens, message.usage.output_tokens);
    assert.equal((fake.last().json as { stream: boolean }).stream, true);
  });

  test("the default stream reply thinks when asked and calls a forced tool", async () => {
    const stream = client.messages.stream({
      model: "claude-opus-4-6",
      max_tokens: 4096,
      thinking: { type: "adaptive" },
      tools: [{ name: "lookup", input_schema: { type: "object" } }],
      tool_choice: { type: "any" },
      messages: [{ role: "user", content: "go" }],
    });
    const final = await stream.finalMessage();
    assert.deepEqual(
      final.content.map((b) => b.type),
      ["thinking", "tool_use"],
    );
    assert.equal((final.content[1] as { name: string }).name, "lookup");
  });

  test("errors surface as the SDK's APIError with the status, type and request id", async () => {
    fake.enqueue(anthropicErrorReply(429, "rate_limit_error", "Number of request tokens has exceeded your per-minute rate limit", 17));
    await assert.rejects(
      client.messages.create({ model: "claude-sonnet-4-6", max_tokens: 10, messages: [{ role: "user", content: "x" }] }),
      (err: unknown) => {
        assert.ok(err instanceof Anthropic.RateLimitError);
        assert.equal(err.status, 429);
        assert.equal(err.type, "rate_limit_error");
        assert.equal(err.headers?.get("retry-after"), "17");
        assert.match(err.requestID ?? "", /^req_fake/);
        return true;
      },
    );
    fake.enqueue(anthropicErrorReply(529, "overloaded_error", "Overloaded"));
    await assert.rejects(client.messages.create({ model: "claude-sonnet-4-6", max_tokens: 10, messages: [{ role: "user", content: "x" }] }), (err: unknown) => {
      assert.ok(err instanceof Anthropic.APIError);
      assert.equal(err.status, 529);
      assert.equal(err.type, "overloaded_error");
      return true;
    });
  });

  test("a mid-stream error event fails the SDK stream instead of ending it quietly", async () => {
    fake.enqueue({ kind: "stream", events: anthropicStreamError("claude-sonnet-4-6") });
    const stream = client.messages.stream({ model: "claude-sonnet-4-6", max_tokens: 10, messages: [{ role: "user", content: "x" }] });
    await assert.rejects(stream.finalMessage(), (err: unknown) => {
      assert.ok(err instanceof Anthropic.APIError);
      assert.match(String(err.message), /Overloaded/);
      return true;
    });
  });

  test("requests without credentials or version are refused like the real API", async () => {
    const res = await fetch(`${fake.url}/v1/messages`, { method: "POST", body: "{}", headers: { "anthropic-version": "2023-06-01" } });
    assert.equal(res.status, 401);
    assert.equal(((await res.json()) as { error: { type: string } }).error.type, "authentication_error");
    const noVersion = await fetch(`${fake.url}/v1/messages`, { method: "POST", body: "{}", headers: { "x-api-key": "k" } });
    assert.equal(noVersion.status, 400);
  });

  test("count_tokens and models", async () => {
    const count = await client.messages.countTokens({ model: "claude-sonnet-4-6", messages: [{ role: "user", content: "hello there" }] });
    assert.ok(count.input_tokens > 0);
    const ids: string[] = [];
    for await (const m of client.models.list()) ids.push(m.id);
    assert.deepEqual(ids, ["claude-opus-4-6", "claude-sonnet-4-5-20250929", "claude-haiku-4-5-20251001"]);
    const one = await client.models.retrieve("claude-opus-4-6");
    assert.equal(one.display_name, "Claude Opus 4.6");
  });
});

/** The adapter against the fake: what the router does, minus the pipeline. */
describe("anthropicProvider + anthropicCodec against the fake", () => {
  let fake: FakeUpstream;
  before(async () => {
    fake = await startAnthropicFake();
  });
  after(() => fake.close());
  const credential = () => ({ id: "c", provider: "anthropic", apiKey: "sk-ant-test", baseUrl: `${fake.url}/v1` });

  test("a routed request is accepted and its answer decoded", async () => {
    const body = JSON.stringify(
      anthropicCodec.encodeRequest({
        model: "claude-sonnet-4-6",
        messages: [
          { role: "system", content: [{ type: "text", text: "Be brief." }] },
          { role: "user", content: [{ type: "text", text: "Say hi" }] },
        ],
        stream: false,
      }),
    );
    const req = await anthropicProvider.prepare({ operation: "generate", format: "anthropic", model: "claude-sonnet-4-6", body, credential: credential() });
    const res = await fetch(req.url, { method: req.method, headers: req.headers, body: req.body });
    assert.equal(res.status, 200);
    const decoded = anthropicCodec.decodeResponse((await res.json()) as JsonObject);
    assert.deepEqual(decoded.content, [{ type: "text", text: "Hello! You said: Say hi" }]);
    assert.equal(decoded.finish.reason, "stop");
    const sent = fake.last();
    assert.equal(sent.headers["x-api-key"], "sk-ant-test");
    assert.equal((sent.json as JsonObject).system, "Be brief.");
  });

  test("a stream decodes into canonical events through SSE framing", async () => {
    const body = JSON.stringify(
      anthropicCodec.encodeRequest({ model: "claude-opus-4-6", messages: [{ role: "user", content: [{ type: "text", text: "Think" }] }], reasoning: { effort: "high" }, stream: true }),
    );
    const req = await anthropicProvider.prepare({ operation: "stream", format: "anthropic", model: "claude-opus-4-6", body, credential: credential() });
    const res = await fetch(req.url, { method: req.method, headers: req.headers, body: req.body });
    const parser = new SseParser();
    const decoder = anthropicCodec.streamDecoder();
    const events = [];
    for (const e of [...parser.push(new Uint8Array(await res.arrayBuffer())), ...parser.end()]) {
      events.push(...decoder.decode({ event: e.event, data: JSON.parse(e.data) as JsonObject }).events);
    }
    const parts = events.flatMap((e) => (e.type === "part-end" ? [e.part] : []));
    assert.deepEqual(parts.map((p) => p.type), ["reasoning", "text"]);
    assert.equal(parts[0].type === "reasoning" && parts[0].producer, "anthropic");
    assert.ok(events.some((e) => e.type === "finish" && e.finish.reason === "stop" && (e.usage?.inputTokens ?? 0) > 0));
    assert.deepEqual((fake.last().json as JsonObject).thinking, { type: "adaptive", display: "summarized" });
  });

  test("upstream errors decode with their status and come back verbatim to Anthropic clients", async () => {
    fake.enqueue(anthropicErrorReply(429, "rate_limit_error", "Too many requests", 5));
    const req = await anthropicProvider.prepare({ operation: "generate", format: "anthropic", model: "m", body: "{}", credential: credential() });
    const res = await fetch(req.url, { method: req.method, headers: req.headers, body: req.body });
    const body: unknown = await res.json();
    const error = anthropicCodec.decodeError(res.status, body);
    assert.equal(error.status, 429);
    assert.equal(error.kind, "rate_limit");
    assert.equal(res.headers.get("retry-after"), "5");
    assert.deepEqual(anthropicCodec.encodeError(error), body);
  });
});
