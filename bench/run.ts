/**
 * npm run bench — added latency and CPU cost of the proxy against going direct, same run.
 *
 * Starts the fake upstream and the proxy (`node src/main.ts`) as separate processes, then per
 * lane: latency at concurrency 1 (p50/p99, direct and through the proxy, so "added" is the
 * difference), throughput at concurrency 32, and the proxy process's CPU time per request.
 * BENCH_SCALE=0.2 for a quick look.
 *
 * Compare modes run two proxies side by side, lane by lane, and report the difference:
 * BENCH_OBSERVABILITY=compare, observability off (PORTCULLIS_OBSERVABILITY=off: no log row,
 * metric or span) against all of it on (bodies logged, metrics, OTLP tracing to a local
 * collector); BENCH_POLICIES=compare, no policies against ten policies and every guardrail on
 * (bench/policies-config.ts); BENCH_LIMITS=compare, no limits against five limits applying to
 * each request (bench/limits-config.ts). Their latency difference comes from a paired run (one
 * request to each proxy in turn), so drift on the machine cannot pass for a difference.
 */
import { fork, spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, writeFileSync, rmSync } from "node:fs";
import { createServer as createHttpServer } from "node:http";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { runLoad, runPaired, type LoadResult, type Target } from "./load.ts";
import { processCpuMicros } from "./proc-cpu.ts";
import { LANES, type Lane } from "./lanes.ts";
import { FIVE_LIMITS } from "./limits-config.ts";
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
  /** The proxy's request, as the latency runs send it. */
  viaProxy: Target;
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
  return { lane, viaProxy, direct: d, proxy: p, directTput: dt, proxyTput: pt, cpuPerReq };
}

const f = (n: number) => n.toFixed(3).padStart(7);
function report(results: LaneResult[]): void {
  console.log(`\nPortcullis bench — ${new Date().toISOString()} — node ${process.version}, latency n=${LATENCY_N} at c=1, throughput n=${THROUGHPUT_N} at c=32`);
  console.log("lane                                      | direct p50   p99 | proxy p50    p99 | added p50    p99 | added TTFB p50 | rps direct  proxy | proxy CPU/req");
  for (const r of results) {
    const added50 = r.proxy.p50 - r.direct.p50;
    const added99 = r.proxy.p99 - r.direct.p99;
    const ttfb = r.proxy.ttfb50 - r.direct.ttfb50;
    console.log(
      `${r.lane.name.padEnd(41)} | ${f(r.direct.p50)} ${f(r.direct.p99)} | ${f(r.proxy.p50)} ${f(r.proxy.p99)} | ${f(added50)} ${f(added99)} | ${f(ttfb).padStart(14)} | ${r.directTput.rps.toFixed(0).padStart(10)} ${r.proxyTput.rps.toFixed(0).padStart(6)} | ${r.cpuPerReq.toFixed(0).padStart(9)} µs`,
    );
  }
  console.log("(ms unless noted; added = proxy − direct in the same run; CPU = proxy process user+sys time / requests at c=32)");
}

const dir = mkdtempSync(join(tmpdir(), "portcullis-bench-"));
const upstream = await startUpstream();
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
interface Mode {
  name: string;
  /** Its column heading in the comparison. */
  short: string;
  env: Record<string, string>;
  yaml?: readonly string[];
}
const collectorUrl = () => `http://127.0.0.1:${(collector.address() as { port: number }).port}`;
const COMPARISONS: Record<string, { title: () => string; modes: () => [Mode, Mode] }> = {
  BENCH_OBSERVABILITY: {
    title: () => `Observability cost (on − off; the collector received ${exports} OTLP export request(s))`,
    modes: () => [
      { name: "observability off", short: "off", env: { PORTCULLIS_OBSERVABILITY: "off" } },
      { name: "observability on (bodies, metrics, tracing)", short: "on", env: { OTEL_EXPORTER_OTLP_ENDPOINT: collectorUrl() } },
    ],
  },
  BENCH_POLICIES: {
    title: () => "Security pipeline cost (ten policies + every guardrail − none)",
    modes: () => [
      { name: "no policies, guardrails off", short: "none", env: {} },
      { name: "ten policies, every guardrail on", short: "on", env: {}, yaml: TEN_POLICIES_ALL_GUARDRAILS },
    ],
  },
  BENCH_LIMITS: {
    title: () => "Limits cost (five limits − none; the OAuth lane's caller has only the two proxy limits)",
    modes: () => [
      { name: "no limits", short: "none", env: {} },
      { name: "five limits on every request", short: "five", env: {}, yaml: FIVE_LIMITS },
    ],
  },
};
const comparison = Object.entries(COMPARISONS).find(([name]) => process.env[name] === "compare")?.[1];
if (comparison) await new Promise<void>((resolve) => collector.listen(0, "127.0.0.1", resolve));
const modes: Mode[] = comparison ? comparison.modes() : [{ name: "", short: "", env: {} }];
const proxies: Array<{ child: ChildProcess; url: string }> = [];
try {
  for (const m of modes) proxies.push(await startProxy(dir, upstream.urls, m.env, m.yaml));
  const only = process.argv[2];
  const results: LaneResult[][] = modes.map(() => []);
  const paired: LoadResult[][] = [];
  for (const lane of LANES) {
    if (only && !lane.name.includes(only)) continue;
    // Lane by lane, mode after mode: drift on the machine hits both alike.
    for (const [i, p] of proxies.entries()) results[i].push(await benchLane(lane, p.url, upstream.urls, p.child.pid!));
    if (comparison) paired.push(await runPaired(results.map((r) => r.at(-1)!.viaProxy), LATENCY_N));
  }
  for (const [i, m] of modes.entries()) {
    if (m.name) console.log(`\n== ${m.name}`);
    report(results[i]);
  }
  if (comparison) {
    const [a, b] = modes.map((m) => m.short.padStart(7));
    const cols = `${a} ${b}    diff`;
    console.log(`\n${comparison.title()}, same run; latency paired at c=1 (n=${LATENCY_N} each, alternating)`);
    console.log(`${"lane".padEnd(41)} | p50 ${cols} | p99 ${cols} | CPU/req µs ${cols}`);
    for (const [j, off] of results[0].entries()) {
      const on = results[1][j];
      const [p0, p1] = paired[j];
      const us = (n: number) => n.toFixed(0).padStart(7);
      console.log(
        `${off.lane.name.padEnd(41)} |     ${f(p0.p50)} ${f(p1.p50)} ${f(p1.p50 - p0.p50)} |     ${f(p0.p99)} ${f(p1.p99)} ${f(p1.p99 - p0.p99)} |            ${us(off.cpuPerReq)} ${us(on.cpuPerReq)} ${us(on.cpuPerReq - off.cpuPerReq)}`,
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
