import { Pool } from "undici";

export interface LoadResult {
  p50: number;
  p99: number;
  /** Time to the first body byte (streams), p50, ms. */
  ttfb50: number;
  rps: number;
  count: number;
}

/** Where a request goes and what it is. */
export interface Target {
  url: string;
  path: string;
  body: string;
  headers: Record<string, string>;
  /** Fail the bench on a non-2xx answer. */
  expectStatus?: number;
}

export interface LoadSpec extends Target {
  concurrency: number;
  requests: number;
}

/** One request, timed to its last body byte (and its first). */
async function timeOne(pool: Pool, spec: Target): Promise<{ total: number; ttfb: number }> {
  const t0 = performance.now();
  const res = await pool.request({ path: spec.path, method: "POST", headers: { "content-type": "application/json", ...spec.headers }, body: spec.body });
  let first = 0;
  for await (const _chunk of res.body) if (!first) first = performance.now();
  const t1 = performance.now();
  if (res.statusCode !== (spec.expectStatus ?? 200)) throw new Error(`bench request to ${spec.path} answered ${res.statusCode}`);
  return { total: t1 - t0, ttfb: (first || t1) - t0 };
}

function summarize(latencies: number[], ttfbs: number[], seconds: number): LoadResult {
  return { p50: pct(latencies, 0.5), p99: pct(latencies, 0.99), ttfb50: pct(ttfbs, 0.5), rps: latencies.length / seconds, count: latencies.length };
}

/** Sends `requests` requests over `concurrency` keep-alive connections and measures each. */
export async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  const pool = new Pool(spec.url, { connections: spec.concurrency, pipelining: 1 });
  const latencies: number[] = [];
  const ttfbs: number[] = [];
  let issued = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: spec.concurrency }, async () => {
      while (issued < spec.requests) {
        issued++;
        const t = await timeOne(pool, spec);
        latencies.push(t.total);
        ttfbs.push(t.ttfb);
      }
    }),
  );
  const elapsed = (performance.now() - start) / 1000;
  await pool.close();
  return summarize(latencies, ttfbs, elapsed);
}

/**
 * Latency of several targets measured together: one request to each in turn, `rounds` times, at
 * concurrency 1. Whatever else the machine does in the meantime hits every target alike, so the
 * difference of their percentiles is the difference of the targets, not of the moments they ran.
 */
export async function runPaired(specs: readonly Target[], rounds: number): Promise<LoadResult[]> {
  const pools = specs.map((s) => new Pool(s.url, { connections: 1, pipelining: 1 }));
  const latencies = specs.map((): number[] => []);
  const ttfbs = specs.map((): number[] => []);
  const start = performance.now();
  for (let r = 0; r < rounds; r++) {
    for (const [i, spec] of specs.entries()) {
      const t = await timeOne(pools[i], spec);
      latencies[i].push(t.total);
      ttfbs[i].push(t.ttfb);
    }
  }
  const elapsed = (performance.now() - start) / 1000;
  await Promise.all(pools.map((p) => p.close()));
  return specs.map((_, i) => summarize(latencies[i], ttfbs[i], elapsed));
}

function pct(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}
