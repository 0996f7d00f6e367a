import OpenAI from "openai";
import { startOpenAiFake } from "../fake-upstreams/openai.ts";
import type { FakeUpstream } from "../fake-upstreams/fake-reply.ts";
import { startTestProxy, type TestProxy } from "./start-proxy.ts";

export const VIRTUAL_KEY = "pk-test-router-0123456789abcdefghijklmnopqrstuv";
export const NO_GROQ_KEY = "pk-test-nogroq-0123456789abcdefghijklmnopqrstuv";

export interface RouterFixture {
  proxy: TestProxy;
  upstream: FakeUpstream;
  client: OpenAI;
  clientFor(key: string, proxyId?: string): OpenAI;
  close(): Promise<void>;
}

/**
 * A proxy with OpenAI and Groq credentials pointing at one fake OpenAI-wire upstream (Groq under
 * `/openai/v1`, as the real one), a virtual key for both and one without Groq.
 */
export async function startRouterFixture(): Promise<RouterFixture> {
  const upstream = await startOpenAiFake();
  const proxy = await startTestProxy(`
credentials:
  - { id: openai-main, provider: openai, apiKey: sk-upstream-openai, baseUrl: "${upstream.url}/v1" }
  - { id: groq-main, provider: groq, apiKey: gsk-upstream-groq, baseUrl: "${upstream.url}/openai/v1", models: [llama-3.3-70b-versatile] }
proxies:
  - { id: default, name: Default }
  - { id: team-b, name: Team B }
virtualKeys:
  - { name: test, key: "${VIRTUAL_KEY}", proxies: [default], credentials: { openai: openai-main, groq: groq-main } }
  - { name: no-groq, key: "${NO_GROQ_KEY}", proxies: [default, team-b], credentials: { openai: openai-main } }
`);
  const clientFor = (key: string, proxyId = "default") =>
    new OpenAI({ baseURL: `${proxy.url}/v1/model-router/${proxyId}`, apiKey: key, maxRetries: 0 });
  return {
    proxy,
    upstream,
    client: clientFor(VIRTUAL_KEY),
    clientFor,
    async close() {
      await proxy.stop();
      await upstream.close();
    },
  };
}
