import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import OpenAI from "openai";
import { chatStream } from "./fake-upstreams/openai.ts";
import { bodiesOf, CARD, EMAIL, GITHUB_TOKEN, leaks, OPENAI_KEY, PT_KEY, rowOf, startGuardrailFixture, type GuardrailFixture } from "./guardrails-support.ts";

let f: GuardrailFixture;
before(async () => {
  f = await startGuardrailFixture();
});
after(() => f.close());

const router = (proxyId: string) => new OpenAI({ baseURL: f.url(`/v1/model-router/${proxyId}`), apiKey: PT_KEY, maxRetries: 0 });
const PROMPT = `Deploy with ${OPENAI_KEY} and mail ${EMAIL}; card ${CARD}.`;

test("router chat, redact: the upstream gets placeholders, never the values; decisions and the log say what happened", async () => {
  const { data, response } = await router("redact")
    .chat.completions.create({ model: "openai:gpt-4o-mini", messages: [{ role: "system", content: `Internal token ${GITHUB_TOKEN}` }, { role: "user", content: PROMPT }] })
    .withResponse();
  const sent = f.openai.last().body;
  assert.deepEqual(leaks(sent, OPENAI_KEY, EMAIL, CARD, GITHUB_TOKEN), []);
  const messages = (f.openai.last().json as { messages: Array<{ content: string }> }).messages;
  assert.equal(messages[0].content, "Internal token [SECRET_1]");
  assert.equal(messages[1].content, "Deploy with [SECRET_2] and mail [EMAIL_1]; card [CREDIT_CARD_1].");
  // The fake echoes the user text: the answer repeats the placeholders (no restore on this proxy).
  assert.equal(data.choices[0].message.content, "Hello! You said: Deploy with [SECRET_2] and mail [EMAIL_1]; card [CREDIT_CARD_1].");
  const row = await rowOf(f.proxy, response.headers.get("x-portcullis-request-id"));
  assert.equal(row.blocked, 1);
  assert.deepEqual(
    row.decisions.map((d) => [d.kind, d.action, d.detector, d.side]),
    [
      ["guardrail", "redact", "github_token", "request"],
      ["guardrail", "redact", "openai_api_key", "request"],
      ["guardrail", "redact", "email", "request"],
      ["guardrail", "redact", "credit_card", "request"],
    ],
  );
  const bodies = await bodiesOf(f.proxy, row.id);
  assert.deepEqual(leaks(bodies.request + bodies.response, OPENAI_KEY, EMAIL, CARD, GITHUB_TOKEN), [], "the log stores the bodies redacted");
  assert.match(bodies.request, /\[SECRET_2\]/);
});

test("router chat, restore: the answer gets the client's values back where the model repeats placeholders", async () => {
  const res = await router("restore").chat.completions.create({ model: "openai:gpt-4o-mini", messages: [{ role: "user", content: PROMPT }] });
  assert.deepEqual(leaks(f.openai.last().body, OPENAI_KEY, EMAIL, CARD), []);
  assert.equal(res.choices[0].message.content, `Hello! You said: ${PROMPT}`);
});

test("router chat stream, restore: placeholders split across chunks come back whole; the upstream never saw the values", async () => {
  const stream = await router("restore").chat.completions.create({ model: "openai:gpt-4o-mini", stream: true, messages: [{ role: "user", content: PROMPT }] });
  let text = "";
  for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? "";
  assert.equal(text, `Hello! You said: ${PROMPT}`);
  assert.deepEqual(leaks(f.openai.last().body, OPENAI_KEY, EMAIL, CARD), []);
});

test("router chat stream, redact: a secret the model writes, split across chunks, is redacted; the text around it flows", async () => {
  const answer = `Sure. Use the token ${GITHUB_TOKEN} for the deploy, and tell me if it works for you.`;
  const events = chatStream("gpt-4o-mini", answer, false);
  // Split the token itself across three deltas.
  const at = events.findIndex((e) => JSON.stringify(e.data).includes("ghp_"));
  const piece = (delta: string) => ({ data: { ...(events[at].data as object), choices: [{ index: 0, delta: { content: delta }, logprobs: null, finish_reason: null }] } });
  events.splice(at, 1, piece(GITHUB_TOKEN.slice(0, 10)), piece(GITHUB_TOKEN.slice(10, 30)), piece(`${GITHUB_TOKEN.slice(30)} `));
  f.openai.enqueue({ kind: "stream", events });
  const stream = await router("redact").chat.completions.create({ model: "openai:gpt-4o-mini", stream: true, messages: [{ role: "user", content: "token please" }] });
  const deltas: string[] = [];
  for await (const chunk of stream) if (chunk.choices[0]?.delta?.content) deltas.push(chunk.choices[0].delta.content);
  assert.equal(deltas.join(""), "Sure. Use the token [SECRET] for the deploy, and tell me if it works for you.");
  assert.ok(deltas.every((d) => !d.includes("ghp_") && !d.includes("abcdefghij")), JSON.stringify(deltas));
  assert.ok(deltas[0].startsWith("Sure."), "text before the secret is not held back to the end");
});

