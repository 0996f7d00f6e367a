import { Redis } from "ioredis";
import type { Claim, ClaimOutcome, CounterRow, CounterStore } from "./counter-store.ts";

/**
 * All-or-nothing claim, atomic because Redis runs a script alone. KEYS: one hash per claim (a
 * limit's window; fields are subjects). ARGV: per claim subject, cap, amount, time to live (ms,
 * 0 = forever). Returns {1, used…} after reserving, or {0, used…, failed index…} having changed
 * nothing. The admission rule is `fits` in counter-store.ts.
 */
const CLAIM = `
local n = #KEYS
local used = {}
local failed = {}
for i = 1, n do
  local b = (i - 1) * 4
  local u = tonumber(redis.call('HGET', KEYS[i], ARGV[b + 1]) or '0')
  local cap = tonumber(ARGV[b + 2])
  local amount = tonumber(ARGV[b + 3])
  used[i] = u
  if not (u < cap and u + amount <= cap) then failed[#failed + 1] = i - 1 end
end
if #failed > 0 then
  local out = {0}
  for i = 1, n do out[#out + 1] = used[i] end
  for _, f in ipairs(failed) do out[#out + 1] = f end
  return out
end
local out = {1}
for i = 1, n do
  local b = (i - 1) * 4
  out[#out + 1] = redis.call('HINCRBY', KEYS[i], ARGV[b + 1], ARGV[b + 3])
  local ttl = tonumber(ARGV[b + 4])
  if ttl > 0 then redis.call('PEXPIRE', KEYS[i], ttl) end
end
return out
`;

/** A window's hash stays this long after the window ends, so the usage view can still read it. */
const KEEP_ENDED_MS = 60_000;

export interface RedisCounterOptions {
  /** Prefix of every key (several deployments or test runs can share one Redis). */
  prefix?: string;
  /** A command slower than this fails (and the caller decides what a failure means). */
  commandTimeoutMs?: number;
}

type ClaimCommand = (...args: Array<string | number>) => Promise<number[]>;

/**
 * Request counts in Redis, for request-rate limits at rates a database should not take: one
 * script call per request (`EVALSHA`, all the request's rate limits at once), no settlement (a
 * request counts once it is admitted). Counts are whole numbers (`HINCRBY`). Without a
 * connection, commands fail at once instead of queueing, so a Redis outage costs no latency.
 */
export class RedisCounterStore implements CounterStore {
  readonly kind = "redis";
  readonly #redis: Redis;
  readonly #prefix: string;

  private constructor(redis: Redis, prefix: string) {
    this.#redis = redis;
    this.#prefix = prefix;
  }

  /** Connects, or throws naming the server when it cannot (a wrong REDIS_URL fails at start). */
  static async open(url: string, options: RedisCounterOptions = {}): Promise<RedisCounterStore> {
    const redis = new Redis(url, {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      commandTimeout: options.commandTimeoutMs ?? 500,
      connectTimeout: 3000,
    });
    // Without a listener a lost connection's error would end the process; ioredis reconnects.
    let lastReport = 0;
    redis.on("error", (err: Error) => {
      if (Date.now() - lastReport < 10_000) return;
      lastReport = Date.now();
      console.error(`portcullis: Redis connection error: ${err.message}`);
    });
    try {
      await redis.connect();
    } catch (err) {
      redis.disconnect();
      throw new Error(`Cannot connect to Redis at ${redactUrl(url)}: ${(err as Error).message}`);
    }
    redis.defineCommand("portcullisClaim", { lua: CLAIM });
    return new RedisCounterStore(redis, options.prefix ?? "portcullis:");
  }

  /** Keys live until their window ends by our clock (not Redis's), plus a minute. */
  async claim(_requestId: string, claims: readonly Claim[], now: number): Promise<ClaimOutcome> {
    const keys: string[] = [];
    const args: Array<string | number> = [];
    for (const c of claims) {
      if (!Number.isInteger(c.amount)) throw new Error("the Redis counter store counts whole requests only");
      keys.push(this.#key(c.key, c.windowStart));
      args.push(c.subject, c.cap, c.amount, Number.isFinite(c.windowEnd) ? Math.max(1, c.windowEnd - now + KEEP_ENDED_MS) : 0);
    }
    const claim = (this.#redis as unknown as { portcullisClaim: ClaimCommand }).portcullisClaim;
    const out = await claim.call(this.#redis, claims.length, ...keys, ...args);
    const n = claims.length;
    const states = claims.map((_, i) => ({ used: Number(out[i + 1]), reserved: 0 }));
    if (out[0] === 1) return { ok: true, states };
    return { ok: false, failed: out.slice(n + 1).map(Number), states };
  }

  /** Requests count as admitted; only a claim undone (another limit refused the request) gives back. */
  async settle(_requestId: string, claims: readonly Claim[], actual: readonly number[]): Promise<void> {
    const pipeline = this.#redis.pipeline();
    let any = false;
    claims.forEach((c, i) => {
      const back = c.amount - actual[i];
      if (back === 0) return;
      pipeline.hincrby(this.#key(c.key, c.windowStart), c.subject, -back);
      any = true;
    });
    if (any) await pipeline.exec();
  }

  async read(key: string, windowStart: number, subject: string | undefined, max: number): Promise<CounterRow[]> {
    const k = this.#key(key, windowStart);
    if (subject !== undefined) {
      const v = await this.#redis.hget(k, subject);
      return v === null ? [] : [{ subject, used: Number(v), reserved: 0 }];
    }
    const all = await this.#redis.hgetall(k);
    return Object.entries(all)
      .map(([s, v]) => ({ subject: s, used: Number(v), reserved: 0 }))
      .sort((a, b) => b.used - a.used)
      .slice(0, max);
  }

  async close(): Promise<void> {
    await this.#redis.quit().catch(() => this.#redis.disconnect());
  }

  #key(key: string, windowStart: number): string {
    return `${this.#prefix}limit:${key}:${windowStart}`;
  }
}

function redactUrl(url: string): string {
  return url.replace(/^([a-z]+:\/\/[^:/@]*):[^@/]*@/i, "$1:***@");
}
