/**
 * Our provider ids -> the ids of the bundled price data (`@pydantic/genai-prices`). Providers
 * absent here (self-hosted vLLM, Ollama) have no list price: their interactions cost null.
 */
const PRICE_PROVIDER_IDS: Readonly<Record<string, string>> = {
  openai: "openai",
  azure: "azure",
  anthropic: "anthropic",
  gemini: "google",
  vertex: "google",
  bedrock: "aws",
  groq: "groq",
  mistral: "mistral",
  xai: "x-ai",
  deepseek: "deepseek",
  cerebras: "cerebras",
  openrouter: "openrouter",
  perplexity: "perplexity",
  together: "together",
  fireworks: "fireworks",
  minimax: "minimax",
  zhipuai: "zhipuai",
  cohere: "cohere",
};

export function priceProviderId(provider: string): string | undefined {
  return PRICE_PROVIDER_IDS[provider];
}
