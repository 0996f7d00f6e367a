import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { startRouterFixture, type RouterFixture } from "./helpers/router-fixture.ts";

let f: RouterFixture;
before(async () => {
  f = await startRouterFixture();
});
after(() => f.close());

async function rowFor(requestId: string) {
  await f.proxy.interactions.flush();
  return f.proxy.store.db.selectFrom("interactions").selectAll().where("id", "=", requestId).executeTakeFirst();
}

test("caller headers and usage are recorded on the interaction", async () => {
  const { data, response } = await f.client.chat.completions
    .create(
      { model: "openai:gpt-4o-mini", messages: [{ role: "user", content: "log me" }] },
      { headers: { "X-Archestra-Agent-Id": "agent-7", "X-Archestra-User-Id": "alice@example.com", "X-Archestra-Session-Id": "sess-1", "X-Archestra-Execution-Id": "exec-9" } },
    )
    .withResponse();
  assert.ok(data.id);
  const row = await rowFor(response.headers.get("x-portcullis-request-id")!);
  assert.ok(row);
  assert.equal(row.agent_id, "agent-7");
  assert.equal(row.user_id, "alice@example.com");
  assert.equal(row.session_id, "sess-1");
  assert.equal(row.execution_id, "exec-9");
  assert.equal(row.provider, "openai");
  assert.equal(row.requested_model, "openai:gpt-4o-mini");
  assert.equal(row.status, 200);
  assert.equal(row.input_tokens, 19);
  assert.ok(Number(row.duration_ms) > 0);
});

test("X-Archestra-Meta fills agent/execution/session; individual headers win", async () => {
  const { response } = await f.client.chat.completions
    .create({ model: "openai:gpt-4o-mini", messages: [{ role: "user", content: "meta" }] }, { headers: { "X-Archestra-Meta": "bot-1//sess-meta", "X-Archestra-Session-Id": "sess-header" } })
    .withResponse();
  const row = await rowFor(response.headers.get("x-portcullis-request-id")!);
  assert.equal(row?.agent_id, "bot-1");
  assert.equal(row?.execution_id, null);
  assert.equal(row?.session_id, "sess-header");
});

test("a malformed Meta header is a clear 400, and failed requests are logged too", async () => {
  const res = await fetch(`${f.proxy.url}/v1/model-router/default/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${f.client.apiKey}`, "x-archestra-meta": "a/b/c/d" },
    body: JSON.stringify({ model: "openai:gpt-4o-mini", messages: [{ role: "user", content: "x" }] }),
  });
  assert.equal(res.status, 400);
  const body = (await res.json()) as { error: { param: string } };
  assert.equal(body.error.param, "X-Archestra-Meta");
  const row = await rowFor(res.headers.get("x-portcullis-request-id")!);
  assert.equal(row?.status, 400);
  assert.match(String(row?.error), /X-Archestra-Meta/);
});

test("streamed interactions record usage the client did not ask to see", async () => {
  const { data: stream, response } = await f.client.chat.completions.create({ model: "openai:gpt-4o-mini", messages: [{ role: "user", content: "s" }], stream: true }).withResponse();
  for await (const _ of stream) {
    // drain
  }
  const row = await rowFor(response.headers.get("x-portcullis-request-id")!);
  assert.equal(row?.stream, 1);
  assert.equal(row?.input_tokens, 19);
  assert.ok(Number(row?.ttft_ms) >= 0);
});
