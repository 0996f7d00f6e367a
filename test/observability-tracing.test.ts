import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import OpenAI from "openai";
import { chatCompletion, startOpenAiFake } from "./fake-upstreams/openai.ts";
import type { FakeUpstream } from "./fake-upstreams/fake-reply.ts";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { gunzipSync } from "node:zlib";
import { startTestProxy, type TestProxy } from "./helpers/start-proxy.ts";

const KEY = "pk-test-tracing-0123456789abcdefghijklmnopqrstuv";

interface OtlpValue {
  stringValue?: string;
  intValue?: string;
  doubleValue?: number;
  boolValue?: boolean;
  arrayValue?: { values: OtlpValue[] };
}
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  traceState?: string;
  name: string;
  kind: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: Array<{ key: string; value: OtlpValue }>;
  events: Array<{ name: string; attributes: Array<{ key: string; value: OtlpValue }> }>;
  status: { code: number; message?: string };
}

/** Attribute values in plain JS: ints as numbers, arrays as arrays. */
function attrs(list: OtlpSpan["attributes"]): Record<string, unknown> {
  const plain = (v: OtlpValue): unknown =>
    v.stringValue ?? (v.intValue !== undefined ? Number(v.intValue) : (v.doubleValue ?? v.boolValue ?? v.arrayValue?.values.map(plain)));
  return Object.fromEntries(list.map((a) => [a.key, plain(a.value)]));
}

interface Collected {
  url: string;
  headers: IncomingHttpHeaders;
  /** The JSON text, gunzipped when it came compressed. */
  body: string;
}

/** An OTLP/HTTP receiver: answers 200 and keeps every export request. */
async function startCollector(): Promise<{ url: string; requests: Collected[]; close(): Promise<void> }> {
  const requests: Collected[] = [];
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks);
    requests.push({ url: req.url ?? "", headers: req.headers, body: (req.headers["content-encoding"] === "gzip" ? gunzipSync(raw) : raw).toString("utf8") });
    res.writeHead(200, { "content-type": "application/json" });
    res.end("{}");
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

const config = (upstreamUrl: string) => `
credentials:
  - { id: openai-main, provider: openai, apiKey: sk-upstream, baseUrl: "${upstreamUrl}/v1" }
virtualKeys:
  - { name: tracing, key: "${KEY}", proxies: [default], credentials: { openai: openai-main } }
`;

