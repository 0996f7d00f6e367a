/**
 * npm run bench — added latency and CPU cost of the proxy against going direct, same run.
 *
 * Starts the fake upstream and the proxy (`node src/main.ts`) as separate processes, then per
 * lane: latency at concurrency 1 (p50/p99, direct and through the proxy, so "added" is the
 * difference), throughput at concurrency 32, and the proxy process's CPU time per request.
 * BENCH_SCALE=0.2 for a quick look. BENCH_OBSERVABILITY=compare runs two proxies side by side,
 * lane by lane: one with observability off (PORTCULLIS_OBSERVABILITY=off: no log row, metric or
 * span) and one with all of it on (bodies logged, metrics, OTLP tracing to a local collector),
 * and reports the difference. BENCH_POLICIES=compare: a proxy without policies against one with
 * ten policies and every guardrail on (bench/policies-config.ts).
 */
import { fork, spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, writeFileSync, rmSync } from "node:fs";
import { createServer as createHttpServer } from "node:http";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { runLoad, type LoadResult } from "./load.ts";
import { processCpuMicros } from "./proc-cpu.ts";
import { LANES, type Lane } from "./lanes.ts";
import { TEN_POLICIES_ALL_GUARDRAILS } from "./policies-config.ts";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const scale = Number(process.env.BENCH_SCALE ?? 1);
const LATENCY_N = Math.round(2000 * scale);
const THROUGHPUT_N = Math.round(10000 * scale);
const VIRTUAL_KEY = "pk-bench-0123456789abcdefghijklmnopqrstuvwxyzABCD";
const CLIENT_SECRET = "bench-client-secret-0123456789abcdef";

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

