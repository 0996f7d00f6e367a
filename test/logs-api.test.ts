import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import OpenAI from "openai";
import { startOpenAiFake } from "./fake-upstreams/openai.ts";
import type { FakeUpstream } from "./fake-upstreams/fake-reply.ts";
import { startTestProxy, type TestProxy } from "./helpers/start-proxy.ts";
import { backends, near } from "./observability-support.ts";
import { InteractionLog, type InteractionRow } from "../src/store/interaction-log.ts";

const KEY = "pk-test-logsapi-0123456789abcdefghijklmnopqrstuv";

/** A dataset with every filterable dimension varied, timestamps with deliberate ties. */
function dataset(): InteractionRow[] {
  const rows: InteractionRow[] = [];
  for (let i = 0; i < 120; i++) {
    const day = 1 + (i % 6);
    // Three rows share each timestamp: keyset pagination must break ties by id.
    const second = Math.floor(i / 3);
    rows.push({
      id: `ds-${String(i).padStart(4, "0")}`,
      createdAt: new Date(Date.UTC(2025, 0, day, 12, 0, second)).toISOString(),
      proxyId: i % 4 === 0 ? "team-b" : "default",
      route: i % 5 === 0 ? "passthrough" : "router",
      clientFormat: "openai-chat",
      provider: i % 3 === 0 ? "groq" : "openai",
      model: i % 3 === 0 ? "llama-3.3-70b-versatile" : i % 2 === 0 ? "gpt-4o-mini" : "gpt-4.1",
      agentId: i % 7 === 0 ? undefined : `agent-${i % 3}`,
      userId: `user-${i % 5}`,
      sessionId: `session-${i % 10}`,
      executionId: `exec-${i % 20}`,
      status: i % 11 === 0 ? 500 : i % 13 === 0 ? 429 : 200,
      stream: i % 2 === 0,
      blocked: i % 17 === 0,
      inputTokens: 100 + i,
      outputTokens: 10 + (i % 9),
      cacheReadTokens: i % 4,
      costUsd: i % 19 === 0 ? null : (100 + i) * 1e-6,
      durationMs: 10 + i,
    });
  }
  return rows;
}

const newestFirst = (a: InteractionRow, b: InteractionRow) => (a.createdAt === b.createdAt ? (a.id < b.id ? 1 : -1) : a.createdAt < b.createdAt ? 1 : -1);

