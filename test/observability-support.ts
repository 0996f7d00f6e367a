/** Helpers shared by the observability and logs API tests (not a test file itself). */

import { postgresBackend, sqliteBackend, type Backend } from "./helpers/test-databases.ts";

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Parses the Prometheus text exposition format (what GET /metrics answers) into samples. */
export function parsePrometheus(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split("\n")) {
    if (!line || line.startsWith("#")) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+\d+)?$/.exec(line);
    if (!m) throw new Error(`not a sample line: ${line}`);
    const labels: Record<string, string> = {};
    const body = m[2] ?? "";
    const re = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"\s*,?/g;
    let l: RegExpExecArray | null;
    while ((l = re.exec(body))) labels[l[1]] = l[2].replace(/\\n/g, "\n").replace(/\\"/g, '"').replace(/\\\\/g, "\\");
    samples.push({ name: m[1], labels, value: m[3] === "+Inf" ? Infinity : m[3] === "-Inf" ? -Infinity : Number(m[3]) });
  }
  return samples;
}

/** The sum of the samples named `name` whose labels include `labels` (0 when none match). */
export function metricValue(samples: readonly Sample[], name: string, labels: Record<string, string> = {}): number {
  let total = 0;
  for (const s of samples) {
    if (s.name !== name) continue;
    if (Object.entries(labels).every(([k, v]) => s.labels[k] === v)) total += s.value;
  }
  return total;
}

/** Distinct values a label takes among the samples named `name`. */
export function labelValues(samples: readonly Sample[], name: string, label: string): Set<string> {
  return new Set(samples.filter((s) => s.name === name && label in s.labels).map((s) => s.labels[label]));
}

export async function scrape(url: string): Promise<Sample[]> {
  const res = await fetch(`${url}/metrics`);
  if (!res.ok) throw new Error(`GET /metrics answered ${res.status}`);
  return parsePrometheus(await res.text());
}

/** A number equal to `expected` up to floating-point noise. */
export function near(actual: number, expected: number, message?: string): void {
  if (Math.abs(actual - expected) > 1e-12 + Math.abs(expected) * 1e-9) throw new Error(`${message ?? "value"}: ${actual} != ${expected}`);
}


export type { Backend };

/** SQLite and PostgreSQL, each fresh for the suite. */
export function backends(): Backend[] {
  return [sqliteBackend("obs"), postgresBackend("observability")];
}
