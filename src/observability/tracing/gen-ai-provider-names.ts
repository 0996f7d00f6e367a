/**
 * `gen_ai.provider.name` well-known values (OpenTelemetry GenAI semantic conventions) for our
 * provider ids; providers the conventions do not list keep their own id, as the spec allows.
 */
const WELL_KNOWN: Readonly<Record<string, string>> = {
  openai: "openai",
  azure: "azure.ai.openai",
  anthropic: "anthropic",
  gemini: "gcp.gemini",
  vertex: "gcp.vertex_ai",
  bedrock: "aws.bedrock",
  cohere: "cohere",
  deepseek: "deepseek",
  groq: "groq",
  mistral: "mistral_ai",
  perplexity: "perplexity",
  xai: "x_ai",
};

export function genAiProviderName(provider: string): string {
  return WELL_KNOWN[provider] ?? provider;
}
