import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { loadConfig } from "../src/config/load-config.ts";
import { OBSERVABILITY_DEFAULTS } from "../src/observability/settings.ts";
import { tracingFromEnv } from "../src/observability/tracing/tracing-env.ts";

const dir = mkdtempSync(join(tmpdir(), "portcullis-obs-config-"));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const load = (yaml: string, env: NodeJS.ProcessEnv = {}) => {
  const file = join(dir, `c${++n}.yaml`);
  writeFileSync(file, yaml);
  return loadConfig({ argv: ["--config", file], env });
};

test("the observability section: defaults, every field, ${VAR} strings for numbers and booleans", async () => {
  assert.deepEqual((await load("")).observability, OBSERVABILITY_DEFAULTS);
  const c = await load(
    `observability:
  logBodies: "\${BODIES}"
  maxBodyBytes: "\${CAP}"
  flushIntervalMs: 500
  metrics: { maxAgentIds: 10, maxModels: 20 }
  prices:
    "openai:gpt-4o-mini": { input: 0.15, output: 0.6, cacheRead: 0.075 }
    "vllm:my-llama": { input: "0.1", output: 0.2, cacheWrite: 0 }
`,
    { BODIES: "false", CAP: "1024" },
  );
  assert.deepEqual(c.observability, {
    enabled: true,
    logBodies: false,
    maxBodyBytes: 1024,
    flushIntervalMs: 500,
    maxAgentIds: 10,
    maxModels: 20,
    prices: { "openai:gpt-4o-mini": { input: 0.15, output: 0.6, cacheRead: 0.075 }, "vllm:my-llama": { input: 0.1, output: 0.2, cacheWrite: 0 } },
  });
});

test("mistakes are named: unknown fields, unqualified model ids, negative prices, bad env switches", async () => {
  await assert.rejects(load("observability: { logBody: true }"), /observability\.logBody: unknown field/);
  await assert.rejects(load('observability: { prices: { "gpt-4o": { input: 1, output: 1 } } }'), /use '<provider>:<model>'/);
  await assert.rejects(load('observability: { prices: { "openai:gpt-4o": { input: -1, output: 1 } } }'), /observability\.prices\.openai:gpt-4o\.input/);
  await assert.rejects(load('observability: { prices: { "openai:gpt-4o": { input: 1 } } }'), /output/);
  await assert.rejects(load("observability: { flushIntervalMs: 0 }"), /flushIntervalMs/);
  await assert.rejects(load("", { PORTCULLIS_LOG_BODIES: "maybe" }), /PORTCULLIS_LOG_BODIES/);
  await assert.rejects(load("", { PORTCULLIS_OBSERVABILITY: "partly" }), /PORTCULLIS_OBSERVABILITY/);
  assert.equal((await load("observability: { logBodies: true }", { PORTCULLIS_LOG_BODIES: "false" })).observability.logBodies, false, "the environment wins");
  assert.equal((await load("", { PORTCULLIS_OBSERVABILITY: "off" })).observability.enabled, false);
});

test("the OpenTelemetry environment: endpoint forms, headers, sampler, and errors at start", () => {
  assert.equal(tracingFromEnv({}), undefined, "no endpoint: tracing off");
  assert.match(tracingFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318/" })!.description, /http:\/\/collector:4318\/v1\/traces$/);
  assert.match(tracingFromEnv({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "https://otel.example.com/custom/path" })!.description, /https:\/\/otel\.example\.com\/custom\/path$/);
  const reports: string[] = [];
  assert.ok(tracingFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://c:4318", OTEL_EXPORTER_OTLP_PROTOCOL: "grpc" }, (m) => reports.push(m)));
  assert.match(reports[0], /http\/json/);
  assert.throws(() => tracingFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: "not a url" }), /OTEL_EXPORTER_OTLP_ENDPOINT/);
  assert.throws(() => tracingFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: "ftp://c" }), /http\(s\)/);
  assert.throws(() => tracingFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://c", OTEL_EXPORTER_OTLP_HEADERS: "novalue" }), /OTEL_EXPORTER_OTLP_HEADERS/);
  assert.throws(() => tracingFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://c", OTEL_TRACES_SAMPLER: "bogus" }), /OTEL_TRACES_SAMPLER/);
  assert.throws(() => tracingFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://c", OTEL_BSP_SCHEDULE_DELAY: "-5" }), /OTEL_BSP_SCHEDULE_DELAY/);
  assert.throws(() => tracingFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://c", OTEL_EXPORTER_OTLP_COMPRESSION: "brotli" }), /OTEL_EXPORTER_OTLP_COMPRESSION/);
});
