import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
  BedrockRuntimeClient,
  ConverseCommand,
  ConverseStreamCommand,
  ModelStreamErrorException,
  ThrottlingException,
  ValidationException,
  type ConverseStreamOutput,
} from "@aws-sdk/client-bedrock-runtime";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import { request } from "undici";
import { signAwsRequest } from "../../adapters/bedrock/aws-sigv4.ts";
import { bedrockCodec } from "../../adapters/bedrock/bedrock-codec.ts";
import { awsEventStreamFraming } from "../../adapters/bedrock/bedrock-event-stream-framing.ts";
import { bedrockProvider } from "../../adapters/bedrock/bedrock-provider.ts";
import type { StreamEvent } from "../../src/canonical/stream.ts";
import { bedrockErrorReply, startBedrockFake } from "./bedrock.ts";
import type { FakeUpstream } from "./fake-reply.ts";

const MODEL = "anthropic.claude-3-5-sonnet-20240620-v1:0";
const CREDS = { accessKeyId: "AKIAFAKEFAKEFAKE", secretAccessKey: "fake/secret+key", sessionToken: "fake-session-token" };

describe("fake Bedrock, driven by the AWS SDK", () => {
  let fake: FakeUpstream;
  let client: BedrockRuntimeClient;
  before(async () => {
    fake = await startBedrockFake({ auth: { credentials: CREDS, apiKey: "ABSKfakeapikey" } });
    // The SDK speaks HTTP/2 to Bedrock by default; the fake is HTTP/1.1 (the framing is the same).
    client = new BedrockRuntimeClient({ region: "us-east-1", endpoint: fake.url, credentials: CREDS, maxAttempts: 1, requestHandler: new NodeHttpHandler() });
  });
  after(async () => {
    client.destroy();
    await fake.close();
  });

  it("Converse: the SDK parses the default answer; the path carries the encoded model id; bytes travel as base64", async () => {
    const out = await client.send(
      new ConverseCommand({
        modelId: MODEL,
        messages: [{ role: "user", content: [{ text: "Ping" }, { image: { format: "png", source: { bytes: new Uint8Array([137, 80, 78, 71]) } } }] }],
        inferenceConfig: { maxTokens: 100 },
      }),
    );
    assert.equal(out.output?.message?.content?.[0].text, "Hello! You said: Ping");
    assert.equal(out.stopReason, "end_turn");
    assert.equal(out.usage?.inputTokens, 12);
    assert.equal(out.metrics?.latencyMs, 312);
    const sent = fake.last();
    assert.equal(sent.url, "/model/anthropic.claude-3-5-sonnet-20240620-v1%3A0/converse");
    assert.deepEqual((sent.json as { messages: unknown[] }).messages, [
      { role: "user", content: [{ text: "Ping" }, { image: { format: "png", source: { bytes: Buffer.from([137, 80, 78, 71]).toString("base64") } } }] },
    ]);
  });

  it("ConverseStream: the SDK reads the binary event stream (CRCs, padding) event by event", async () => {
    const out = await client.send(new ConverseStreamCommand({ modelId: MODEL, messages: [{ role: "user", content: [{ text: "Stream to me" }] }] }));
    const events: ConverseStreamOutput[] = [];
    for await (const e of out.stream!) events.push(e);
    assert.deepEqual(events[0], { messageStart: { role: "assistant" } });
    const text = events.flatMap((e) => (e.contentBlockDelta?.delta?.text !== undefined ? [e.contentBlockDelta.delta.text] : [])).join("");
    assert.equal(text, "Hello! You said: Stream to me");
    assert.equal(events.find((e) => e.messageStop)?.messageStop?.stopReason, "end_turn");
    assert.equal(events.at(-1)?.metadata?.usage?.outputTokens, 6);
  });

  it("a mid-stream exception surfaces as the SDK's ModelStreamErrorException", async () => {
    fake.enqueue({
      kind: "stream",
      events: [
        { event: "messageStart", data: { role: "assistant" } },
        { event: "contentBlockDelta", data: { contentBlockIndex: 0, delta: { text: "Partial" } } },
        { event: "modelStreamErrorException", data: { message: "Model Stream Error", originalStatusCode: 500, originalMessage: "The model stream failed." } },
      ],
    });
    const out = await client.send(new ConverseStreamCommand({ modelId: MODEL, messages: [{ role: "user", content: [{ text: "x" }] }] }));
    const seen: ConverseStreamOutput[] = [];
    await assert.rejects(
      async () => {
        for await (const e of out.stream!) seen.push(e);
      },
      (err: unknown) => err instanceof ModelStreamErrorException && err.message === "Model Stream Error" && err.originalStatusCode === 500,
    );
    assert.equal(seen.length, 2);
  });

  it("the SDK reads what our encoders write from another format's answer and stream", async () => {
    const context = { request: { model: MODEL, messages: [], stream: true }, model: MODEL };
    fake.enqueue({
      kind: "json",
      body: bedrockCodec.encodeResponse(
        {
          id: "chatcmpl-1",
          model: "gpt-4o-mini",
          content: [
            { type: "text", text: "From OpenAI" },
            { type: "tool-call", id: "call_1", name: "f", arguments: '{"a":1}', kind: "function" },
          ],
          finish: { reason: "tool_calls" },
          usage: { inputTokens: 9, outputTokens: 4, cacheReadTokens: 2 },
        },
        context,
      ),
    });
    const out = await client.send(new ConverseCommand({ modelId: MODEL, messages: [{ role: "user", content: [{ text: "x" }] }] }));
    assert.equal(out.output?.message?.content?.[0].text, "From OpenAI");
    assert.deepEqual(out.output?.message?.content?.[1].toolUse, { toolUseId: "call_1", name: "f", input: { a: 1 } });
    assert.equal(out.stopReason, "tool_use");
    assert.equal(out.usage?.inputTokens, 7);

    const encoder = bedrockCodec.streamEncoder(context);
    const events = [
      { events: [{ type: "start" as const, id: "chatcmpl-2" }] },
      { events: [{ type: "part-start" as const, index: 0, part: { type: "text" as const, text: "" } }, { type: "text-delta" as const, index: 0, delta: "Hel" }] },
      { events: [{ type: "text-delta" as const, index: 0, delta: "lo" }] },
      { events: [{ type: "part-end" as const, index: 0, part: { type: "text" as const, text: "Hello" } }] },
      { events: [{ type: "part-start" as const, index: 1, part: { type: "tool-call" as const, id: "call_2", name: "g", arguments: "", kind: "function" as const } }] },
      { events: [{ type: "tool-args-delta" as const, index: 1, delta: '{"b":' }] },
      { events: [{ type: "tool-args-delta" as const, index: 1, delta: "2}" }] },
      { events: [{ type: "part-end" as const, index: 1, part: { type: "tool-call" as const, id: "call_2", name: "g", arguments: '{"b":2}', kind: "function" as const } }] },
      { events: [{ type: "finish" as const, finish: { reason: "tool_calls" as const }, usage: { inputTokens: 3, outputTokens: 4 } }] },
    ].flatMap((c) => encoder.encode(c));
    fake.enqueue({ kind: "stream", events });
    const streamed = await client.send(new ConverseStreamCommand({ modelId: MODEL, messages: [{ role: "user", content: [{ text: "x" }] }] }));
    const got: ConverseStreamOutput[] = [];
    for await (const e of streamed.stream!) got.push(e);
    assert.deepEqual(
      got.map((e) => Object.entries(e).find(([, v]) => v !== undefined)?.[0]),
      ["messageStart", "contentBlockDelta", "contentBlockDelta", "contentBlockStop", "contentBlockStart", "contentBlockDelta", "contentBlockDelta", "contentBlockStop", "messageStop", "metadata"],
    );
    assert.deepEqual(got[4].contentBlockStart?.start?.toolUse, { toolUseId: "call_2", name: "g" });
    assert.equal(got[8].messageStop?.stopReason, "tool_use");
    assert.equal(got[9].metadata?.usage?.totalTokens, 7);
  });

  it("error answers map to the SDK's exception classes with their status", async () => {
    fake.enqueue(bedrockErrorReply(429, "ThrottlingException", "Too many requests, please wait before trying again."));
    await assert.rejects(client.send(new ConverseCommand({ modelId: MODEL, messages: [{ role: "user", content: [{ text: "x" }] }] })), (err: unknown) => {
      return err instanceof ThrottlingException && err.$metadata.httpStatusCode === 429 && err.message.startsWith("Too many requests");
    });
    await assert.rejects(client.send(new ConverseCommand({ modelId: MODEL, messages: [] })), (err: unknown) => err instanceof ValidationException && err.$metadata.httpStatusCode === 400);
  });

  it("the fake checks SigV4 with our signer: the SDK's signature passes, a wrong secret fails", async () => {
    const wrong = new BedrockRuntimeClient({ region: "us-east-1", endpoint: fake.url, credentials: { ...CREDS, secretAccessKey: "nope" }, maxAttempts: 1, requestHandler: new NodeHttpHandler() });
    await assert.rejects(wrong.send(new ConverseCommand({ modelId: MODEL, messages: [{ role: "user", content: [{ text: "x" }] }] })), (err: unknown) => (err as Error).name === "InvalidSignatureException");
    wrong.destroy();
  });

  it("our signature is exactly the SDK's for the same request and time", async () => {
    await client.send(new ConverseCommand({ modelId: MODEL, messages: [{ role: "user", content: [{ text: "sign me" }] }] }));
    const sent = fake.last();
    const sdkAuth = String(sent.headers.authorization);
    const signed = /SignedHeaders=([^,]+)/.exec(sdkAuth)![1].split(";");
    const headers: Record<string, string> = {};
    for (const h of signed) if (h !== "x-amz-date" && h !== "x-amz-security-token") headers[h] = String(sent.headers[h]);
    const d = String(sent.headers["x-amz-date"]);
    const date = new Date(`${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}T${d.slice(9, 11)}:${d.slice(11, 13)}:${d.slice(13, 15)}Z`);
    const ours = signAwsRequest({ method: "POST", url: new URL(sent.url, fake.url), headers, body: sent.body, region: "us-east-1", service: "bedrock", credentials: CREDS, date });
    assert.equal(ours.authorization, sdkAuth);
    assert.equal(sent.headers["x-amz-security-token"], CREDS.sessionToken);
  });
});

