import assert from "node:assert/strict";
import { test } from "node:test";
import { InMemorySpanExporter } from "./in-memory-span-exporter.ts";
import { SpanBatcher } from "./span-batcher.ts";
import type { FinishedSpan, SpanExporter } from "./span.ts";

const span = (i: number): FinishedSpan => ({ traceId: "a".repeat(32), spanId: String(i).padStart(16, "0"), name: "chat x", kind: 3, startMs: 1, endMs: 2, attributes: {}, events: [], status: { code: 0 } });

test("spans are exported in batches after the delay, or at once when a batch is full", async () => {
  const exported: number[] = [];
  const exporter: SpanExporter = { export: async (spans) => void exported.push(spans.length) };
  const b = new SpanBatcher(exporter, { maxBatch: 10, delayMs: 30 });
  for (let i = 0; i < 25; i++) b.add(span(i));
  await new Promise((r) => setTimeout(r, 80));
  assert.deepEqual(exported, [10, 10, 5]);
  await b.close();
});

test("a full queue drops spans instead of growing; a failing collector is reported, not thrown", async () => {
  const reports: string[] = [];
  let calls = 0;
  const exporter: SpanExporter = {
    export: async () => {
      calls++;
      throw new Error("collector down");
    },
  };
  const b = new SpanBatcher(exporter, { maxQueue: 5, maxBatch: 100, delayMs: 10_000, report: (m) => reports.push(m) });
  for (let i = 0; i < 8; i++) b.add(span(i));
  assert.equal(b.dropped, 3);
  await b.flush();
  assert.equal(calls, 1);
  assert.ok(reports.some((r) => /collector down/.test(r)));
  await b.close();
});

test("close exports what is queued; nothing is accepted afterwards", async () => {
  const memory = new InMemorySpanExporter();
  const b = new SpanBatcher(memory, { delayMs: 60_000 });
  b.add(span(1));
  b.add(span(2));
  await b.close();
  assert.equal(memory.spans.length, 2);
  b.add(span(3));
  await b.flush();
  assert.equal(memory.spans.length, 2);
});
