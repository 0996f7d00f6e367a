import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import type { ResponseStreamEvent } from "openai/resources/responses/responses";
import { readFixtureChunks, readFixtureJson } from "./helpers/fixtures.ts";
import { startRouterFixture, type RouterFixture } from "./helpers/router-fixture.ts";

let f: RouterFixture;
before(async () => {
  f = await startRouterFixture();
});
after(() => f.close());

function assertWellFormed(events: ResponseStreamEvent[]): void {
  assert.equal(events[0].type, "response.created");
  assert.equal(events.at(-1)?.type, "response.completed");
  events.forEach((e, i) => assert.equal(e.sequence_number, i, `sequence_number gap at event ${i} (${e.type})`));
}

test("Responses to OpenAI goes native (no translation) and comes back intact", async () => {
  const res = await f.client.responses.create({ model: "openai:gpt-4o-mini", input: "native please", instructions: "Be brief." });
  assert.equal(res.output_text, "Hello! You said: native please");
  const up = f.upstream.last();
  assert.equal(up.url, "/v1/responses");
  assert.deepEqual(up.json, { model: "gpt-4o-mini", input: "native please", instructions: "Be brief." });
});

test("Responses to a Chat-only provider is translated Responses → Chat → Responses", async () => {
  const res = await f.client.responses.create({ model: "groq:llama-3.3-70b-versatile", input: "translate me", instructions: "Be brief." });
  assert.equal(res.output_text, "Hello! You said: translate me");
  assert.equal(res.status, "completed");
  assert.ok(res.usage && res.usage.input_tokens === 19 && res.usage.output_tokens > 0);
  const up = f.upstream.last();
  assert.equal(up.url, "/openai/v1/chat/completions");
  assert.equal(up.headers.authorization, "Bearer gsk-upstream-groq");
  const sent = up.json as { model: string; messages: Array<{ role: string; content: unknown }> };
  assert.equal(sent.model, "llama-3.3-70b-versatile");
  assert.deepEqual(sent.messages.map((m) => m.role), ["system", "user"]);
});

test("streaming Responses from a Chat-only provider: complete, gap-free event lifecycle", async () => {
  const stream = await f.client.responses.create({ model: "groq:llama-3.3-70b-versatile", input: "stream translate", stream: true });
  const events: ResponseStreamEvent[] = [];
  for await (const e of stream) events.push(e);
  assertWellFormed(events);
  const text = events.flatMap((e) => (e.type === "response.output_text.delta" ? [e.delta] : [])).join("");
  assert.equal(text, "Hello! You said: stream translate");
  const done = events.at(-1);
  assert.ok(done?.type === "response.completed" && done.response.usage?.input_tokens === 19);
  // SDK helper that assembles the final response from the events.
  const s2 = f.client.responses.stream({ model: "groq:llama-3.3-70b-versatile", input: "again" });
  const final = await s2.finalResponse();
  assert.equal(final.output_text, "Hello! You said: again");
});

test("tool calls from a Chat provider become Responses function_call items (stream and not)", async () => {
  // The recorded answers call `weather`: a call of a tool the request did not declare is blocked.
  const tools = [{ type: "function" as const, name: "weather", strict: false, parameters: { type: "object", properties: { location: { type: "string" } } } }];
  f.upstream.enqueue({ kind: "json", body: readFixtureJson("groq", "groq-tool-call.json") });
  const res = await f.client.responses.create({ model: "groq:llama-3.3-70b-versatile", input: "weather?", tools });
  const call = res.output.find((o) => o.type === "function_call");
  assert.ok(call && call.type === "function_call");
  const recorded = (readFixtureJson("groq", "groq-tool-call.json").choices as Array<{ message: { tool_calls: Array<{ id: string; function: { name: string; arguments: string } }> } }>)[0].message.tool_calls[0];
  assert.equal(call.call_id, recorded.id);
  assert.equal(call.name, recorded.function.name);
  assert.equal(call.arguments, recorded.function.arguments);

  const chunks = readFixtureChunks("groq", "groq-tool-call.chunks.txt");
  f.upstream.enqueue({ kind: "stream", events: [...chunks.map((data) => ({ data })), { data: "[DONE]" }] });
  const stream = await f.client.responses.create({ model: "groq:llama-3.3-70b-versatile", input: "weather?", tools, stream: true });
  const events: ResponseStreamEvent[] = [];
  for await (const e of stream) events.push(e);
  assertWellFormed(events);
  const doneItem = events.find((e) => e.type === "response.output_item.done" && e.item.type === "function_call");
  assert.ok(doneItem && doneItem.type === "response.output_item.done" && doneItem.item.type === "function_call");
  assert.ok(doneItem.item.name.length > 0);
});

test("reasoning from a Chat provider (reasoning_content) becomes a Responses reasoning item", async () => {
  f.upstream.enqueue({ kind: "json", body: readFixtureJson("deepseek", "deepseek-reasoning.json") });
  const res = await f.client.responses.create({ model: "groq:llama-3.3-70b-versatile", input: "think" });
  const reasoning = res.output.find((o) => o.type === "reasoning");
  assert.ok(reasoning, "a reasoning item");
  const recorded = (readFixtureJson("deepseek", "deepseek-reasoning.json").choices as Array<{ message: { reasoning_content: string; content: string } }>)[0].message;
  const text = reasoning.type === "reasoning" ? [...(reasoning.content ?? []), ...reasoning.summary].map((p) => p.text).join("") : "";
  assert.equal(text, recorded.reasoning_content);
  assert.equal(res.output_text, recorded.content);
  assert.ok((res.usage?.output_tokens_details.reasoning_tokens ?? 0) > 0);
});

test("models.list returns provider-qualified ids from listings and configured lists", async () => {
  const ids: string[] = [];
  for await (const m of f.client.models.list()) ids.push(m.id);
  assert.ok(ids.includes("openai:gpt-4o-mini"));
  assert.ok(ids.includes("groq:llama-3.3-70b-versatile"));
});
