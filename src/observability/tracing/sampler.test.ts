import assert from "node:assert/strict";
import { test } from "node:test";
import { createSampler } from "./sampler.ts";
import { newTraceId } from "./trace-context.ts";

const parent = (sampled: boolean) => ({ traceId: "4bf92f3577b34da6a3ce929d0e0e4736", spanId: "00f067aa0ba902b7", sampled });

test("the default follows the parent's decision and samples new traces", () => {
  const s = createSampler(undefined, undefined);
  assert.equal(s(newTraceId(), undefined), true);
  assert.equal(s("4bf92f3577b34da6a3ce929d0e0e4736", parent(true)), true);
  assert.equal(s("4bf92f3577b34da6a3ce929d0e0e4736", parent(false)), false);
});

test("always_on / always_off ignore the parent; traceidratio keeps about the ratio", () => {
  assert.equal(createSampler("always_on", undefined)("4bf92f3577b34da6a3ce929d0e0e4736", parent(false)), true);
  assert.equal(createSampler("always_off", undefined)("4bf92f3577b34da6a3ce929d0e0e4736", parent(true)), false);
  const ratio = createSampler("parentbased_traceidratio", "0.25");
  let kept = 0;
  for (let i = 0; i < 20_000; i++) if (ratio(newTraceId(), undefined)) kept++;
  assert.ok(kept > 4000 && kept < 6000, `${kept} of 20000`);
  assert.equal(ratio("4bf92f3577b34da6a3ce929d0e0e4736", parent(true)), true);
});

test("unknown samplers and bad ratios are start-up errors", () => {
  assert.throws(() => createSampler("jaeger_remote", undefined), /unsupported sampler/);
  assert.throws(() => createSampler("traceidratio", "2"), /OTEL_TRACES_SAMPLER_ARG/);
});
