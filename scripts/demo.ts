/**
 * npm run demo — the whole path with no provider account: starts the bundled fake upstream and
 * a throwaway Portcullis, then sends real requests through it with the unmodified openai SDK.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { loadConfig } from "../src/config/load-config.ts";
import { startPortcullis } from "../src/portcullis.ts";
import { startAnthropicFake } from "../test/fake-upstreams/anthropic.ts";
import { startOpenAiFake } from "../test/fake-upstreams/openai.ts";

const KEY = "pk-demo-0123456789abcdefghijklmnopqrstuvwxyzABCDEF";
const dir = mkdtempSync(join(tmpdir(), "portcullis-demo-"));
const upstream = await startOpenAiFake();
const anthropicUpstream = await startAnthropicFake();
const file = join(dir, "portcullis.yaml");
writeFileSync(
  file,
  `database: { url: "sqlite:${join(dir, "demo.db")}" }
credentials:
  - { id: openai-fake, provider: openai, apiKey: sk-fake, baseUrl: "${upstream.url}/v1" }
  - { id: groq-fake, provider: groq, apiKey: gsk-fake, baseUrl: "${upstream.url}/openai/v1", models: [llama-3.3-70b-versatile] }
  - { id: anthropic-fake, provider: anthropic, apiKey: sk-ant-fake, baseUrl: "${anthropicUpstream.url}" }
virtualKeys:
  - { name: demo, key: "${KEY}", proxies: [default], credentials: { openai: openai-fake, groq: groq-fake, anthropic: anthropic-fake } }
`,
);
const env = { PORTCULLIS_SECRET: "demo-secret-0123456789", PORTCULLIS_ADMIN_TOKEN: "demo-admin-token-0123456789" };
const app = await startPortcullis({ config: await loadConfig({ argv: ["--config", file], env }), env, port: 0, keyFile: join(dir, "secret.key") });
const client = new OpenAI({ baseURL: `${app.url}/v1/model-router/default`, apiKey: KEY });
const show = (label: string, value: unknown) => console.log(`\n▶ ${label}\n  ${typeof value === "string" ? value : JSON.stringify(value)}`);

try {
  console.log(`Portcullis at ${app.url}; fake upstreams: OpenAI-wire ${upstream.url}, Anthropic ${anthropicUpstream.url}`);
  const chat = await client.chat.completions.create({ model: "openai:gpt-4o-mini", messages: [{ role: "user", content: "Hello from the demo" }] });
  show("chat.completions.create  openai:gpt-4o-mini", chat.choices[0].message.content);

  let streamed = "";
  const stream = await client.chat.completions.create({ model: "openai:gpt-4o-mini", messages: [{ role: "user", content: "Stream this" }], stream: true, stream_options: { include_usage: true } });
  for await (const c of stream) streamed += c.choices[0]?.delta.content ?? "";
  show("chat.completions.create stream  openai:gpt-4o-mini", streamed);

  const res = await client.responses.create({ model: "groq:llama-3.3-70b-versatile", input: "Translate me through Chat" });
  show("responses.create  groq:llama-3.3-70b-versatile (Responses → Chat → Responses)", res.output_text);

  let events = 0;
  const rstream = client.responses.stream({ model: "groq:llama-3.3-70b-versatile", input: "And streamed" });
  rstream.on("event", () => events++);
  show(`responses.stream  groq:llama-3.3-70b-versatile (${"events"})`, `${(await rstream.finalResponse()).output_text}  [${events} events]`);

  const claude = await client.chat.completions.create({ model: "anthropic:claude-opus-4-6", messages: [{ role: "system", content: "Be brief." }, { role: "user", content: "Hello Claude" }] });
  show("chat.completions.create  anthropic:claude-opus-4-6 (OpenAI in, Anthropic Messages upstream)", claude.choices[0].message.content);

  const anthropic = new Anthropic({ baseURL: `${app.url}/v1/anthropic`, apiKey: KEY });
  const native = await anthropic.messages.create({ model: "claude-opus-4-6", max_tokens: 100, messages: [{ role: "user", content: "Native passthrough" }] });
  show("@anthropic-ai/sdk messages.create at /v1/anthropic (native passthrough)", native.content[0].type === "text" ? native.content[0].text : native.content[0]);

  const ids: string[] = [];
  for await (const m of client.models.list()) ids.push(m.id);
  show("models.list", ids);

  await app.interactions.flush();
  const rows = await app.store.db.selectFrom("interactions").select(["provider", "requested_model", "status", "input_tokens", "output_tokens", "duration_ms"]).execute();
  show(`interaction log (${rows.length} rows)`, rows);
} finally {
  await app.close(1000);
  await upstream.close();
  await anthropicUpstream.close();
  rmSync(dir, { recursive: true, force: true });
}