describe("fake Bedrock, driven by our provider and codec", () => {
  let fake: FakeUpstream;
  before(async () => {
    fake = await startBedrockFake({ auth: { credentials: CREDS, apiKey: "ABSKfakeapikey" } });
  });
  after(() => fake.close());

  const send = async (req: Awaited<ReturnType<typeof bedrockProvider.prepare>>) => {
    const res = await request(req.url, { method: req.method, headers: req.headers, body: req.body });
    return { status: res.statusCode, headers: res.headers, bytes: new Uint8Array(await res.body.arrayBuffer()) };
  };

  it("a SigV4-signed Converse call is accepted and decodes", async () => {
    const body = JSON.stringify(bedrockCodec.encodeRequest({ model: MODEL, messages: [{ role: "user", content: [{ type: "text", text: "Hi there" }] }], stream: false }));
    const credential = { id: "aws", provider: "bedrock", baseUrl: fake.url, options: { accessKeyId: CREDS.accessKeyId, sessionToken: CREDS.sessionToken, region: "us-east-1" }, apiKey: CREDS.secretAccessKey };
    const res = await send(await bedrockProvider.prepare({ operation: "generate", format: "bedrock", model: MODEL, body, credential }));
    assert.equal(res.status, 200);
    const response = bedrockCodec.decodeResponse(JSON.parse(Buffer.from(res.bytes).toString("utf8")));
    assert.deepEqual(response.content, [{ type: "text", text: "Hello! You said: Hi there" }]);
    assert.deepEqual(response.finish, { reason: "stop", native: "end_turn" });
  });

  it("a Bedrock API key goes as a bearer token; a stream reads through our framing and decoder", async () => {
    const body = JSON.stringify(bedrockCodec.encodeRequest({ model: MODEL, messages: [{ role: "user", content: [{ type: "text", text: "Stream please" }] }], stream: true }));
    const credential = { id: "key", provider: "bedrock", baseUrl: fake.url, apiKey: "ABSKfakeapikey" };
    const req = await bedrockProvider.prepare({ operation: "stream", format: "bedrock", model: MODEL, body, credential });
    assert.equal(req.headers.authorization, "Bearer ABSKfakeapikey");
    const res = await send(req);
    assert.equal(res.status, 200);
    assert.equal(res.headers["content-type"], "application/vnd.amazon.eventstream");
    const reader = awsEventStreamFraming.reader();
    const decoder = bedrockCodec.streamDecoder();
    const events: StreamEvent[] = [];
    // Feed the bytes in awkward slices, as a network would.
    for (let i = 0; i < res.bytes.length; i += 37) for (const f of reader.push(res.bytes.subarray(i, i + 37))) events.push(...decoder.decode(f.event).events);
    reader.end();
    const text = events.flatMap((e) => (e.type === "text-delta" ? [e.delta] : [])).join("");
    assert.equal(text, "Hello! You said: Stream please");
    const finish = events.at(-1);
    assert.ok(finish?.type === "finish" && finish.finish.reason === "stop" && finish.usage?.outputTokens === 5);
  });

  it("a wrong key and an exception mid-stream decode to canonical errors", async () => {
    const credential = { id: "bad", provider: "bedrock", baseUrl: fake.url, apiKey: "wrong" };
    const res = await send(await bedrockProvider.prepare({ operation: "generate", format: "bedrock", model: MODEL, body: "{}", credential }));
    assert.equal(res.status, 403);
    const err = bedrockCodec.decodeError(403, JSON.parse(Buffer.from(res.bytes).toString("utf8")), res.headers as Record<string, string>);
    assert.equal(err.kind, "authentication");
    assert.equal(err.code, "UnrecognizedClientException");

    fake.enqueue({ kind: "stream", events: [{ event: "messageStart", data: { role: "assistant" } }, { event: "throttlingException", data: { message: "Too many tokens" } }] });
    const ok = { id: "key", provider: "bedrock", baseUrl: fake.url, apiKey: "ABSKfakeapikey" };
    const streamed = await send(await bedrockProvider.prepare({ operation: "stream", format: "bedrock", model: MODEL, body: "{}", credential: ok }));
    const decoder = bedrockCodec.streamDecoder();
    const events = awsEventStreamFraming.reader().push(streamed.bytes).flatMap((f) => decoder.decode(f.event).events);
    const error = events.find((e) => e.type === "error");
    assert.ok(error?.type === "error");
    assert.equal(error.error.status, 429);
    assert.equal(error.error.kind, "rate_limit");
    assert.equal(error.error.message, "Too many tokens");
  });

  it("lists models from the control plane", async () => {
    const credential = { id: "key", provider: "bedrock", baseUrl: fake.url, apiKey: "ABSKfakeapikey" };
    const req = await bedrockProvider.prepare({ operation: "models", format: "bedrock", model: "", credential });
    const res = await send(req);
    assert.deepEqual(bedrockProvider.parseModels!(JSON.parse(Buffer.from(res.bytes).toString("utf8"))), ["anthropic.claude-3-5-sonnet-20240620-v1:0", "amazon.nova-pro-v1:0", "meta.llama3-1-70b-instruct-v1:0"]);
  });
});
