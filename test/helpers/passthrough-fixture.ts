import { startAnthropicFake } from "../fake-upstreams/anthropic.ts";
import { startBedrockFake } from "../fake-upstreams/bedrock.ts";
import type { FakeUpstream } from "../fake-upstreams/fake-reply.ts";
import { startGeminiFake } from "../fake-upstreams/gemini.ts";
import { startOpenAiFake } from "../fake-upstreams/openai.ts";
import { startTestProxy, type TestProxy } from "./start-proxy.ts";

export const PT_KEY = "pk-test-passthrough-0123456789abcdefghijklmnop";
export const AWS = { accessKeyId: "AKIAPROXYCONFIGURED1", secretAccessKey: "proxy/configured+secret" };

export interface PassthroughFixture {
  proxy: TestProxy;
  openai: FakeUpstream;
  anthropic: FakeUpstream;
  gemini: FakeUpstream;
  bedrock: FakeUpstream;
  url(provider: string): string;
  close(): Promise<void>;
}

/**
 * A proxy whose credentials point at one fake per native format, and a virtual key mapped to all
 * of them. The Bedrock fake checks SigV4 signatures made with the configured AWS credential.
 */
export async function startPassthroughFixture(): Promise<PassthroughFixture> {
  const [openai, anthropic, gemini, bedrock] = await Promise.all([
    startOpenAiFake(),
    startAnthropicFake(),
    startGeminiFake(),
    startBedrockFake({ auth: { credentials: AWS, apiKey: "ABSK-client-own-bedrock-key" } }),
  ]);
  const proxy = await startTestProxy(`
credentials:
  - { id: openai-main, provider: openai, apiKey: sk-upstream-openai, baseUrl: "${openai.url}/v1" }
  - { id: anthropic-main, provider: anthropic, apiKey: sk-ant-upstream, baseUrl: "${anthropic.url}" }
  - { id: gemini-main, provider: gemini, apiKey: AIza-upstream, baseUrl: "${gemini.url}" }
  - { id: bedrock-main, provider: bedrock, apiKey: "${AWS.secretAccessKey}", baseUrl: "${bedrock.url}", options: { accessKeyId: ${AWS.accessKeyId}, region: us-east-1 } }
  - { id: groq-main, provider: groq, apiKey: gsk-upstream, baseUrl: "${openai.url}/openai/v1" }
proxies:
  # The proxy's own mapping lends base URLs to clients that bring their own provider key.
  - { id: default, name: Default, credentials: { openai: openai-main, anthropic: anthropic-main, gemini: gemini-main, bedrock: bedrock-main, groq: groq-main } }
  - { id: team-a, name: Team A }
virtualKeys:
  - { name: pt, key: "${PT_KEY}", proxies: [default, team-a], credentials: { openai: openai-main, anthropic: anthropic-main, gemini: gemini-main, bedrock: bedrock-main, groq: groq-main } }
`);
  return {
    proxy,
    openai,
    anthropic,
    gemini,
    bedrock,
    url: (provider) => `${proxy.url}/v1/${provider}`,
    async close() {
      await proxy.stop();
      await Promise.all([openai.close(), anthropic.close(), gemini.close(), bedrock.close()]);
    },
  };
}

/** The interaction row for a request id (after flushing the log). */
export async function interactionRow(proxy: TestProxy, requestId: string | null) {
  await proxy.interactions.flush();
  return proxy.store.db.selectFrom("interactions").selectAll().where("id", "=", requestId ?? "").executeTakeFirst();
}