test("router chat, block: 400 in OpenAI's shape naming the detector, never the value; nothing reaches the upstream", async () => {
  const before = f.openai.requests.length;
  const err = await router("block")
    .chat.completions.create({ model: "openai:gpt-4o-mini", messages: [{ role: "user", content: PROMPT }] })
    .catch((e: unknown) => e);
  assert.ok(err instanceof OpenAI.BadRequestError);
  assert.equal(err.status, 400);
  assert.equal(err.code, "guardrail_blocked");
  assert.match(err.message, /openai_api_key found in a user message/);
  assert.deepEqual(leaks(err.message, OPENAI_KEY, EMAIL), []);
  assert.equal(f.openai.requests.length, before);
  const row = await rowOf(f.proxy, err.headers?.get("x-portcullis-request-id"));
  assert.equal(row.status, 400);
  assert.deepEqual(
    row.decisions.map((d) => [d.action, d.detector, d.blocked]),
    [
      ["block", "openai_api_key", true],
      ["log", "email", false],
      ["log", "credit_card", false],
    ],
  );
  const bodies = await bodiesOf(f.proxy, row.id);
  assert.deepEqual(leaks(bodies.request, OPENAI_KEY, EMAIL, CARD), []);
});

test("router, log: the request reaches the upstream as the client sent it; the decision and a redacted log remain", async () => {
  const { response } = await router("logonly").chat.completions.create({ model: "openai:gpt-4o-mini", messages: [{ role: "user", content: PROMPT }] }).withResponse();
  assert.equal((f.openai.last().json as { messages: Array<{ content: string }> }).messages[0].content, PROMPT);
  const row = await rowOf(f.proxy, response.headers.get("x-portcullis-request-id"));
  assert.equal(row.blocked, 0);
  assert.deepEqual(row.decisions.map((d) => `${d.side}:${d.detector}:${d.action}`), [
    "request:openai_api_key:log",
    "request:email:log",
    "request:credit_card:log",
    // The fake echoed them: the model's output is scanned too.
    "response:openai_api_key:log",
    "response:email:log",
    "response:credit_card:log",
  ]);
  const bodies = await bodiesOf(f.proxy, row.id);
  assert.deepEqual(leaks(bodies.request + bodies.response, OPENAI_KEY, EMAIL, CARD), []);
});

test("guardrails off (default proxy): the text goes through untouched", async () => {
  await router("default").chat.completions.create({ model: "openai:gpt-4o-mini", messages: [{ role: "user", content: PROMPT }] });
  assert.equal((f.openai.last().json as { messages: Array<{ content: string }> }).messages[0].content, PROMPT);
});

test("router Responses API to a native upstream (Anthropic): a redacted secret never reaches it; the answer is restored", async () => {
  const res = await router("restore").responses.create({ model: "anthropic:claude-sonnet-4-5", input: [{ role: "user", content: PROMPT }], instructions: `Use ${GITHUB_TOKEN}` });
  const sent = f.anthropic.last().body;
  assert.deepEqual(leaks(sent, OPENAI_KEY, EMAIL, CARD, GITHUB_TOKEN), []);
  assert.match(sent, /\[SECRET_1\]/);
  assert.equal(res.output_text, `Hello! You said: ${PROMPT}`);
});

test("tool calls: values in earlier tool arguments and tool results are redacted; restored arguments reach the client", async () => {
  f.openai.enqueue({
    kind: "json",
    body: {
      id: "chatcmpl-tool",
      object: "chat.completion",
      created: 1,
      model: "gpt-4o-mini",
      choices: [{ index: 0, message: { role: "assistant", content: null, tool_calls: [{ id: "call_2", type: "function", function: { name: "send_email", arguments: '{"to":"[EMAIL_1]","body":"done"}' } }] }, finish_reason: "tool_calls" }],
      usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
    },
  });
  const res = await router("restore").chat.completions.create({
    model: "openai:gpt-4o-mini",
    tools: [{ type: "function", function: { name: "send_email", parameters: { type: "object" } } }, { type: "function", function: { name: "lookup", parameters: { type: "object" } } }],
    messages: [
      { role: "user", content: `Find the contact and mail them the key ${OPENAI_KEY}` },
      { role: "assistant", content: null, tool_calls: [{ id: "call_1", type: "function", function: { name: "lookup", arguments: `{"key":"${OPENAI_KEY}"}` } }] },
      { role: "tool", tool_call_id: "call_1", content: JSON.stringify({ contact: EMAIL, note: `line\n${GITHUB_TOKEN}` }) },
    ],
  });
  const sent = f.openai.last().body;
  assert.deepEqual(leaks(sent, OPENAI_KEY, EMAIL, GITHUB_TOKEN), []);
  const upstream = (f.openai.last().json as { messages: Array<{ content: string | null; tool_calls?: Array<{ function: { arguments: string } }> }> }).messages;
  assert.deepEqual(JSON.parse(upstream[1].tool_calls![0].function.arguments), { key: "[SECRET_1]" });
  assert.deepEqual(JSON.parse(upstream[2].content!), { contact: "[EMAIL_1]", note: "line\n[SECRET_2]" });
  const call = res.choices[0].message.tool_calls![0];
  assert.ok(call.type === "function");
  assert.deepEqual(JSON.parse(call.function.arguments), { to: EMAIL, body: "done" });
  assert.equal(res.choices[0].finish_reason, "tool_calls");
});
