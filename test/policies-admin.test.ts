import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse as parseYaml } from "yaml";
import { loadConfig } from "../src/config/load-config.ts";
import { ADMIN_TOKEN, startTestProxy } from "./helpers/start-proxy.ts";
import { ROUTES } from "./policies-routes.ts";
import { EXFILTRATE, latestRow, startPolicyFixture, TRIFECTA, type PolicyFixture } from "./policies-support.ts";

let f: PolicyFixture;
before(async () => {
  f = await startPolicyFixture();
});
after(() => f.close());

const route = ROUTES.find((r) => r.name === "router chat → openai")!;
const WEATHER = { calls: [{ id: "w1", name: "get_weather", args: { city: "Oslo" } }] };
const PLAIN = { user: "Weather in Oslo?", steps: [] };

async function api(method: string, path: string, body?: unknown, token = ADMIN_TOKEN) {
  const res = await fetch(f.url(`/api${path}`), {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body !== undefined && { "content-type": "application/json" }) },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

/** Whether a get_weather call in a plain conversation reaches the client now. */
async function weatherAllowed(): Promise<boolean> {
  route.upstream(f).enqueue(route.answer(WEATHER, false));
  return (await route.send(f, PLAIN, false)).calls.length === 1;
}

describe("admin API: /api/proxies/:proxyId/policies", () => {
  test("the whole set: settings and both lists in the order they are tried, with ids and sources", async () => {
    const { status, body } = await api("GET", "/proxies/default/policies");
    assert.equal(status, 200);
    assert.equal(body.proxyId, "default");
    assert.equal(body.contextUntrusted, false);
    assert.deepEqual(body.guardrails, { secrets: "off", pii: "off", restore: false });
    assert.deepEqual(body.trustedData.map((p: { id: string }) => p.id), ["inbox", "weather", "intranet", "env-files", "files"]);
    assert.deepEqual(body.toolInvocation.map((p: { id: string; position: number }) => [p.id, p.position]), [
      ["mail-untrusted", 0],
      ["internal-mail", 1],
      ["no-deal-talk", 2],
      ["no-delete", 3],
      ["weather-any", 4],
    ]);
    assert.deepEqual(body.trustedData[2], {
      kind: "trustedData",
      id: "intranet",
      proxyId: "default",
      tool: "fetch_url",
      when: [{ path: "url", op: "startsWith", value: "https://intranet/" }],
      action: "mark_as_trusted",
      position: 2,
      source: "config",
      createdAt: body.trustedData[2].createdAt,
      updatedAt: body.trustedData[2].updatedAt,
    });
    assert.equal((await api("GET", "/proxies/strict/policies")).body.contextUntrusted, true);
    assert.equal((await api("GET", "/proxies/nope/policies")).status, 404);
    assert.equal((await api("GET", "/proxies/default/policies", undefined, "wrong-token")).status, 401);
  });

  test("create, show, change, replace and delete a rule: each change applies to the next request", async () => {
    assert.equal(await weatherAllowed(), true);
    const created = await api("POST", "/proxies/default/policies/tool-invocation", { tool: "get_weather", action: "block_always", reason: "no weather today" });
    assert.equal(created.status, 201);
    assert.equal(created.body.id, "default.toolInvocation.get_weather", "an id derived like the config's");
    assert.equal(created.body.position, 5, "after the last rule");
    assert.equal(created.body.source, "api");
    assert.equal(await weatherAllowed(), false);
    assert.equal(JSON.parse((await latestRow(f.proxy)).decisions!).at(-1).policyId, "default.toolInvocation.get_weather");

    const id = created.body.id;
    assert.deepEqual((await api("GET", `/proxies/default/policies/tool-invocation/${id}`)).body, created.body);
    assert.equal((await api("GET", `/proxies/default/policies/trusted-data/${id}`)).status, 404, "a tool-invocation rule is not in the trusted-data list");
    assert.equal((await api("GET", `/proxies/strict/policies/tool-invocation/${id}`)).status, 404, "nor another proxy's");

    const patched = await api("PATCH", `/proxies/default/policies/tool-invocation/${id}`, { when: [{ path: "city", op: "equal", value: "Oslo" }], reason: null });
    assert.equal(patched.status, 200);
    assert.deepEqual(patched.body.when, [{ path: "city", op: "equal", value: "Oslo" }]);
    assert.equal(patched.body.reason, undefined);
    assert.equal(patched.body.action, "block_always");
    assert.equal(await weatherAllowed(), false, "Oslo matches the condition");

    const replaced = await api("PUT", `/proxies/default/policies/tool-invocation/${id}`, { tool: "get_weather", when: [{ path: "city", op: "equal", value: "Bergen" }], action: "block_always" });
    assert.equal(replaced.status, 200);
    assert.equal(replaced.body.position, 5, "PUT without a position keeps the rule's place");
    assert.equal(await weatherAllowed(), true, "Oslo no longer matches");

    assert.equal((await api("DELETE", `/proxies/default/policies/tool-invocation/${id}`)).status, 204);
    assert.equal((await api("DELETE", `/proxies/default/policies/tool-invocation/${id}`)).status, 404);
  });

  test("bad rules are refused with the field at fault; taken ids with 409", async () => {
    const badRegex = await api("POST", "/proxies/default/policies/trusted-data", { tool: "t", when: [{ path: "a", op: "regex", value: "(a)\\1" }], action: "mark_as_trusted" });
    assert.equal(badRegex.status, 400);
    assert.equal(badRegex.body.error.param, "when[0].value");
    assert.match(badRegex.body.error.message, /invalid regular expression/);
    const wrongKind = await api("POST", "/proxies/default/policies/trusted-data", { tool: "t", action: "block_when_context_is_untrusted" });
    assert.equal(wrongKind.status, 400);
    assert.equal(wrongKind.body.error.param, "action");
    const several = await api("POST", "/proxies/default/policies/tool-invocation", { tool: "", action: "nope", extra: 1, when: [{ path: "a[", op: "equal", value: "x" }] });
    assert.deepEqual(several.body.error.details.map((d: { param: string }) => d.param).sort(), ["action", "extra", "tool", "when[0].path"]);
    assert.equal((await api("POST", "/proxies/default/policies/tool-invocation", { id: "no-delete", tool: "x", action: "block_always" })).status, 409);
    assert.equal((await api("POST", "/proxies/nope/policies/tool-invocation", { tool: "x", action: "block_always" })).status, 404);
  });

  test("lists are paginated in the order rules are tried", async () => {
    for (const tool of ["a", "b", "c"]) assert.equal((await api("POST", "/proxies/strict/policies/trusted-data", { tool, action: "mark_as_trusted" })).status, 201);
    assert.equal((await api("POST", "/proxies/strict/policies/trusted-data", { tool: "first", action: "mark_as_untrusted", position: 0, id: "zz-first" })).status, 201);
    const page1 = await api("GET", "/proxies/strict/policies/trusted-data?limit=2");
    assert.deepEqual(page1.body.data.map((p: { tool: string }) => p.tool), ["a", "first"], "position 0 twice: by id");
    const page2 = await api("GET", `/proxies/strict/policies/trusted-data?limit=2&cursor=${page1.body.next_cursor}`);
    assert.deepEqual(page2.body.data.map((p: { tool: string }) => p.tool), ["b", "c"]);
    assert.equal(page2.body.next_cursor, null);
    assert.equal((await api("GET", "/proxies/strict/policies/trusted-data?limit=0")).status, 400);
  });

  test("settings: PATCH changes what it names, PUT sets the whole; the taint follows at once", async () => {
    route.upstream(f).enqueue(route.answer(EXFILTRATE, false));
    assert.equal((await route.send(f, PLAIN, false)).calls.length, 1);
    const patched = await api("PATCH", "/proxies/default/policies/settings", { contextUntrusted: true, guardrails: { pii: "log" } });
    assert.deepEqual(patched.body, { proxyId: "default", contextUntrusted: true, guardrails: { secrets: "off", pii: "log", restore: false }, source: "api" });
    route.upstream(f).enqueue(route.answer(EXFILTRATE, false));
    assert.equal((await route.send(f, PLAIN, false)).calls.length, 0);
    assert.equal(JSON.parse((await latestRow(f.proxy)).taint!).source, "proxy");
    const put = await api("PUT", "/proxies/default/policies/settings", { guardrails: { secrets: "block" } });
    assert.deepEqual(put.body.guardrails, { secrets: "block", pii: "off", restore: false });
    assert.equal(put.body.contextUntrusted, false);
    assert.equal((await api("PATCH", "/proxies/default/policies/settings", { guardrails: { secrets: "shred" } })).body.error.param, "guardrails.secrets");
    await api("PUT", "/proxies/default/policies/settings", {});
  });
});

describe("config: the policies section", () => {
  const dir = mkdtempSync(join(tmpdir(), "portcullis-policy-config-"));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const loadError = async (yaml: string) => {
    const file = join(dir, "bad.yaml");
    writeFileSync(file, yaml);
    return loadConfig({ argv: ["--config", file], env: {} }).then(
      () => "loaded",
      (err: Error) => err.message,
    );
  };

  test("mistakes name the field", async () => {
    assert.match(await loadError("policies: [{ proxy: default, toolInvocation: [{ tool: t, action: mark_as_trusted }] }]"), /policies\[0\]\.toolInvocation\[0\]\.action: Invalid option/);
    assert.match(await loadError('policies: [{ proxy: default, trustedData: [{ tool: t, when: [{ path: x, op: regex, value: "(?<=a)b" }], action: mark_as_trusted }] }]'), /policies\[0\]\.trustedData\[0\]\.when\[0\]\.value: invalid regular expression/);
    assert.match(await loadError("policies: [{ proxy: default, trustedData: [{ tool: t, when: [{ path: 'a..b', op: equal, value: x }], action: mark_as_trusted }] }]"), /when\[0\]\.path: expected a key at position 2 of path 'a\.\.b'/);
    assert.match(await loadError("policies: [{ proxy: default, guardrails: { secrets: maybe } }]"), /policies\[0\]\.guardrails\.secrets/);
    assert.match(await loadError("policies: [{ proxy: default, toolInvocation: [{ tool: t, action: block_always, colour: red }] }]"), /toolInvocation\[0\]\.colour: unknown field/);
    assert.match(await loadError("policies: [{ proxy: a }, { proxy: a }]"), /policies\[1\]\.proxy: proxy 'a' already has its policies in policies\[0\]/);
  });

  test("a policy for a proxy that does not exist stops the start", async () => {
    await assert.rejects(startTestProxy("policies: [{ proxy: ghost, toolInvocation: [{ tool: t, action: block_always }] }]"), /policies\[0\]\.proxy: unknown proxy 'ghost'/);
  });
});

test("openapi.yaml documents the policies API", () => {
  const spec = parseYaml(readFileSync(new URL("../openapi.yaml", import.meta.url), "utf8")) as { paths: Record<string, Record<string, unknown>>; components: { schemas: Record<string, { properties?: Record<string, { enum?: string[] }> }> } };
  const expected: Record<string, string[]> = {
    "/api/proxies/{proxyId}/policies": ["get"],
    "/api/proxies/{proxyId}/policies/settings": ["get", "put", "patch"],
    "/api/proxies/{proxyId}/policies/trusted-data": ["get", "post"],
    "/api/proxies/{proxyId}/policies/trusted-data/{id}": ["get", "put", "patch", "delete"],
    "/api/proxies/{proxyId}/policies/tool-invocation": ["get", "post"],
    "/api/proxies/{proxyId}/policies/tool-invocation/{id}": ["get", "put", "patch", "delete"],
  };
  for (const [path, methods] of Object.entries(expected)) for (const m of methods) assert.ok(spec.paths[path]?.[m], `${m.toUpperCase()} ${path} is documented`);
  assert.deepEqual(spec.components.schemas.PolicyCondition.properties?.op.enum, ["equal", "notEqual", "contains", "notContains", "startsWith", "endsWith", "regex"]);
});
