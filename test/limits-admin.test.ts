import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { parse as parseYaml } from "yaml";
import { loadConfig } from "../src/config/load-config.ts";
import { chat, FakeClock, meteredYaml, OTHER_KEY, startLimitProxy, startMeteredUpstream, type LimitProxy, type MeteredUpstream } from "./limits-support.ts";

/** Limits through the config file and the admin API, and the usage view (`GET /api/limits`). */

let up: MeteredUpstream;
let p: LimitProxy;
const clock = new FakeClock("2026-03-10T12:00:00Z");
const configLimits = [
  "  - { id: from-config, scope: proxy, subject: default, measure: requests, window: hour, max: 1000 }",
  "  - { scope: virtualKey, subject: '*', measure: tokens, window: day, max: 100000 }",
].join("\n");

before(async () => {
  up = await startMeteredUpstream({ prompt: 20, completion: 40 });
  p = await startLimitProxy(meteredYaml(up.url, configLimits), { clock });
});
after(async () => {
  await p.stop();
  await up.close();
});

test("the admin API wants the admin token", async () => {
  const res = await fetch(`${p.url}/api/limits`);
  assert.equal(res.status, 401);
  assert.equal(((await res.json()) as { error: { code: string } }).error.code, "missing_admin_token");
});

test("GET /api/limits shows config limits with their current use and reset time; '*' limits per subject, virtual keys by name", async () => {
  await chat(p.url, { maxTokens: 50 });
  await chat(p.url, { maxTokens: 50, key: OTHER_KEY });
  await chat(p.url, { maxTokens: 50, key: OTHER_KEY });
  await p.limits.drain();
  const { status, body } = await p.admin("/limits");
  assert.equal(status, 200);
  const byId = new Map((body.data as Array<Record<string, any>>).map((l) => [l.id, l]));
  const config = byId.get("from-config")!;
  assert.equal(config.source, "config");
  assert.equal(config.used, 3);
  assert.equal(config.reserved, 0);
  assert.equal(config.remaining, 997);
  assert.equal(config.windowStart, "2026-03-10T12:00:00.000Z");
  assert.equal(config.resetsAt, "2026-03-10T13:00:00.000Z");
  const each = byId.get("virtualKey.each.tokens.day")!;
  assert.deepEqual(
    each.subjects.map((s: Record<string, unknown>) => [s.name, s.used, s.remaining]),
    [
      ["other", 120, 99880],
      ["app", 60, 99940],
    ],
  );
  assert.match(each.subjects[0].subject, /^[0-9a-f-]{36}$|^vk_/, "the subject is the key's id");
  assert.equal(body.next_cursor, null);
  const page = await p.admin("/limits?limit=1");
  assert.equal(page.body.data.length, 1);
  assert.ok(page.body.next_cursor);
  const rest = await p.admin(`/limits?limit=1&cursor=${page.body.next_cursor}`);
  assert.notEqual(rest.body.data[0].id, page.body.data[0].id);
});

test("create, read, change and delete limits; changes apply to the next request", async () => {
  const created = await p.admin("/limits", { method: "POST", body: { scope: "virtualKey", subject: "app", measure: "requests", window: "minute", max: 0 } });
  assert.equal(created.status, 201);
  assert.equal(created.body.id, "virtualKey.app.requests.minute");
  assert.equal(created.body.source, "api");
  assert.equal(created.body.remaining, 0);
  assert.equal(created.body.resetsAt, "2026-03-10T12:01:00.000Z");
  assert.equal((await chat(p.url)).status, 429, "a new limit applies at once");
  assert.equal((await chat(p.url, { key: OTHER_KEY })).status, 200);

  const duplicate = await p.admin("/limits", { method: "POST", body: { scope: "virtualKey", subject: "app", measure: "requests", window: "minute", max: 5 } });
  assert.equal(duplicate.status, 409);
  assert.equal(duplicate.body.error.code, "already_exists");

  const patched = await p.admin("/limits/virtualKey.app.requests.minute", { method: "PATCH", body: { max: 2, model: "openai:metered-*" } });
  assert.equal(patched.status, 200);
  assert.equal(patched.body.max, 2);
  assert.equal(patched.body.model, "openai:metered-*");
  assert.equal((await chat(p.url)).status, 200, "raised: admitted again");
  assert.equal((await chat(p.url, { model: "openai:cheap-model" })).headers.get("x-ratelimit-policy")?.startsWith("virtualKey.app.requests.minute"), false, "the filter leaves other models alone");

  const unfiltered = await p.admin("/limits/virtualKey.app.requests.minute", { method: "PATCH", body: { model: null } });
  assert.equal(unfiltered.body.model, undefined);
  const replaced = await p.admin("/limits/virtualKey.app.requests.minute", { method: "PUT", body: { scope: "user", subject: "dave", measure: "costUsd", window: "month", max: 12.5 } });
  assert.equal(replaced.status, 200);
  assert.deepEqual([replaced.body.scope, replaced.body.subject, replaced.body.measure, replaced.body.window, replaced.body.max], ["user", "dave", "costUsd", "month", 12.5]);
  assert.equal((await chat(p.url)).status, 200, "the key's request limit is gone");

  assert.equal((await p.admin("/limits/virtualKey.app.requests.minute", { method: "DELETE" })).status, 204);
  assert.equal((await p.admin("/limits/virtualKey.app.requests.minute")).status, 404);
  assert.equal((await p.admin("/limits/nope", { method: "DELETE" })).status, 404);
});

