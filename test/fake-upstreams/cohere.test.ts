import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { cohereCodec } from "../../adapters/cohere/cohere-codec.ts";
import { cohereProvider } from "../../adapters/cohere/cohere-provider.ts";
import type { UpstreamRequest } from "../../adapters/provider.ts";
import type { NativeEvent } from "../../adapters/types.ts";
import type { JsonObject } from "../../src/canonical/extras.ts";
import type { CanonicalRequest } from "../../src/canonical/request.ts";
import type { StreamEvent } from "../../src/canonical/stream.ts";
import type { FakeUpstream } from "./fake-reply.ts";
import { cohereError, startCohereFake } from "./cohere.ts";

/**
 * The Cohere SDK is not a dependency: the fake is checked against the documented shapes
 * (https://docs.cohere.com/reference/chat, /reference/chat-stream, /reference/list-models) with
 * a tiny SSE client, and by reading its answers back with the Cohere codec.
 */
let fake: FakeUpstream;
before(async () => {
  fake = await startCohereFake();
});
after(() => fake.close());

const credential = () => ({ id: "co", provider: "cohere", apiKey: "co-test-key", baseUrl: fake.url });

function chatRequest(text: string, more: Partial<CanonicalRequest> = {}): CanonicalRequest {
  return { model: "command-a-03-2025", messages: [{ role: "user", content: [{ type: "text", text }] }], stream: false, ...more };
}

async function call(req: CanonicalRequest): Promise<{ upstream: UpstreamRequest; res: Response }> {
  const body = JSON.stringify(cohereCodec.encodeRequest(req));
  const upstream = await cohereProvider.prepare({ operation: req.stream ? "stream" : "generate", format: "cohere", model: req.model, body, credential: credential() });
  const res = await fetch(upstream.url, { method: upstream.method, headers: upstream.headers, body: upstream.body });
  return { upstream, res };
}

/** A minimal SSE reader: frames split on blank lines, `event:` and `data:` fields. */
function parseSse(text: string): NativeEvent[] {
  const out: NativeEvent[] = [];
  for (const block of text.split("\n\n")) {
    if (block.trim() === "") continue;
    let event: string | undefined;
    const data: string[] = [];
    for (const line of block.split("\n")) {
      if (line.startsWith("event: ")) event = line.slice(7);
      else if (line.startsWith("data: ")) data.push(line.slice(6));
    }
    const raw = data.join("\n");
    out.push(raw === "[DONE]" ? { data: raw } : { event, data: JSON.parse(raw) as JsonObject });
  }
  return out;
}

function decodeStream(frames: NativeEvent[]): StreamEvent[] {
  const decoder = cohereCodec.streamDecoder();
  const events = frames.flatMap((f) => decoder.decode(f).events);
  const tail = decoder.end();
  return tail ? [...events, ...tail.events] : events;
}

test("non-stream chat answers the documented response shape and echoes the user", async () => {
  const { res } = await call(chatRequest("Tell me about LLMs"));
  assert.equal(res.status, 200);
  assert.match(res.headers.get("content-type") ?? "", /application\/json/);
  const body = (await res.json()) as JsonObject;
  assert.deepEqual(Object.keys(body).sort(), ["finish_reason", "id", "message", "usage"]);
  assert.match(body.id as string, /^[0-9a-f-]{36}$/);
  assert.deepEqual(Object.keys(body.usage as JsonObject).sort(), ["billed_units", "cached_tokens", "tokens"]);
  const decoded = cohereCodec.decodeResponse(body);
  assert.deepEqual(decoded.content.map((p) => p.type === "text" && p.text), ["Hello! You said: Tell me about LLMs"]);
  assert.deepEqual(decoded.finish, { reason: "stop", native: "COMPLETE" });
  assert.ok((decoded.usage?.inputTokens ?? 0) > 0);

  const sent = fake.last();
  assert.equal(sent.method, "POST");
  assert.equal(sent.url, "/v2/chat");
  assert.equal(sent.headers.authorization, "Bearer co-test-key");
  assert.deepEqual(sent.json, { model: "command-a-03-2025", messages: [{ role: "user", content: "Tell me about LLMs" }] });
});

test("stream chat is SSE with an event line per frame and a final [DONE]", async () => {
  const { res } = await call(chatRequest("Hi there", { stream: true }));
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("content-type"), "text/event-stream");
  const text = await res.text();
  assert.ok(text.startsWith("event: message-start\ndata: {"), "frames carry an event line");
  assert.ok(text.endsWith("data: [DONE]\n\n"));
  const frames = parseSse(text);
  for (const f of frames.slice(0, -1)) assert.equal(f.event, (f.data as JsonObject).type);
  assert.deepEqual(
    [...new Set(frames.map((f) => (typeof f.data === "string" ? f.data : (f.data.type as string))))],
    ["message-start", "content-start", "content-delta", "content-end", "message-end", "[DONE]"],
  );
  const events = decodeStream(frames);
  const textOut = events.flatMap((e) => (e.type === "text-delta" ? [e.delta] : [])).join("");
  assert.equal(textOut, "Hello! You said: Hi there");
  assert.equal(events.at(-1)?.type, "finish");
  assert.equal(fake.last().headers.accept, "text/event-stream");
  assert.equal((fake.last().json as JsonObject).stream, true);

  // Every frame the fake sent encodes back to itself.
  const decoder = cohereCodec.streamDecoder();
  const encoder = cohereCodec.streamEncoder({ request: chatRequest(""), model: "command-a-03-2025" });
  for (const f of frames.slice(0, -1)) assert.deepEqual(encoder.encode(decoder.decode(f)), [f]);
});

