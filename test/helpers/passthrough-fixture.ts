import type { FakeUpstream } from "../fake-upstreams/fake-reply.ts";
import { AWS, startNativeFakes } from "./native-fakes.ts";
import { startTestProxy, type TestProxy } from "./start-proxy.ts";

export const PT_KEY = "pk-test-passthrough-0123456789abcdefghijklmnop";
export { AWS };

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
  const fakes = await startNativeFakes({ bedrockApiKey: "ABSK-client-own-bedrock-key" });
  const { openai, anthropic, gemini, bedrock } = fakes;
  const proxy = await startTestProxy(`
credentials:
${fakes.credentialsYaml}
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
      await fakes.close();
    },
  };
}

/** The interaction row for a request id (after flushing the log). */
export async function interactionRow(proxy: TestProxy, requestId: string | null) {
  await proxy.interactions.flush();
  return proxy.store.db.selectFrom("interactions").selectAll().where("id", "=", requestId ?? "").executeTakeFirst();
}