describe("OTLP/HTTP export to a collector named by OTEL_EXPORTER_OTLP_ENDPOINT", () => {
  let upstream: FakeUpstream;
  let collector: Awaited<ReturnType<typeof startCollector>>;
  let proxy: TestProxy;
  let client: OpenAI;
  const spans = (): OtlpSpan[] =>
    collector.requests.flatMap((r) => (JSON.parse(r.body).resourceSpans as Array<{ scopeSpans: Array<{ spans: OtlpSpan[] }> }>).flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans)));
  const spanOf = (interactionId: string) => spans().find((s) => attrs(s.attributes)["portcullis.interaction.id"] === interactionId);

  before(async () => {
    upstream = await startOpenAiFake();
    collector = await startCollector();
    proxy = await startTestProxy(config(upstream.url), {
      OTEL_EXPORTER_OTLP_ENDPOINT: `${collector.url}/`,
      OTEL_EXPORTER_OTLP_HEADERS: "x-collector-token=s%3Dcret",
      OTEL_SERVICE_NAME: "portcullis-test",
    });
    client = new OpenAI({ baseURL: `${proxy.url}/v1/model-router/default`, apiKey: KEY, maxRetries: 0 });
  });
  after(async () => {
    await proxy.stop();
    await collector.close();
    await upstream.close();
  });

  test("a chat call becomes one `chat {model}` span with the GenAI attributes, continuing the caller's trace", async () => {
    const traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    upstream.enqueue({
      kind: "json",
      body: { ...chatCompletion("gpt-4o-mini-2024-07-18", "traced"), usage: { prompt_tokens: 120, completion_tokens: 7, total_tokens: 127, prompt_tokens_details: { cached_tokens: 100 }, completion_tokens_details: { reasoning_tokens: 3 } } },
    });
    const { response } = await client.chat.completions
      .create(
        { model: "openai:gpt-4o-mini", messages: [{ role: "user", content: "trace me" }], temperature: 0.5, max_tokens: 64 },
        {
          headers: {
            traceparent: `00-${traceId}-00f067aa0ba902b7-01`,
            tracestate: "vendor=abc",
            "X-Archestra-Agent-Id": "agent-t",
            "X-Archestra-Session-Id": "session-42",
            "X-Archestra-Execution-Id": "exec-7",
            "X-Archestra-User-Id": "alice",
          },
        },
      )
      .withResponse();
    const id = response.headers.get("x-portcullis-request-id")!;
    await proxy.observability.tracer!.flush();

    const span = spanOf(id);
    assert.ok(span, "the collector received the span");
    assert.equal(span.name, "chat gpt-4o-mini");
    assert.equal(span.kind, 3, "CLIENT");
    assert.equal(span.traceId, traceId);
    assert.equal(span.parentSpanId, "00f067aa0ba902b7");
    assert.equal(span.traceState, "vendor=abc");
    assert.match(span.spanId, /^[0-9a-f]{16}$/);
    assert.ok(BigInt(span.endTimeUnixNano) > BigInt(span.startTimeUnixNano));
    assert.ok(Math.abs(Number(BigInt(span.startTimeUnixNano) / 1_000_000n) - Date.now()) < 60_000, "epoch nanoseconds");
    assert.deepEqual(span.status, { code: 0 });
    const a = attrs(span.attributes);
    assert.equal(a["gen_ai.operation.name"], "chat");
    assert.equal(a["gen_ai.provider.name"], "openai");
    assert.equal(a["gen_ai.request.model"], "gpt-4o-mini");
    assert.equal(a["gen_ai.response.model"], "gpt-4o-mini-2024-07-18");
    assert.equal(a["gen_ai.response.id"], "chatcmpl-fake0001");
    assert.deepEqual(a["gen_ai.response.finish_reasons"], ["stop"]);
    assert.equal(a["gen_ai.usage.input_tokens"], 120);
    assert.equal(a["gen_ai.usage.output_tokens"], 7);
    assert.equal(a["gen_ai.usage.cache_read.input_tokens"], 100);
    assert.equal(a["gen_ai.usage.reasoning.output_tokens"], 3);
    assert.equal(a["gen_ai.request.temperature"], 0.5);
    assert.equal(a["gen_ai.request.max_tokens"], 64);
    assert.equal(a["gen_ai.request.stream"], false);
    assert.equal(a["gen_ai.conversation.id"], "session-42");
    assert.equal(a["gen_ai.agent.id"], "agent-t");
    assert.equal(a["portcullis.execution.id"], "exec-7");
    assert.equal(a["user.id"], "alice");
    assert.equal(a["server.address"], "127.0.0.1");
    assert.equal(a["server.port"], upstream.port);
    assert.equal(a["http.response.status_code"], 200);
    assert.ok(typeof a["portcullis.cost.usd"] === "number" && a["portcullis.cost.usd"] > 0);

    const request = collector.requests.at(-1)!;
    assert.equal(request.url, "/v1/traces");
    assert.equal(request.headers["content-type"], "application/json");
    assert.equal(request.headers["content-encoding"], "gzip", "compressed by default");
    assert.equal(request.headers["x-collector-token"], "s=cret");
    const resource = attrs(JSON.parse(request.body).resourceSpans[0].resource.attributes);
    assert.equal(resource["service.name"], "portcullis-test");
  });

  test("a stream's span has the time to first chunk; without traceparent a new trace starts", async () => {
    const stream = await client.chat.completions.create({ model: "openai:gpt-4o-mini", messages: [{ role: "user", content: "stream" }], stream: true }).withResponse();
    for await (const _ of stream.data) {
      // drain
    }
    await proxy.observability.tracer!.flush();
    const span = spanOf(stream.response.headers.get("x-portcullis-request-id")!)!;
    assert.ok(span);
    assert.equal(span.parentSpanId, undefined);
    assert.match(span.traceId, /^[0-9a-f]{32}$/);
    const a = attrs(span.attributes);
    assert.equal(a["gen_ai.request.stream"], true);
    assert.equal(a["gen_ai.response.id"], "chatcmpl-fake0002");
    assert.ok(typeof a["gen_ai.response.time_to_first_chunk"] === "number");
    assert.equal(a["gen_ai.usage.input_tokens"], 19, "usage the proxy asked for even though the client did not");
  });

  test("a failure is an error span with error.type; an unsampled parent gets no span", async () => {
    upstream.enqueue({ kind: "json", status: 429, body: { error: { message: "slow down", type: "rate_limit_error", param: null, code: "rate_limit_exceeded" } } });
    const failed = await fetch(`${proxy.url}/v1/model-router/default/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${KEY}` },
      body: JSON.stringify({ model: "openai:gpt-4o-mini", messages: [{ role: "user", content: "x" }] }),
    });
    assert.equal(failed.status, 429);
    const unsampled = await fetch(`${proxy.url}/v1/model-router/default/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${KEY}`, traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00" },
      body: JSON.stringify({ model: "openai:gpt-4o-mini", messages: [{ role: "user", content: "x" }] }),
    });
    assert.equal(unsampled.status, 200);
    await proxy.observability.tracer!.flush();
    const span = spanOf(failed.headers.get("x-portcullis-request-id")!)!;
    assert.equal(span.status.code, 2);
    assert.match(span.status.message ?? "", /slow down/);
    assert.equal(attrs(span.attributes)["error.type"], "rate_limit_exceeded");
    assert.equal(attrs(span.attributes)["http.response.status_code"], 429);
    assert.equal(spanOf(unsampled.headers.get("x-portcullis-request-id")!), undefined);
  });
});

