import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { calcPrice } from "@pydantic/genai-prices";
import OpenAI from "openai";
import { chatStream, startOpenAiFake } from "./fake-upstreams/openai.ts";
import type { FakeUpstream } from "./fake-upstreams/fake-reply.ts";
import { startTestProxy, type TestProxy } from "./helpers/start-proxy.ts";
import { backends, near } from "./observability-support.ts";
import { openStore, type Store } from "../src/store/db.ts";
import { InteractionLog, type InteractionRow } from "../src/store/interaction-log.ts";
import { getInteraction } from "../src/store/interactions-query.ts";
import { migrate } from "../src/store/migrations/index.ts";

const KEY = "pk-test-log-0123456789abcdefghijklmnopqrstuvwxyz";

const yaml = (upstreamUrl: string, extra = "") => `
credentials:
  - { id: openai-main, provider: openai, apiKey: sk-upstream, baseUrl: "${upstreamUrl}/v1" }
  - { id: groq-main, provider: groq, apiKey: gsk-upstream, baseUrl: "${upstreamUrl}/openai/v1" }
virtualKeys:
  - { name: logger, key: "${KEY}", proxies: [default], credentials: { openai: openai-main, groq: groq-main } }
${extra}`;

for (const backend of backends()) {
  describe(`interaction log on ${backend.name}`, () => {
    before(() => backend.setup());
    after(() => backend.teardown());
    const skip = () => backend.skip;

    describe("the writer", () => {
      let store: Store;
      before(async () => {
        if (skip()) return;
        store = await openStore(backend.url);
        await migrate(store);
      });
      after(() => store?.close());

      it("stores every issue-7 column and the bodies (redacted, then cut), read back by the logs API", { skip: skip() }, async () => {
        const log = new InteractionLog(store, { intervalMs: 20, maxBodyBytes: 40 });
        // The secret straddles the 40-byte cut: redaction must happen before the cut.
        const request = Buffer.from(`{"messages":"héllo wörld, key sk-secret-123456 and more text after it"}`);
        const row: InteractionRow = {
          id: `${backend.name}-full`,
          createdAt: "2026-02-01T10:00:00.000Z",
          proxyId: "default",
          route: "passthrough",
          clientFormat: "anthropic",
          upstreamFormat: "anthropic",
          provider: "anthropic",
          model: "claude-opus-4-6",
          requestedModel: "claude-opus-4-6",
          responseModel: "claude-opus-4-6-20260101",
          authMethod: "oauth-client",
          oauthClientId: "billing-bot",
          identityProviderId: "corp",
          agentId: "agent",
          userId: "user",
          sessionId: "session",
          executionId: "exec",
          status: 200,
          stream: true,
          finishReason: "tool_calls",
          blocked: true,
          decisions: [{ kind: "tool-invocation", action: "block_always", blocked: true, tool: "delete_repo", policyId: "p1", reason: "never" }],
          taint: { source: "tool-result", messageIndex: 3, tool: "fetch_url" },
          inputTokens: 100,
          outputTokens: 20,
          cacheReadTokens: 60,
          cacheWriteTokens: 10,
          reasoningTokens: 5,
          costUsd: 0.000123,
          ttftMs: 12.5,
          durationMs: 40.25,
          requestBody: request,
          responseBody: { content: [{ text: "ok" }] },
          redact: (text) => text.replace(/sk-[a-z0-9-]+/g, "[REDACTED]"),
        };
        log.record(row);
        log.record({ id: `${backend.name}-sparse`, createdAt: "2026-02-01T10:00:01.000Z", proxyId: "default", route: "router", clientFormat: "openai-chat", status: 401, stream: false });
        await log.close();

        const full = await getInteraction(store, row.id);
        assert.ok(full);
        assert.equal(full.upstreamFormat, "anthropic");
        assert.equal(full.responseModel, "claude-opus-4-6-20260101");
        assert.deepEqual(full.caller, {
          authMethod: "oauth-client",
          virtualKeyId: null,
          oauthClientId: "billing-bot",
          identityProviderId: "corp",
          agentId: "agent",
          userId: "user",
          sessionId: "session",
          executionId: "exec",
        });
        assert.equal(full.finishReason, "tool_calls");
        assert.equal(full.blocked, true);
        assert.deepEqual(full.decisions, row.decisions);
        assert.deepEqual(full.taint, row.taint);
        assert.deepEqual(full.usage, { inputTokens: 100, outputTokens: 20, cacheReadTokens: 60, cacheWriteTokens: 10, reasoningTokens: 5 });
        near(full.costUsd!, 0.000123);
        assert.equal(full.stream, true);
        // Sizes are those of the redacted bodies (what would have been stored uncut).
        const redacted = request.toString().replace(/sk-[a-z0-9-]+/g, "[REDACTED]");
        assert.equal(full.requestBytes, Buffer.byteLength(redacted));
        assert.equal(full.requestBody, Buffer.from(redacted).subarray(0, 40).toString());
        assert.ok(!full.requestBody!.includes("sk-"), full.requestBody!);
        assert.ok(Buffer.byteLength(full.requestBody!) <= 40);
        assert.equal(full.requestBodyTruncated, true);
        assert.equal(full.responseBody, JSON.stringify(row.responseBody));
        assert.equal(full.responseBodyTruncated, false);

        const sparse = await getInteraction(store, `${backend.name}-sparse`);
        assert.equal(sparse?.blocked, false);
        assert.deepEqual(sparse?.decisions, []);
        assert.equal(sparse?.costUsd, null);
        assert.equal(sparse?.requestBody, null);
        assert.equal(sparse?.requestBytes, null);
      });

      it("cuts a multi-byte character at the limit cleanly", { skip: skip() }, async () => {
        const log = new InteractionLog(store, { maxBodyBytes: 5 });
        log.record({ id: `${backend.name}-utf8`, createdAt: "2026-02-01T10:00:02.000Z", proxyId: "default", route: "router", clientFormat: "openai-chat", status: 200, stream: false, requestBody: Buffer.from("abcd€€") });
        await log.close();
        const row = await getInteraction(store, `${backend.name}-utf8`);
        assert.equal(row?.requestBody, "abcd");
        assert.equal(row?.requestBytes, 10);
      });
    });

    describe("through the proxy", () => {
      let upstream: FakeUpstream;
      let proxy: TestProxy;
      let client: OpenAI;
      before(async () => {
        if (skip()) return;
        upstream = await startOpenAiFake();
        proxy = await startTestProxy(yaml(upstream.url), { DATABASE_URL: backend.url });
        client = new OpenAI({ baseURL: `${proxy.url}/v1/model-router/default`, apiKey: KEY, maxRetries: 0 });
      });
      after(async () => {
        await proxy?.stop();
        await upstream?.close();
      });
      const row = async (id: string | null) => {
        assert.ok(id, "x-portcullis-request-id");
        await proxy.interactions.flush();
        const found = await getInteraction(proxy.store, id);
        assert.ok(found, `row ${id}`);
        return found;
      };

      it("a chat call: caller, models, tokens, cost, latency and both bodies", { skip: skip() }, async () => {
        const body = { model: "openai:gpt-4o-mini", messages: [{ role: "user" as const, content: "log this call" }] };
        const { data, response } = await client.chat.completions.create(body, { headers: { "X-Archestra-Meta": "agent-l/exec-l/session-l", "X-Archestra-User-Id": "bob" } }).withResponse();
        const r = await row(response.headers.get("x-portcullis-request-id"));
        assert.equal(r.route, "router");
        assert.equal(r.clientFormat, "openai-chat");
        assert.equal(r.upstreamFormat, "openai-chat");
        assert.equal(r.provider, "openai");
        assert.equal(r.model, "gpt-4o-mini");
        assert.equal(r.requestedModel, "openai:gpt-4o-mini");
        assert.equal(r.responseModel, "gpt-4o-mini");
        assert.equal(r.caller.authMethod, "virtual-key");
        assert.ok(r.caller.virtualKeyId);
        assert.deepEqual([r.caller.agentId, r.caller.executionId, r.caller.sessionId, r.caller.userId], ["agent-l", "exec-l", "session-l", "bob"]);
        assert.equal(r.status, 200);
        assert.equal(r.finishReason, "stop");
        assert.equal(r.usage.inputTokens, data.usage!.prompt_tokens);
        assert.equal(r.usage.outputTokens, data.usage!.completion_tokens);
        near(r.costUsd!, calcPrice({ input_tokens: data.usage!.prompt_tokens, output_tokens: data.usage!.completion_tokens }, "gpt-4o-mini", { providerId: "openai" })!.total_price, "cost");
        assert.ok(r.durationMs! > 0 && r.ttftMs! > 0 && r.ttftMs! <= r.durationMs!);
        assert.deepEqual(JSON.parse(r.requestBody!), body);
        const answer = JSON.parse(r.responseBody!);
        assert.equal(answer.content[0].text, data.choices[0].message.content);
      });

      it("a stream: usage the client did not ask for, cost, TTFT, and the streamed answer", { skip: skip() }, async () => {
        const { data: stream, response } = await client.chat.completions.create({ model: "openai:gpt-4o-mini", messages: [{ role: "user", content: "stream it" }], stream: true }).withResponse();
        let text = "";
        for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? "";
        const r = await row(response.headers.get("x-portcullis-request-id"));
        assert.equal(r.stream, true);
        assert.equal(r.usage.inputTokens, 19);
        assert.ok(r.costUsd! > 0);
        assert.ok(r.ttftMs! >= 0 && r.ttftMs! <= r.durationMs!);
        const answer = JSON.parse(r.responseBody!);
        assert.equal(answer.content[0].text, text);
        assert.equal(answer.finish.reason, "stop");
        assert.equal(answer.incomplete, undefined);
      });

      it("Responses translated for a Chat-only provider: both formats, Groq's prices", { skip: skip() }, async () => {
        const { data, response } = await client.responses.create({ model: "groq:llama-3.3-70b-versatile", input: "translate me" }).withResponse();
        const r = await row(response.headers.get("x-portcullis-request-id"));
        assert.equal(r.clientFormat, "openai-responses");
        assert.equal(r.upstreamFormat, "openai-chat");
        assert.equal(r.provider, "groq");
        near(r.costUsd!, calcPrice({ input_tokens: data.usage!.input_tokens, output_tokens: data.usage!.output_tokens }, "llama-3.3-70b-versatile", { providerId: "groq" })!.total_price, "groq cost");
      });

      it("failures are rows too: bad key, unknown provider, upstream error, a stream cut mid-way", { skip: skip() }, async () => {
        const post = (body: unknown, key = KEY) =>
          fetch(`${proxy.url}/v1/model-router/default/chat/completions`, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${key}` }, body: JSON.stringify(body) });
        const unauthorized = await post({ model: "openai:gpt-4o-mini", messages: [] }, "pk-nope-000000000000000000000000000000");
        assert.equal(unauthorized.status, 401);
        const u = await row(unauthorized.headers.get("x-portcullis-request-id"));
        assert.equal(u.status, 401);
        assert.equal(u.caller.authMethod, "none");
        assert.match(u.error!, /Invalid API key/);
        assert.equal(u.provider, null);
        assert.equal(u.costUsd, null);

        const unknown = await post({ model: "nosuch:model", messages: [{ role: "user", content: "x" }] });
        const n = await row(unknown.headers.get("x-portcullis-request-id"));
        assert.equal(n.status, 404);
        assert.equal(n.requestedModel, "nosuch:model");
        assert.ok(n.requestBody!.includes("nosuch:model"));

        upstream.enqueue({ kind: "json", status: 500, body: { error: { message: "the upstream broke", type: "server_error", param: null, code: null } } });
        const broken = await post({ model: "openai:gpt-4o-mini", messages: [{ role: "user", content: "x" }] });
        assert.equal(broken.status, 500);
        const b = await row(broken.headers.get("x-portcullis-request-id"));
        assert.equal(b.status, 500);
        assert.equal(b.provider, "openai");
        assert.match(b.error!, /the upstream broke/);
        assert.match(b.responseBody!, /the upstream broke/);

        upstream.enqueue({ kind: "stream", events: chatStream("gpt-4o-mini", "one two three four five six", true), cutAfter: 3 });
        const cut = await post({ model: "openai:gpt-4o-mini", messages: [{ role: "user", content: "x" }], stream: true });
        await cut.text();
        const c = await row(cut.headers.get("x-portcullis-request-id"));
        assert.ok(c.status >= 500, `status ${c.status}`);
        assert.ok(c.error);
        const partial = JSON.parse(c.responseBody!);
        assert.equal(partial.incomplete, true);
        assert.match(partial.content[0].text, /^one two/);
      });
    });

    describe("configuration", () => {
      it("logBodies: false keeps no bodies; everything else is still recorded", { skip: skip() }, async () => {
        const upstream = await startOpenAiFake();
        const proxy = await startTestProxy(yaml(upstream.url, "observability: { logBodies: false }"), { DATABASE_URL: backend.url });
        try {
          const client = new OpenAI({ baseURL: `${proxy.url}/v1/model-router/default`, apiKey: KEY, maxRetries: 0 });
          const { response } = await client.chat.completions.create({ model: "openai:gpt-4o-mini", messages: [{ role: "user", content: "private" }] }).withResponse();
          await proxy.interactions.flush();
          const r = await getInteraction(proxy.store, response.headers.get("x-portcullis-request-id")!);
          assert.ok(r);
          assert.equal(r.requestBody, null);
          assert.equal(r.responseBody, null);
          assert.ok(r.costUsd! > 0);
        } finally {
          await proxy.stop();
          await upstream.close();
        }
      });

      it("a graceful shutdown writes every pending row, however long the flush interval", { skip: skip() }, async () => {
        const upstream = await startOpenAiFake();
        const proxy = await startTestProxy(yaml(upstream.url, "observability: { flushIntervalMs: 60000 }"), { DATABASE_URL: backend.url });
        const ids: string[] = [];
        try {
          const client = new OpenAI({ baseURL: `${proxy.url}/v1/model-router/default`, apiKey: KEY, maxRetries: 0 });
          for (let i = 0; i < 5; i++) {
            const { response } = await client.chat.completions.create({ model: "openai:gpt-4o-mini", messages: [{ role: "user", content: `n${i}` }] }).withResponse();
            ids.push(response.headers.get("x-portcullis-request-id")!);
          }
          assert.equal(proxy.interactions.pending, 5, "nothing written yet");
          await proxy.close();
          const store = await openStore(backend.url);
          try {
            for (const id of ids) assert.ok(await getInteraction(store, id), `row ${id} written at shutdown`);
          } finally {
            await store.close();
          }
        } finally {
          await proxy.stop();
          await upstream.close();
        }
      });
    });
  });
}