test("bad bodies are refused with the field named", async () => {
  const post = (body: unknown) => p.admin("/limits", { method: "POST", body });
  const base = { scope: "proxy", subject: "default", measure: "tokens", window: "day", max: 10 };
  const cases: Array<[unknown, string, string]> = [
    [{ ...base, scope: "team" }, "scope", "invalid_request_body"],
    [{ ...base, window: "week" }, "window", "invalid_request_body"],
    [{ ...base, max: 1.5 }, "max", "invalid_request_body"],
    [{ ...base, max: -1 }, "max", "invalid_request_body"],
    [{ ...base, id: "has space" }, "id", "invalid_request_body"],
    [{ ...base, colour: "red" }, "colour", "invalid_request_body"],
    [{ ...base, subject: "no-such-proxy" }, "subject", "unknown_subject"],
    [{ ...base, scope: "virtualKey", subject: "no-such-key" }, "subject", "unknown_subject"],
    [{ ...base, scope: "oauthClient", subject: "no-such-client" }, "subject", "unknown_subject"],
  ];
  for (const [body, param, code] of cases) {
    const res = await post(body);
    assert.equal(res.status, 400, JSON.stringify(body));
    assert.equal(res.body.error.param, param, JSON.stringify(res.body));
    assert.equal(res.body.error.code, code);
  }
  assert.equal((await post({ ...base, scope: "user", subject: "anyone@example.com" })).status, 201, "users are whatever requests say");
  const patch = await p.admin("/limits/from-config", { method: "PATCH", body: { measure: "tokens", max: 2.5 } });
  assert.equal(patch.status, 400);
  assert.equal(patch.body.error.param, "max");
});

test("config limits: bad entries and unknown subjects stop the start naming the field; a restart with fewer limits removes the config's, not the API's", async () => {
  const dir = mkdtempSync(join(tmpdir(), "portcullis-limits-config-"));
  try {
    const file = join(dir, "c.yaml");
    const tryConfig = async (yaml: string) => {
      writeFileSync(file, yaml);
      return loadConfig({ argv: ["--config", file], env: {} }).then(
        () => "ok",
        (e: Error) => e.message,
      );
    };
    assert.match(await tryConfig("limits:\n  - { scope: team, subject: x, measure: tokens, window: day, max: 1 }\n"), /limits\[0\]\.scope/);
    assert.match(await tryConfig("limits:\n  - { scope: proxy, subject: x, measure: requests, window: day, max: 1.5 }\n"), /limits\[0\]\.max: a requests limit's max is a whole number/);
    assert.match(
      await tryConfig("limits:\n  - { scope: proxy, subject: x, measure: tokens, window: day, max: 1 }\n  - { scope: proxy, subject: x, measure: tokens, window: day, max: 2 }\n"),
      /limits\[1\]\.id: duplicate id 'proxy\.x\.tokens\.day'/,
    );
    assert.equal(await tryConfig('limits:\n  - { scope: proxy, subject: x, measure: costUsd, window: day, max: "${BUDGET}" }\n'.replace("${BUDGET}", "2.5")), "ok");
    await assert.rejects(startLimitProxy(meteredYaml(up.url, "  - { scope: virtualKey, subject: typo, measure: tokens, window: day, max: 1 }")), /limits\[0\]\.subject: unknown virtual key 'typo'/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  const first = await startLimitProxy(meteredYaml(up.url, configLimits), { clock });
  assert.equal((await first.admin("/limits", { method: "POST", body: { id: "made-by-api", scope: "proxy", subject: "default", measure: "tokens", window: "day", max: 5000 } })).status, 201);
  await first.stop(true);
  const second = await startLimitProxy(meteredYaml(up.url, "  - { id: from-config, scope: proxy, subject: default, measure: requests, window: hour, max: 50 }"), { clock, dir: first.dir });
  try {
    const ids = ((await second.admin("/limits")).body.data as Array<{ id: string; max: number }>).map((l) => `${l.id}:${l.max}`).sort();
    assert.deepEqual(ids, ["from-config:50", "made-by-api:5000"]);
  } finally {
    await second.stop();
  }
});

test("openapi.yaml documents the limits API and the limit in error bodies", () => {
  const spec = parseYaml(readFileSync(new URL("../openapi.yaml", import.meta.url), "utf8")) as { paths: Record<string, Record<string, unknown>>; components: { schemas: Record<string, any> } };
  assert.deepEqual(Object.keys(spec.paths["/api/limits"]).sort(), ["get", "post"]);
  assert.deepEqual(Object.keys(spec.paths["/api/limits/{id}"]).filter((k) => k !== "parameters").sort(), ["delete", "get", "patch", "put"]);
  assert.deepEqual(spec.components.schemas.LimitScope.enum, ["proxy", "virtualKey", "oauthClient", "user", "externalAgent"]);
  assert.equal(spec.components.schemas.OpenAIError.properties.error.properties.limit.$ref, "#/components/schemas/LimitDetails");
});
