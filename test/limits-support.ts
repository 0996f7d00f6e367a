import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "../src/config/load-config.ts";
import { startPortcullis, type Portcullis } from "../src/portcullis.ts";
import { sleep } from "./fake-upstreams/fake-reply.ts";
import { startTestServer, type TestServer } from "./helpers/http-server.ts";
import { ADMIN_TOKEN } from "./helpers/start-proxy.ts";
import { createPostgresDatabase, type PostgresTestDatabase } from "./helpers/test-databases.ts";

export const LIMIT_KEY = "pk-test-limits-0123456789abcdefghijklmnopqr";
export const OTHER_KEY = "pk-test-limits-other-0123456789abcdefghijkl";
export { ADMIN_TOKEN };

/** A clock the test moves by hand: windows end when the test says so. */
export class FakeClock {
  t: number;
  constructor(iso: string) {
    this.t = Date.parse(iso);
  }
  now = (): number => this.t;
  advance(ms: number): void {
    this.t += ms;
  }
  set(iso: string): void {
    this.t = Date.parse(iso);
  }
}

export interface LimitProxy extends Portcullis {
  dir: string;
  /** Stops the proxy; keeps its directory (and SQLite database) when `keep` is set. */
  stop(keep?: boolean): Promise<void>;
  admin(path: string, init?: { method?: string; body?: unknown }): Promise<{ status: number; body: any; headers: Headers }>;
}

export interface LimitProxyOptions {
  /** Reuse a directory (and its database) from an earlier run. */
  dir?: string;
  clock?: FakeClock;
  env?: NodeJS.ProcessEnv;
  /** A PostgreSQL URL instead of the SQLite file in `dir`. */
  databaseUrl?: string;
}

/**
 * Starts Portcullis in-process with the given YAML (the database section is filled in) and, when
 * given, a hand-moved clock for the limit windows.
 */
export async function startLimitProxy(yaml: string, options: LimitProxyOptions = {}): Promise<LimitProxy> {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), "portcullis-limits-"));
  const file = join(dir, "portcullis.yaml");
  const database = options.databaseUrl ?? `sqlite:${join(dir, "test.db")}`;
  writeFileSync(file, `database: { url: "${database}" }\n${yaml}`);
  const env = { PORTCULLIS_SECRET: "test-secret", PORTCULLIS_ADMIN_TOKEN: ADMIN_TOKEN, ...options.env };
  const config = await loadConfig({ argv: ["--config", file], env });
  const app = await startPortcullis({ config, env, port: 0, keyFile: join(dir, "secret.key"), ...(options.clock && { clock: options.clock.now }) });
  return {
    ...app,
    dir,
    async stop(keep = false) {
      await app.close(1000);
      if (!keep) rmSync(dir, { recursive: true, force: true });
    },
    async admin(path, init = {}) {
      const res = await fetch(`${app.url}/api${path}`, {
        method: init.method ?? "GET",
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, ...(init.body !== undefined && { "content-type": "application/json" }) },
        ...(init.body !== undefined && { body: JSON.stringify(init.body) }),
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
    },
  };
}

export interface MeteredUpstream extends TestServer {
  /** Usage every answer reports (prompt and completion tokens). */
  usage: { prompt: number; completion: number };
  /** Milliseconds each answer waits before it is written (to keep a burst in flight together). */
  delayMs: number;
  /** Answers still to come with this HTTP status and an OpenAI error body instead. */
  failNext: number;
  /** Streams cut after the first content chunk, without usage. */
  cutStreams: boolean;
  /** Answers without a usage object. */
  omitUsage: boolean;
  /** Usage reported by the answers it gave, in order. */
  answered: Array<{ prompt: number; completion: number }>;
}

/**
 * An OpenAI-wire upstream (`/v1/chat/completions`, stream or not) whose answers report the usage
 * the test sets, so what a limit must count is known exactly.
 */