test("OTEL_EXPORTER_OTLP_COMPRESSION=none sends plain JSON", async () => {
  const upstream = await startOpenAiFake();
  const collector = await startCollector();
  const proxy = await startTestProxy(config(upstream.url), { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${collector.url}/custom/traces`, OTEL_EXPORTER_OTLP_COMPRESSION: "none" });
  try {
    const client = new OpenAI({ baseURL: `${proxy.url}/v1/model-router/default`, apiKey: KEY, maxRetries: 0 });
    await client.chat.completions.create({ model: "openai:gpt-4o-mini", messages: [{ role: "user", content: "plain" }] });
    await proxy.observability.tracer!.flush();
    assert.equal(collector.requests.length, 1);
    assert.equal(collector.requests[0].url, "/custom/traces");
    assert.equal(collector.requests[0].headers["content-encoding"], undefined);
    assert.equal(JSON.parse(collector.requests[0].body).resourceSpans[0].scopeSpans[0].spans[0].name, "chat gpt-4o-mini");
  } finally {
    await proxy.stop();
    await collector.close();
    await upstream.close();
  }
});

describe("tracing off", () => {
  test("without an OTLP endpoint there is no tracer, and requests still work", async () => {
    const upstream = await startOpenAiFake();
    const proxy = await startTestProxy(config(upstream.url));
    try {
      assert.equal(proxy.observability.tracer, undefined);
      const client = new OpenAI({ baseURL: `${proxy.url}/v1/model-router/default`, apiKey: KEY, maxRetries: 0 });
      const r = await client.chat.completions.create({ model: "openai:gpt-4o-mini", messages: [{ role: "user", content: "x" }] });
      assert.ok(r.id);
    } finally {
      await proxy.stop();
      await upstream.close();
    }
  });

  test("OTEL_SDK_DISABLED and OTEL_TRACES_EXPORTER=none win over an endpoint", async () => {
    const upstream = await startOpenAiFake();
    for (const env of [{ OTEL_SDK_DISABLED: "true" }, { OTEL_TRACES_EXPORTER: "none" }]) {
      const proxy = await startTestProxy(config(upstream.url), { OTEL_EXPORTER_OTLP_ENDPOINT: "http://127.0.0.1:1", ...env });
      try {
        assert.equal(proxy.observability.tracer, undefined, JSON.stringify(env));
      } finally {
        await proxy.stop();
      }
    }
    await upstream.close();
  });
});