for (const backend of backends()) {
  describe(`logs API on ${backend.name}`, () => {
    let upstream: FakeUpstream;
    let proxy: TestProxy;
    const rows = dataset();
    const skip = () => backend.skip;

    before(async () => {
      await backend.setup();
      if (skip()) return;
      upstream = await startOpenAiFake();
      proxy = await startTestProxy(
        `
credentials:
  - { id: openai-main, provider: openai, apiKey: sk-upstream, baseUrl: "${upstream.url}/v1" }
proxies:
  - { id: default, name: Default }
  - { id: team-b, name: Team B }
virtualKeys:
  - { name: logs, key: "${KEY}", proxies: [default], credentials: { openai: openai-main } }
`,
        { DATABASE_URL: backend.url },
      );
      const log = new InteractionLog(proxy.store);
      for (const r of rows) log.record({ ...r, requestBody: `{"n":"${r.id}"}`, responseBody: { id: r.id } });
      await log.close();
    });
    after(async () => {
      await proxy?.stop();
      await upstream?.close();
      await backend.teardown();
    });

    const get = async (path: string, token = proxy.adminToken) => {
      const res = await fetch(`${proxy.url}/api${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
      return { status: res.status, body: (await res.json()) as Record<string, any> };
    };
    const ids = (body: Record<string, any>) => (body.data as Array<{ id: string }>).map((r) => r.id).filter((id) => id.startsWith("ds-"));

    /** Every page of a listing, following next_cursor. */
    const all = async (query: string, limit: number) => {
      const seen: string[] = [];
      let cursor: string | null = null;
      for (let pages = 0; pages < 1000; pages++) {
        const { status, body } = await get(`/interactions?${query}&limit=${limit}${cursor ? `&cursor=${cursor}` : ""}`);
        assert.equal(status, 200, JSON.stringify(body));
        assert.ok(body.data.length <= limit);
        seen.push(...ids(body));
        cursor = body.next_cursor;
        if (!cursor) return seen;
      }
      throw new Error("pagination did not end");
    };

    it("needs the admin token", { skip: skip() }, async () => {
      const missing = await get("/interactions", "");
      assert.equal(missing.status, 401);
      assert.equal(missing.body.error.code, "missing_admin_token");
      const wrong = await get("/usage", "not-the-admin-token-0000");
      assert.equal(wrong.status, 401);
      assert.equal(wrong.body.error.type, "authentication_error");
      // The admin API beside it still answers.
      assert.equal((await get("/proxies")).status, 200);
    });

    it("pages through everything newest first and oldest first, ties broken by id, nothing lost or repeated", { skip: skip() }, async () => {
      const expected = [...rows].sort(newestFirst).map((r) => r.id);
      assert.deepEqual(await all("from=2025-01-01&to=2025-02-01", 7), expected);
      assert.deepEqual(await all("from=2025-01-01&to=2025-02-01&order=asc", 11), [...expected].reverse());
    });

    it("filters by proxy, provider, model, agent, user, session, execution, status, blocked and time", { skip: skip() }, async () => {
      const cases: Array<[string, (r: InteractionRow) => boolean]> = [
        ["proxyId=team-b", (r) => r.proxyId === "team-b"],
        ["provider=groq", (r) => r.provider === "groq"],
        ["model=gpt-4.1", (r) => r.model === "gpt-4.1"],
        ["agentId=agent-1", (r) => r.agentId === "agent-1"],
        ["userId=user-3", (r) => r.userId === "user-3"],
        ["sessionId=session-7", (r) => r.sessionId === "session-7"],
        ["executionId=exec-12", (r) => r.executionId === "exec-12"],
        ["status=5xx", (r) => r.status >= 500],
        ["status=429", (r) => r.status === 429],
        ["blocked=true", (r) => r.blocked === true],
        ["blocked=false", (r) => !r.blocked],
        ["from=2025-01-03T00:00:00Z&to=2025-01-05", (r) => r.createdAt >= "2025-01-03" && r.createdAt < "2025-01-05"],
        ["proxyId=default&provider=openai&status=200&from=2025-01-02T12:00:10%2B00:00", (r) => r.proxyId === "default" && r.provider === "openai" && r.status === 200 && r.createdAt >= "2025-01-02T12:00:10.000Z"],
      ];
      for (const [query, keep] of cases) {
        const expected = rows.filter(keep).sort(newestFirst).map((r) => r.id);
        assert.ok(expected.length > 0, query);
        assert.deepEqual(await all(`${query}&to=2025-02-01`.replace("&to=2025-01-05&to=2025-02-01", "&to=2025-01-05"), 25), expected, query);
      }
    });

    it("rejects what it does not understand, naming the parameter", { skip: skip() }, async () => {
      const bad = async (query: string, param: string) => {
        const { status, body } = await get(`/interactions?${query}`);
        assert.equal(status, 400, query);
        assert.equal(body.error.param, param, query);
      };
      await bad("agent=x", "agent");
      await bad("limit=0", "limit");
      await bad("limit=501", "limit");
      await bad("status=abc", "status");
      await bad("blocked=yes", "blocked");
      await bad("from=yesterday", "from");
      await bad("from=2025-02-01&to=2025-01-01", "from");
      await bad("order=sideways", "order");
      await bad("cursor=garbage", "cursor");
      const first = await get("/interactions?limit=2&order=asc");
      await bad(`cursor=${first.body.next_cursor}&order=desc`, "cursor");
      const usage = await get("/usage?groupBy=planet");
      assert.equal(usage.status, 400);
      assert.equal(usage.body.error.param, "groupBy.0");
    });

    it("GET /interactions/:id has the bodies; an unknown id is a 404", { skip: skip() }, async () => {
      const one = await get("/interactions/ds-0042");
      assert.equal(one.status, 200);
      assert.equal(one.body.id, "ds-0042");
      assert.equal(one.body.requestBody, '{"n":"ds-0042"}');
      assert.deepEqual(JSON.parse(one.body.responseBody), { id: "ds-0042" });
      assert.equal(one.body.requestBodyTruncated, false);
      const list = await get("/interactions?limit=1");
      assert.equal(list.body.data[0].requestBody, undefined, "lists carry no bodies");
      const missing = await get("/interactions/nope");
      assert.equal(missing.status, 404);
      assert.equal(missing.body.error.code, "not_found");
    });

    it("GET /usage sums tokens and cost per proxy, agent, user, model over a time range", { skip: skip() }, async () => {
      const from = "2025-01-02";
      const to = "2025-01-05";
      const inRange = rows.filter((r) => r.createdAt >= from && r.createdAt < to);
      const sum = (list: InteractionRow[]) => ({
        requests: list.length,
        errors: list.filter((r) => r.status >= 400).length,
        inputTokens: list.reduce((a, r) => a + (r.inputTokens ?? 0), 0),
        outputTokens: list.reduce((a, r) => a + (r.outputTokens ?? 0), 0),
        cacheReadTokens: list.reduce((a, r) => a + (r.cacheReadTokens ?? 0), 0),
        costUsd: list.reduce((a, r) => a + (r.costUsd ?? 0), 0),
        unpricedRequests: list.filter((r) => r.costUsd === null).length,
      });
      const check = (got: Record<string, any>, list: InteractionRow[], what: string) => {
        const want = sum(list);
        for (const k of ["requests", "errors", "inputTokens", "outputTokens", "cacheReadTokens", "unpricedRequests"] as const) assert.equal(got[k], want[k], `${what} ${k}`);
        near(got.costUsd, want.costUsd, `${what} cost`);
      };

      const byProxy = await get(`/usage?groupBy=proxy&from=${from}&to=${to}`);
      assert.equal(byProxy.status, 200);
      assert.deepEqual(byProxy.body.groupBy, ["proxy"]);
      assert.equal(byProxy.body.data.length, 2);
      for (const g of byProxy.body.data) check(g, inRange.filter((r) => r.proxyId === g.proxyId), `proxy ${g.proxyId}`);

      const byAgentModel = await get(`/usage?groupBy=agent,model&from=${from}&to=${to}`);
      const keys = new Set(inRange.map((r) => `${r.agentId ?? null}|${r.provider}|${r.model}`));
      assert.equal(byAgentModel.body.data.length, keys.size);
      for (const g of byAgentModel.body.data) {
        check(g, inRange.filter((r) => (r.agentId ?? null) === g.agentId && r.provider === g.provider && r.model === g.model), `agent ${g.agentId} model ${g.model}`);
      }
      // Biggest spenders first.
      const costs = byAgentModel.body.data.map((g: { costUsd: number }) => g.costUsd);
      assert.deepEqual(costs, [...costs].sort((a, b) => b - a));

      const byUser = await get(`/usage?groupBy=user&from=${from}&to=${to}&proxyId=default`);
      for (const g of byUser.body.data) check(g, inRange.filter((r) => r.userId === g.userId && r.proxyId === "default"), `user ${g.userId}`);

      const limited = await get(`/usage?groupBy=session&from=${from}&to=${to}`);
      assert.equal(limited.status, 400, "session is not a usage grouping");
      const top = await get(`/usage?groupBy=user&limit=2&from=${from}&to=${to}`);
      assert.equal(top.body.data.length, 2);
      assert.equal(top.body.truncated, true);
    });

    it("interactions made through the router are listed, filtered by the caller's ids", { skip: skip() }, async () => {
      const client = new OpenAI({ baseURL: `${proxy.url}/v1/model-router/default`, apiKey: KEY, maxRetries: 0 });
      const { response } = await client.chat.completions
        .create({ model: "openai:gpt-4o-mini", messages: [{ role: "user", content: "find me" }] }, { headers: { "X-Archestra-Agent-Id": "live-agent", "X-Archestra-Session-Id": "live-session" } })
        .withResponse();
      await proxy.interactions.flush();
      const { body } = await get("/interactions?agentId=live-agent&sessionId=live-session");
      assert.equal(body.data.length, 1);
      assert.equal(body.data[0].id, response.headers.get("x-portcullis-request-id"));
      assert.equal(body.data[0].caller.agentId, "live-agent");
      assert.ok(body.data[0].costUsd > 0);
      assert.equal(body.next_cursor, null);
    });
  });
}

it("openapi.yaml documents the logs API and /metrics", async () => {
  const { readFileSync } = await import("node:fs");
  const { parse } = await import("yaml");
  const spec = parse(readFileSync(new URL("../openapi.yaml", import.meta.url), "utf8")) as { paths: Record<string, Record<string, { parameters?: Array<{ name?: string }> }>> };
  for (const path of ["/api/interactions", "/api/interactions/{id}", "/api/usage", "/metrics"]) assert.ok(spec.paths[path]?.get, `GET ${path}`);
  const documented = new Set(spec.paths["/api/interactions"].get.parameters!.map((p) => p.name));
  for (const name of ["proxyId", "provider", "model", "agentId", "userId", "sessionId", "executionId", "status", "blocked", "from", "to", "limit", "order", "cursor"]) {
    assert.ok(documented.has(name), `parameter ${name}`);
  }
});
