import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import type OpenAI from "openai";
import type { FakeUpstream } from "./fake-upstreams/fake-reply.ts";
import { assertWellFormedResponsesStream, BEDROCK_API_KEY_KEY, collect, MODELS, startNativeRouterFixture, streamedChat, type NativeRouterFixture } from "./helpers/native-router-fixture.ts";

/**
 * The issue's promise, provider by provider: change the model string and the same OpenAI client
 * code — Chat or Responses, streaming or not — gets the provider's answer intact. The fakes'
 * default answers echo the last user text.
 */
let f: NativeRouterFixture;
before(async () => {
  f = await startNativeRouterFixture();
});
after(() => f.close());

interface Target {
  name: string;
  model: string;
  fake: () => FakeUpstream;
  client: () => OpenAI;
}

const TARGETS: Target[] = [
  { name: "anthropic", model: MODELS.anthropic, fake: () => f.anthropic, client: () => f.client },
  { name: "gemini", model: MODELS.gemini, fake: () => f.gemini, client: () => f.client },
  { name: "vertex (express API key)", model: MODELS.vertex, fake: () => f.vertex, client: () => f.client },
  { name: "bedrock (SigV4)", model: MODELS.bedrock, fake: () => f.bedrock, client: () => f.client },
  { name: "bedrock (API key)", model: MODELS.bedrock, fake: () => f.bedrock, client: () => f.clientFor(BEDROCK_API_KEY_KEY) },
  { name: "cohere", model: MODELS.cohere, fake: () => f.cohere, client: () => f.client },
];

for (const t of TARGETS) {
  test(`${t.name}: Chat and Responses, whole and streamed, give the provider's answer with usage and finish`, async () => {
    const client = t.client();
    const before = t.fake().requests.length;
    const chat = await client.chat.completions.create({ model: t.model, messages: [{ role: "user", content: "one" }] });
    assert.equal(chat.choices[0].message.content, "Hello! You said: one");
    assert.equal(chat.choices[0].finish_reason, "stop");
    assert.equal(chat.object, "chat.completion");
    assert.equal(chat.model, t.model.slice(t.model.indexOf(":") + 1));
    assert.ok(chat.usage && chat.usage.prompt_tokens > 0 && chat.usage.completion_tokens > 0);
    assert.equal(chat.usage.total_tokens, chat.usage.prompt_tokens + chat.usage.completion_tokens);

    const s = streamedChat(await collect(await client.chat.completions.create({ model: t.model, messages: [{ role: "user", content: "two" }], stream: true, stream_options: { include_usage: true } })));
    assert.equal(s.text, "Hello! You said: two");
    assert.deepEqual(s.finishReasons, ["stop"]);
    assert.ok(s.usage && s.usage.prompt_tokens > 0);

    const plain = streamedChat(await collect(await client.chat.completions.create({ model: t.model, messages: [{ role: "user", content: "three" }], stream: true })));
    assert.equal(plain.usage, undefined, "no usage chunk unless asked");

    const res = await client.responses.create({ model: t.model, input: "four", instructions: "Be brief." });
    assert.equal(res.output_text, "Hello! You said: four");
    assert.equal(res.status, "completed");
    assert.ok(res.usage && res.usage.input_tokens > 0 && res.usage.output_tokens > 0);
    const sent = t.fake().last().json as Record<string, unknown>;
    const system = sent.system ?? sent.systemInstruction ?? (sent.messages as Array<{ role: string }>)[0];
    assert.match(JSON.stringify(system), /Be brief\./, "instructions reach the provider's system slot");

    const events = await collect(await client.responses.create({ model: t.model, input: "five", stream: true }));
    assertWellFormedResponsesStream(events);
    const final = await client.responses.stream({ model: t.model, input: "six" }).finalResponse();
    assert.equal(final.output_text, "Hello! You said: six");
    assert.equal(t.fake().requests.length - before, 6, "every call reached this provider's upstream");
  });

  test(`${t.name}: a no-argument call from another provider ("" arguments) goes back as no arguments ({})`, async () => {
    await t.client().chat.completions.create({
      model: t.model,
      tools: [{ type: "function", function: { name: "now" } }],
      messages: [
        { role: "user", content: "time?" },
        { role: "assistant", content: null, tool_calls: [{ id: "call_abc123", type: "function", function: { name: "now", arguments: "" } }] },
        { role: "tool", tool_call_id: "call_abc123", content: "12:00" },
      ],
    });
    const body = t.fake().last().json as { messages?: Array<Record<string, unknown>>; contents?: Array<{ parts: Array<Record<string, unknown>> }> };
    const turn = JSON.stringify(body.messages?.[1] ?? body.contents?.[1]);
    if (t.name === "cohere") assert.match(turn, /"arguments":"\{\}"/);
    else if (body.contents) assert.deepEqual(body.contents[1].parts[0].functionCall, { name: "now" }, "Gemini: no args at all (the field is optional)");
    else assert.match(turn, /"input":\{\}/);
  });
}

test("documents: a PDF and a text file as data: URLs reach each provider in its own shape (Cohere takes text only)", async () => {
  const content = [
    { type: "text" as const, text: "Summarise." },
    { type: "file" as const, file: { file_data: "data:application/pdf;base64,JVBERi0xLjQK", filename: "report.pdf" } },
    { type: "file" as const, file: { file_data: "data:text/plain;base64,aGVsbG8=", filename: "notes.txt" } },
  ];
  const send = (model: string, parts: typeof content = content) => f.client.chat.completions.create({ model, messages: [{ role: "user", content: parts }] });
  const first = (fake: FakeUpstream) => {
    const body = fake.last().json as { messages?: Array<{ content: unknown }>; contents?: Array<{ parts: unknown }> };
    return body.messages?.[0].content ?? body.contents?.[0].parts;
  };

  await send(MODELS.anthropic);
  assert.deepEqual(first(f.anthropic), [
    { type: "text", text: "Summarise." },
    { type: "document", source: { type: "base64", media_type: "application/pdf", data: "JVBERi0xLjQK" }, title: "report.pdf" },
    { type: "document", source: { type: "text", media_type: "text/plain", data: "hello" }, title: "notes.txt" },
  ]);
  for (const [model, fake] of [[MODELS.gemini, f.gemini], [MODELS.vertex, f.vertex]] as const) {
    await send(model);
    assert.deepEqual(first(fake), [{ text: "Summarise." }, { inlineData: { mimeType: "application/pdf", data: "JVBERi0xLjQK" } }, { inlineData: { mimeType: "text/plain", data: "aGVsbG8=" } }]);
  }
  await send(MODELS.bedrock);
  assert.deepEqual(first(f.bedrock), [
    { text: "Summarise." },
    { document: { format: "pdf", name: "report", source: { bytes: "JVBERi0xLjQK" } } },
    { document: { format: "txt", name: "notes", source: { bytes: "aGVsbG8=" } } },
  ]);

  const before = f.cohere.requests.length;
  const refused = await send(MODELS.cohere).catch((e: unknown) => e as { status: number; message: string });
  assert.equal((refused as { status: number }).status, 400, "a PDF Cohere cannot read is refused, not silently dropped");
  assert.equal(f.cohere.requests.length, before);
  await send(MODELS.cohere, [content[0], content[2]]);
  const body = f.cohere.last().json as { documents: unknown };
  assert.deepEqual(body.documents, [{ data: { text: "hello", title: "notes.txt" } }], "text files become Cohere documents");
});
