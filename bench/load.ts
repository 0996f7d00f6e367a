import { Pool } from "undici";

export interface LoadResult {
  p50: number;
  p99: number;
  /** Time to the first body byte (streams), p50, ms. */
  ttfb50: number;
  rps: number;
  count: number;
}

export interface LoadSpec {
  url: string;
  path: string;
  body: string;
  headers: Record<string, string>;
  concurrency: number;
  requests: number;
  /** Fail the bench on a non-2xx answer. */
  expectStatus?: number;
}

/** Sends `requests` requests over `concurrency` keep-alive connections and measures each. */
export async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  const pool = new Pool(spec.url, { connections: spec.concurrency, pipelining: 1 });
  const latencies: number[] = [];
  const ttfbs: number[] = [];
  let issued = 0;
  const one = async () => {
    const t0 = performance.now();
    const res = await pool.request({ path: spec.path, method: "POST", headers: { "content-type": "application/json", ...spec.headers }, body: spec.body });
    let first = 0;
    for await (const _chunk of res.body) if (!first) first = performance.now();
    const t1 = performance.now();
    if (res.statusCode !== (spec.expectStatus ?? 200)) throw new Error(`bench request to ${spec.path} answered ${res.statusCode}`);
    latencies.push(t1 - t0);
    ttfbs.push((first || t1) - t0);
  };
  const start = performance.now();
  await Promise.all(
    Array.from({ length: spec.concurrency }, async () => {
      while (issued < spec.requests) {
        issued++;
        await one();
      }
    }),
  );
  const elapsed = (performance.now() - start) / 1000;
  await pool.close();
  return { p50: pct(latencies, 0.5), p99: pct(latencies, 0.99), ttfb50: pct(ttfbs, 0.5), rps: spec.requests / elapsed, count: spec.requests };
}

function pct(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}
