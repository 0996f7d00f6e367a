import { openAiWireProvider, type OpenAiWireRow } from "./openai/openai-wire-provider.ts";

/**
 * The OpenAI-wire family: every provider here speaks Chat Completions (some also Responses) and
 * differs only in base URL and auth header. A new one is a row. `responses: false` means the
 * router serves Responses requests to it by translating Responses -> Chat -> Responses.
 * `chat` says how a request translated from another format is written for the server (the output
 * limit field; DeepSeek's thinking mode wants earlier reasoning back in `reasoning_content`);
 * `strictMessages` servers answer 400 to assistant fields they do not know.
 */
export const OPENAI_WIRE_ROWS: readonly OpenAiWireRow[] = [
  { id: "openai", baseUrl: "https://api.openai.com/v1", auth: "bearer", responses: true, embeddings: true, streamUsageOption: true },
  { id: "azure", auth: "api-key", responses: true, embeddings: true, streamUsageOption: true }, // https://<resource>.openai.azure.com/openai/v1
  { id: "groq", baseUrl: "https://api.groq.com/openai/v1", auth: "bearer", streamUsageOption: true, strictMessages: true },
  { id: "mistral", baseUrl: "https://api.mistral.ai/v1", auth: "bearer", embeddings: true, chat: { maxTokensField: "max_tokens" }, strictMessages: true },
  { id: "xai", baseUrl: "https://api.x.ai/v1", auth: "bearer", streamUsageOption: true },
  { id: "deepseek", baseUrl: "https://api.deepseek.com/v1", auth: "bearer", streamUsageOption: true, chat: { maxTokensField: "max_tokens", reasoningReplay: "reasoning_content" } },
  { id: "cerebras", baseUrl: "https://api.cerebras.ai/v1", auth: "bearer", streamUsageOption: true, strictMessages: true },
  { id: "openrouter", baseUrl: "https://openrouter.ai/api/v1", auth: "bearer", streamUsageOption: true },
  { id: "perplexity", baseUrl: "https://api.perplexity.ai", auth: "bearer", chat: { maxTokensField: "max_tokens" } },
  { id: "together", baseUrl: "https://api.together.xyz/v1", auth: "bearer", embeddings: true, streamUsageOption: true, chat: { maxTokensField: "max_tokens" } },
  { id: "fireworks", baseUrl: "https://api.fireworks.ai/inference/v1", auth: "bearer", embeddings: true, streamUsageOption: true, chat: { maxTokensField: "max_tokens" } },
  { id: "minimax", baseUrl: "https://api.minimax.io/v1", auth: "bearer", chat: { maxTokensField: "max_tokens" } },
  { id: "zhipuai", baseUrl: "https://open.bigmodel.cn/api/paas/v4", auth: "bearer", chat: { maxTokensField: "max_tokens" } },
  { id: "vllm", baseUrl: "http://127.0.0.1:8000/v1", auth: "optional", embeddings: true, streamUsageOption: true },
  { id: "ollama", baseUrl: "http://127.0.0.1:11434/v1", auth: "optional", embeddings: true, streamUsageOption: true, chat: { maxTokensField: "max_tokens" } },
];

export const OPENAI_WIRE_PROVIDERS = OPENAI_WIRE_ROWS.map(openAiWireProvider);