async function startUpstream(): Promise<{ child: ChildProcess; urls: Record<string, string> }> {
  const child = fork(join(root, "bench/fake-upstream-server.ts"), { stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const urls = await new Promise<Record<string, string>>((resolve) => child.once("message", (m) => resolve(m as Record<string, string>)));
  return { child, urls };
}

async function startProxy(dir: string, urls: Record<string, string>, env: Record<string, string> = {}, extraYaml: readonly string[] = []): Promise<{ child: ChildProcess; url: string }> {
  const port = await freePort();
  const config = join(dir, `portcullis-${port}.yaml`);
  writeFileSync(
    config,
    [
      `server: { port: ${port}, host: 127.0.0.1 }`,
      `database: { url: "sqlite:${join(dir, `bench-${port}.db`)}" }`,
      "credentials:",
      `  - { id: openai-bench, provider: openai, apiKey: sk-bench, baseUrl: "${urls.openai}/v1" }`,
      `  - { id: groq-bench, provider: groq, apiKey: gsk-bench, baseUrl: "${urls.openai}/openai/v1" }`,
      `  - { id: anthropic-bench, provider: anthropic, apiKey: sk-ant-bench, baseUrl: "${urls.anthropic}" }`,
      `  - { id: gemini-bench, provider: gemini, apiKey: AIza-bench, baseUrl: "${urls.gemini}" }`,
      `  - { id: bedrock-bench, provider: bedrock, apiKey: ABSK-bench, baseUrl: "${urls.bedrock}", options: { region: us-east-1 } }`,
      "proxies:",
      "  - { id: default, name: Default }",
      "virtualKeys:",
      `  - { name: bench, key: "${VIRTUAL_KEY}", proxies: [default], credentials: { openai: openai-bench, groq: groq-bench, anthropic: anthropic-bench, gemini: gemini-bench, bedrock: bedrock-bench } }`,
      "oauthClients:",
      `  - { clientId: bench-bot, clientSecret: "${CLIENT_SECRET}", proxies: [default], credentials: { openai: openai-bench, groq: groq-bench } }`,
      ...extraYaml,
    ].join("\n"),
  );
  const child = spawn(process.execPath, [join(root, "src/main.ts"), "--config", config], {
    cwd: dir,
    env: { ...process.env, PORTCULLIS_SECRET: "bench-secret-0123456789", PORTCULLIS_ADMIN_TOKEN: "bench-admin-token-0123456789", ...env },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const url = `http://127.0.0.1:${port}`;
  let exited = false;
  child.once("exit", () => (exited = true));
  for (let i = 0; i < 200 && !exited; i++) {
    try {
      if ((await fetch(`${url}/healthz`)).ok) return { child, url };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error("the proxy did not start");
}

/** A fresh access token for the bench client (client credentials, client_secret_basic). */
async function accessToken(proxyUrl: string): Promise<string> {
  const res = await fetch(`${proxyUrl}/oauth/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", authorization: `Basic ${Buffer.from(`bench-bot:${CLIENT_SECRET}`).toString("base64")}` },
    body: "grant_type=client_credentials",
  });
  const body = (await res.json()) as { access_token?: string };
  if (!body.access_token) throw new Error(`the bench could not get an access token: ${JSON.stringify(body)}`);
  return body.access_token;
}

interface LaneResult {
  lane: Lane;
  direct: LoadResult;
  proxy: LoadResult;
  directTput: LoadResult;
  proxyTput: LoadResult;
  cpuPerReq: number;
}

async function benchLane(lane: Lane, proxyUrl: string, urls: Record<string, string>, proxyPid: number): Promise<LaneResult> {
  const direct = { url: urls[lane.upstream], path: lane.directPath, body: JSON.stringify(lane.directBody), headers: { authorization: "Bearer sk-bench", ...lane.directHeaders } };
  const key = lane.auth === "oauth" ? await accessToken(proxyUrl) : VIRTUAL_KEY;
  const viaProxy = { url: proxyUrl, path: lane.proxyPath, body: JSON.stringify(lane.proxyBody), headers: { authorization: `Bearer ${key}`, ...lane.proxyHeaders } };
  // Warm up: V8 needs several thousand requests before the hot path is optimised and stable.
  await runLoad({ ...viaProxy, concurrency: 8, requests: Math.max(2000, Math.round(6000 * scale)) });
  await runLoad({ ...direct, concurrency: 8, requests: Math.round(500 * scale) });
  const d = await runLoad({ ...direct, concurrency: 1, requests: LATENCY_N });
  const p = await runLoad({ ...viaProxy, concurrency: 1, requests: LATENCY_N });
  const dt = await runLoad({ ...direct, concurrency: 32, requests: THROUGHPUT_N });
  const cpu0 = processCpuMicros(proxyPid);
  const pt = await runLoad({ ...viaProxy, concurrency: 32, requests: THROUGHPUT_N });
  const cpuPerReq = (processCpuMicros(proxyPid) - cpu0) / THROUGHPUT_N;
  return { lane, direct: d, proxy: p, directTput: dt, proxyTput: pt, cpuPerReq };
}

const f = (n: number) => n.toFixed(3).padStart(7);
function report(results: LaneResult[]): void {
  console.log(`\nPortcullis bench — ${new Date().toISOString()} — node ${process.version}, latency n=${LATENCY_N} at c=1, throughput n=${THROUGHPUT_N} at c=32`);
  console.log("lane                                   | direct p50   p99 | proxy p50    p99 | added p50    p99 | added TTFB p50 | rps direct  proxy | proxy CPU/req");
  for (const r of results) {
    const added50 = r.proxy.p50 - r.direct.p50;
    const added99 = r.proxy.p99 - r.direct.p99;
    const ttfb = r.proxy.ttfb50 - r.direct.ttfb50;
    console.log(
      `${r.lane.name.padEnd(38)} | ${f(r.direct.p50)} ${f(r.direct.p99)} | ${f(r.proxy.p50)} ${f(r.proxy.p99)} | ${f(added50)} ${f(added99)} | ${f(ttfb).padStart(14)} | ${r.directTput.rps.toFixed(0).padStart(10)} ${r.proxyTput.rps.toFixed(0).padStart(6)} | ${r.cpuPerReq.toFixed(0).padStart(9)} µs`,
    );
  }
  console.log("(ms unless noted; added = proxy − direct in the same run; CPU = proxy process user+sys time / requests at c=32)");
}

const dir = mkdtempSync(join(tmpdir(), "portcullis-bench-"));
const upstream = await startUpstream();
const policiesCompare = process.env.BENCH_POLICIES === "compare";
const compare = process.env.BENCH_OBSERVABILITY === "compare" && !policiesCompare;
/** The OTLP collector the "on" proxy exports to: it answers 200 and counts what it got. */
let exports = 0;
const collector = createHttpServer((req, res) => {
  req.resume();
  req.on("end", () => {
    exports++;
    res.writeHead(200, { "content-type": "application/json" });
    res.end("{}");
  });
});
if (compare) await new Promise<void>((resolve) => collector.listen(0, "127.0.0.1", resolve));
const modes: Array<{ name: string; env: Record<string, string>; yaml?: readonly string[] }> = policiesCompare
  ? [
      { name: "no policies, guardrails off", env: {} },
      { name: "ten policies, every guardrail on", env: {}, yaml: TEN_POLICIES_ALL_GUARDRAILS },
    ]
  : compare
  ? [
      { name: "observability off", env: { PORTCULLIS_OBSERVABILITY: "off" } },
      { name: "observability on (bodies, metrics, tracing)", env: { OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${(collector.address() as { port: number }).port}` } },
    ]
  : [{ name: "", env: {} }];
const proxies: Array<{ child: ChildProcess; url: string }> = [];
try {
  for (const m of modes) proxies.push(await startProxy(dir, upstream.urls, m.env, m.yaml));
  const only = process.argv[2];
  const results: LaneResult[][] = modes.map(() => []);
  for (const lane of LANES) {
    if (only && !lane.name.includes(only)) continue;
    // Lane by lane, mode after mode: drift on the machine hits both alike.
    for (const [i, p] of proxies.entries()) results[i].push(await benchLane(lane, p.url, upstream.urls, p.child.pid!));
  }
  for (const [i, m] of modes.entries()) {
    if (m.name) console.log(`\n== ${m.name}`);
    report(results[i]);
  }
  if (policiesCompare) {
    console.log("\nSecurity pipeline cost (ten policies + guardrails − none, same run)");
    console.log("lane                                   | proxy p50 none   on   diff | proxy p99 none   on   diff | CPU/req none   on  diff");
    for (const [j, off] of results[0].entries()) {
      const on = results[1][j];
      console.log(
        `${off.lane.name.padEnd(38)} | ${f(off.proxy.p50)} ${f(on.proxy.p50)} ${f(on.proxy.p50 - off.proxy.p50)} | ${f(off.proxy.p99)} ${f(on.proxy.p99)} ${f(on.proxy.p99 - off.proxy.p99)} | ${off.cpuPerReq.toFixed(0).padStart(6)} ${on.cpuPerReq.toFixed(0).padStart(4)} ${(on.cpuPerReq - off.cpuPerReq).toFixed(0).padStart(5)} µs`,
      );
    }
  }
  if (compare) {
    console.log(`\nObservability cost (on − off, same run; the collector received ${exports} OTLP export request(s))`);
    console.log("lane                                   | proxy p50 off    on   diff | proxy p99 off    on   diff | CPU/req off   on  diff");
    for (const [j, off] of results[0].entries()) {
      const on = results[1][j];
      console.log(
        `${off.lane.name.padEnd(38)} | ${f(off.proxy.p50)} ${f(on.proxy.p50)} ${f(on.proxy.p50 - off.proxy.p50)} | ${f(off.proxy.p99)} ${f(on.proxy.p99)} ${f(on.proxy.p99 - off.proxy.p99)} | ${off.cpuPerReq.toFixed(0).padStart(6)} ${on.cpuPerReq.toFixed(0).padStart(4)} ${(on.cpuPerReq - off.cpuPerReq).toFixed(0).padStart(5)} µs`,
      );
    }
  }
} finally {
  for (const p of proxies) p.child.kill("SIGTERM");
  // The proxies flush their spans on the way out: the collector and upstream stay until they exited.
  await Promise.all(proxies.map((p) => new Promise((r) => (p.child.exitCode !== null ? r(null) : p.child.once("exit", r)))));
  upstream.child.kill("SIGTERM");
  collector.close();
  rmSync(dir, { recursive: true, force: true });
}