export async function startMeteredUpstream(usage = { prompt: 20, completion: 10 }): Promise<MeteredUpstream> {
  let up: MeteredUpstream;
  const server = await startTestServer(async (req, res) => {
    const body = JSON.parse(req.body || "{}") as { model?: string; stream?: boolean };
    if (up.delayMs) await sleep(up.delayMs);
    if (up.failNext > 0) {
      up.failNext--;
      res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: { message: "The server had an error", type: "server_error", param: null, code: null } }));
      return;
    }
    const u = { ...up.usage };
    const usageBody = { prompt_tokens: u.prompt, completion_tokens: u.completion, total_tokens: u.prompt + u.completion };
    const model = body.model ?? "unknown";
    if (!body.stream) {
      up.answered.push(u);
      res.writeHead(200, { "content-type": "application/json" });
      res.end(
        JSON.stringify({
          id: "chatcmpl-metered",
          object: "chat.completion",
          created: 1,
          model,
          choices: [{ index: 0, message: { role: "assistant", content: "metered answer" }, finish_reason: "stop" }],
          ...(!up.omitUsage && { usage: usageBody }),
        }),
      );
      return;
    }
    res.writeHead(200, { "content-type": "text/event-stream" });
    const frame = (delta: unknown, finish: string | null) =>
      `data: ${JSON.stringify({ id: "chatcmpl-metered", object: "chat.completion.chunk", created: 1, model, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
    res.write(frame({ role: "assistant", content: "" }, null));
    res.write(frame({ content: "x".repeat(300) }, null));
    if (up.cutStreams) {
      await sleep(30);
      res.socket?.destroy();
      return;
    }
    res.write(frame({}, "stop"));
    if (!up.omitUsage) res.write(`data: ${JSON.stringify({ id: "chatcmpl-metered", object: "chat.completion.chunk", created: 1, model, choices: [], usage: usageBody })}\n\n`);
    res.write("data: [DONE]\n\n");
    up.answered.push(u);
    res.end();
  });
  up = Object.assign(server, { usage, delayMs: 0, failNext: 0, cutStreams: false, omitUsage: false, answered: [] });
  return up;
}

/** A chat request through the model router with a virtual key, as raw fetch (headers and body checked). */
export async function chat(proxyUrl: string, options: { key?: string; model?: string; maxTokens?: number; headers?: Record<string, string>; text?: string; stream?: boolean; proxyId?: string } = {}) {
  const res = await fetch(`${proxyUrl}/v1/model-router/${options.proxyId ?? "default"}/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${options.key ?? LIMIT_KEY}`, "content-type": "application/json", ...options.headers },
    body: JSON.stringify({
      model: options.model ?? "openai:metered-model",
      messages: [{ role: "user", content: options.text ?? "hi" }],
      ...(options.maxTokens !== undefined && { max_tokens: options.maxTokens }),
      ...(options.stream && { stream: true, stream_options: { include_usage: true } }),
    }),
  });
  const text = await res.text();
  let body: any;
  try {
    body = JSON.parse(text);
  } catch {
    body = text;
  }
  return { status: res.status, headers: res.headers, body };
}

/** The YAML of a proxy on one metered upstream, with a price of 1 USD a token for its model (cost = tokens). */
export function meteredYaml(upstreamUrl: string, limits: string, extra = ""): string {
  return `
credentials:
  - { id: openai-main, provider: openai, apiKey: sk-upstream, baseUrl: "${upstreamUrl}/v1" }
proxies:
  - { id: default, name: Default, credentials: { openai: openai-main } }
  - { id: team-b, name: Team B, credentials: { openai: openai-main } }
virtualKeys:
  - { name: app, key: "${LIMIT_KEY}", proxies: [default, team-b], credentials: { openai: openai-main } }
  - { name: other, key: "${OTHER_KEY}", proxies: [default, team-b], credentials: { openai: openai-main } }
observability:
  prices:
    "openai:metered-model": { input: 1000000, output: 1000000 }
    "openai:cheap-model": { input: 1, output: 1 }
limits:
${limits}
${extra}`;
}

const REDIS_URL = process.env.REDIS_URL || "redis://127.0.0.1:6379";

export type TestDatabase = PostgresTestDatabase;

/** A fresh PostgreSQL database for this run (dropped by `drop`), or why there is none — said loudly. */
export function createTestDatabase(): Promise<TestDatabase> {
  return createPostgresDatabase("limit");
}

/** A Redis URL and a key prefix of this run's own (its keys deleted by `drop`), or why there is none — said loudly. */
export async function createTestRedis(): Promise<{ url?: string; prefix: string; skip?: string; drop(): Promise<void> }> {
  const prefix = `portcullis-test:${process.pid}:${randomBytes(4).toString("hex")}:`;
  const { Redis } = await import("ioredis");
  const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 2000, retryStrategy: () => null });
  redis.on("error", () => {});
  try {
    await redis.connect();
  } catch (err) {
    redis.disconnect();
    const skip = `Redis not reachable at ${REDIS_URL} (${(err as Error).message})`;
    process.stderr.write(`\n!!!!!!!! WARNING: ${skip}: the Redis limit tests are SKIPPED !!!!!!!!\n\n`);
    return { prefix, skip, drop: async () => {} };
  }
  return {
    url: REDIS_URL,
    prefix,
    async drop() {
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length > 0) await redis.del(...keys);
      await redis.quit();
    },
  };
}