test("a forced tool answers a plan and a call, stream or not", async () => {
  const tools: CanonicalRequest["tools"] = [{ kind: "function", name: "get_weather", parameters: { type: "object", properties: {} } }];
  const { res } = await call(chatRequest("Weather?", { tools, toolChoice: { type: "required" } }));
  const decoded = cohereCodec.decodeResponse((await res.json()) as JsonObject);
  assert.deepEqual(decoded.content.map((p) => p.type), ["reasoning", "tool-call"], "the plan, then the call");
  assert.deepEqual(decoded.finish, { reason: "tool_calls", native: "TOOL_CALL" });

  const streamed = await call(chatRequest("Weather?", { tools, toolChoice: { type: "required" }, stream: true }));
  const events = decodeStream(parseSse(await streamed.res.text()));
  const callEnd = events.find((e) => e.type === "part-end" && e.part.type === "tool-call");
  assert.deepEqual(callEnd?.type === "part-end" && callEnd.part.type === "tool-call" && [callEnd.part.name, callEnd.part.arguments], ["get_weather", "{}"]);
});

test("errors come with Cohere's status and body, 429 with retry-after", async () => {
  fake.enqueue(cohereError(429, "You are using a Trial key, which is limited to 20 API calls / minute.", { "retry-after": "7" }));
  const { res } = await call(chatRequest("x"));
  assert.equal(res.status, 429);
  assert.equal(res.headers.get("retry-after"), "7");
  const body = await res.json();
  assert.deepEqual(Object.keys(body as JsonObject).sort(), ["id", "message"]);
  const error = cohereCodec.decodeError(res.status, body);
  assert.equal(error.kind, "rate_limit");
  assert.match(error.message, /Trial key/);

  for (const status of [400, 402, 404, 422, 499, 500, 503]) {
    fake.enqueue(cohereError(status, `failure ${status}`));
    const r = await call(chatRequest("x"));
    assert.equal(r.res.status, status);
    assert.equal(cohereCodec.decodeError(status, await r.res.json()).message, `failure ${status}`);
  }
});

test("a missing or malformed key is a 401 in Cohere's words", async () => {
  const noKey = await fetch(`${fake.url}/v2/chat`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
  assert.equal(noKey.status, 401);
  assert.deepEqual(await noKey.json(), { message: "no api key supplied" });
  const badJson = await fetch(`${fake.url}/v2/chat`, { method: "POST", headers: { authorization: "Bearer k" }, body: "{" });
  assert.equal(badJson.status, 400);
});

test("models are listed in Cohere's shape and parsed to ids", async () => {
  const upstream = await cohereProvider.prepare({ operation: "models", format: "cohere", model: "", credential: credential() });
  const res = await fetch(upstream.url, { method: upstream.method, headers: upstream.headers });
  assert.equal(res.status, 200);
  assert.equal(fake.last().url, "/v1/models?endpoint=chat&page_size=1000");
  assert.deepEqual(cohereProvider.parseModels?.(await res.json()), ["command-a-03-2025", "command-a-reasoning-08-2025", "command-r7b-12-2024"]);
});

test("a stream cut mid-way decodes to an error, not a silent success", async () => {
  fake.enqueue({
    kind: "stream",
    cutAfter: 3,
    delayMs: 10,
    events: [
      { data: { id: "0d9b3c52-1f2e-4a6b-8c7d-9e0f1a2b3c4d", type: "message-start", delta: { message: { role: "assistant", content: [], tool_plan: "", tool_calls: [], citations: [] } } } },
      { data: { type: "content-start", index: 0, delta: { message: { content: { type: "text", text: "" } } } } },
      { data: { type: "content-delta", index: 0, delta: { message: { content: { text: "Partial" } } } } },
      { data: { type: "content-end", index: 0 } },
      { data: { type: "message-end", delta: { finish_reason: "COMPLETE" } } },
      { data: "[DONE]" },
    ],
  });
  const { res } = await call(chatRequest("x", { stream: true }));
  let text = "";
  const reader = res.body!.getReader();
  const utf8 = new TextDecoder();
  try {
    for (let r = await reader.read(); !r.done; r = await reader.read()) text += utf8.decode(r.value, { stream: true });
  } catch {
    // The connection was reset: what arrived before is what counts.
  }
  const events = decodeStream(parseSse(text.slice(0, text.lastIndexOf("\n\n") + 2)));
  assert.deepEqual(events.flatMap((e) => (e.type === "text-delta" ? [e.delta] : [])), ["Partial"], "the frames before the cut arrived");
  assert.equal(events.at(-1)?.type, "error");
  assert.equal(events.some((e) => e.type === "finish"), false);
});
