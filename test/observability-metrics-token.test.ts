import assert from "node:assert/strict";
import { test } from "node:test";
import { startTestProxy } from "./helpers/start-proxy.ts";

const TOKEN = "metrics-token-0123456789abcdef";

test("with a metrics token, /metrics wants it as a bearer token; without one it stays open", async () => {
  const guarded = await startTestProxy(`observability: { metrics: { token: "${TOKEN}" } }\n`);
  const open = await startTestProxy("");
  try {
    const none = await fetch(`${guarded.url}/metrics`);
    assert.equal(none.status, 401);
    assert.equal(none.headers.get("www-authenticate"), 'Bearer realm="metrics"');
    assert.equal(((await none.json()) as { error: { code: string } }).error.code, "invalid_metrics_token");
    const wrong = await fetch(`${guarded.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}x` } });
    assert.equal(wrong.status, 401);
    const right = await fetch(`${guarded.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    assert.equal(right.status, 200);
    assert.match(await right.text(), /process_cpu_user_seconds_total/);
    assert.equal((await fetch(`${guarded.url}/healthz`)).status, 200, "health checks stay open");
    assert.equal((await fetch(`${open.url}/metrics`)).status, 200);
  } finally {
    await guarded.stop();
    await open.stop();
  }
});

test("PORTCULLIS_METRICS_TOKEN sets the token; a short one stops the start naming the variable", async () => {
  const proxy = await startTestProxy("", { PORTCULLIS_METRICS_TOKEN: TOKEN });
  try {
    assert.equal((await fetch(`${proxy.url}/metrics`)).status, 401);
    assert.equal((await fetch(`${proxy.url}/metrics`, { headers: { authorization: `bearer ${TOKEN}` } })).status, 200);
  } finally {
    await proxy.stop();
  }
  await assert.rejects(startTestProxy("", { PORTCULLIS_METRICS_TOKEN: "short" }), /PORTCULLIS_METRICS_TOKEN: use at least 16 characters/);
});
