import { startAnthropicFake } from "../fake-upstreams/anthropic.ts";
import { startBedrockFake } from "../fake-upstreams/bedrock.ts";
import type { FakeUpstream } from "../fake-upstreams/fake-reply.ts";
import { startGeminiFake } from "../fake-upstreams/gemini.ts";
import { startOpenAiFake } from "../fake-upstreams/openai.ts";

export const AWS = { accessKeyId: "AKIAPROXYCONFIGURED1", secretAccessKey: "proxy/configured+secret" };

/** One fake upstream per native wire format, and the config lines that point credentials at them. */
export interface NativeFakes {
  openai: FakeUpstream;
  anthropic: FakeUpstream;
  gemini: FakeUpstream;
  bedrock: FakeUpstream;
  /** `credentials:` entries `openai-main`, `anthropic-main`, `gemini-main`, `bedrock-main` (indented list items). */
  credentialsYaml: string;
  close(): Promise<void>;
}

/** A proxy's or key's credential mapping onto the four fakes. */
export const NATIVE_MAPPING = "{ openai: openai-main, anthropic: anthropic-main, gemini: gemini-main, bedrock: bedrock-main }";

/**
 * Starts the four fakes. The Bedrock fake checks SigV4 signatures made with the AWS credential
 * (and, given `bedrockApiKey`, also accepts that Bedrock API key).
 */
export async function startNativeFakes(options: { bedrockApiKey?: string } = {}): Promise<NativeFakes> {
  const [openai, anthropic, gemini, bedrock] = await Promise.all([
    startOpenAiFake(),
    startAnthropicFake(),
    startGeminiFake(),
    startBedrockFake({ auth: { credentials: AWS, ...(options.bedrockApiKey && { apiKey: options.bedrockApiKey }) } }),
  ]);
  const credentialsYaml = [
    `  - { id: openai-main, provider: openai, apiKey: sk-upstream-openai, baseUrl: "${openai.url}/v1" }`,
    `  - { id: anthropic-main, provider: anthropic, apiKey: sk-ant-upstream, baseUrl: "${anthropic.url}" }`,
    `  - { id: gemini-main, provider: gemini, apiKey: AIza-upstream, baseUrl: "${gemini.url}" }`,
    `  - { id: bedrock-main, provider: bedrock, apiKey: "${AWS.secretAccessKey}", baseUrl: "${bedrock.url}", options: { accessKeyId: ${AWS.accessKeyId}, region: us-east-1 } }`,
  ].join("\n");
  return {
    openai,
    anthropic,
    gemini,
    bedrock,
    credentialsYaml,
    async close() {
      await Promise.all([openai.close(), anthropic.close(), gemini.close(), bedrock.close()]);
    },
  };
}
