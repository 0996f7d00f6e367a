/** What the bench measures: each lane is one request shape, direct and through the proxy. */
export interface Lane {
  name: string;
  /** Which fake upstream serves it. */
  upstream: "openai" | "anthropic";
  directPath: string;
  directBody: unknown;
  /** Headers the direct call needs besides the key (Anthropic's `anthropic-version`). */
  directHeaders?: Record<string, string>;
  proxyPath: string;
  proxyBody: unknown;
  proxyHeaders?: Record<string, string>;
  /** `oauth`: call with an access token from /oauth/token (fetched before the lane) instead of the virtual key. */
  auth?: "oauth";
}

const messages = [
  { role: "system", content: "You are a helpful assistant." },
  { role: "user", content: "Hello, how are you doing today? Tell me something interesting about proxies." },
];

/** The Messages API body the router makes of `messages` (what a native Anthropic client would send). */
const anthropicBody = {
  model: "claude-sonnet-4-5",
  max_tokens: 32000,
  system: [{ type: "text", text: messages[0].content }],
  messages: [{ role: "user", content: [{ type: "text", text: messages[1].content }] }],
};
const anthropicVersion = { "anthropic-version": "2023-06-01" };

export const LANES: Lane[] = [
  {
    name: "router chat → openai",
    upstream: "openai",
    directPath: "/v1/chat/completions",
    directBody: { model: "gpt-4o-mini", messages },
    proxyPath: "/v1/model-router/default/chat/completions",
    proxyBody: { model: "openai:gpt-4o-mini", messages },
  },
  {
    name: "router chat → openai (OAuth JWT)",
    upstream: "openai",
    directPath: "/v1/chat/completions",
    directBody: { model: "gpt-4o-mini", messages },
    proxyPath: "/v1/model-router/default/chat/completions",
    proxyBody: { model: "openai:gpt-4o-mini", messages },
    auth: "oauth",
  },
  {
    name: "router chat stream → openai",
    upstream: "openai",
    directPath: "/v1/chat/completions",
    directBody: { model: "gpt-4o-mini", messages, stream: true, stream_options: { include_usage: true } },
    proxyPath: "/v1/model-router/default/chat/completions",
    proxyBody: { model: "openai:gpt-4o-mini", messages, stream: true },
  },
  {
    name: "router responses → openai",
    upstream: "openai",
    directPath: "/v1/responses",
    directBody: { model: "gpt-4o-mini", input: messages[1].content, instructions: messages[0].content },
    proxyPath: "/v1/model-router/default/responses",
    proxyBody: { model: "openai:gpt-4o-mini", input: messages[1].content, instructions: messages[0].content },
  },
  {
    name: "router responses → groq chat (translated)",
    upstream: "openai",
    directPath: "/openai/v1/chat/completions",
    directBody: { model: "llama-3.3-70b-versatile", messages },
    proxyPath: "/v1/model-router/default/responses",
    proxyBody: { model: "groq:llama-3.3-70b-versatile", input: messages[1].content, instructions: messages[0].content },
  },
  {
    name: "router responses stream → groq (transl.)",
    upstream: "openai",
    directPath: "/openai/v1/chat/completions",
    directBody: { model: "llama-3.3-70b-versatile", messages, stream: true, stream_options: { include_usage: true } },
    proxyPath: "/v1/model-router/default/responses",
    proxyBody: { model: "groq:llama-3.3-70b-versatile", input: messages[1].content, instructions: messages[0].content, stream: true },
  },
  // Translation to a native provider: its cost is this lane's added latency minus the OpenAI lane's.
  {
    name: "router chat → anthropic (translated)",
    upstream: "anthropic",
    directPath: "/v1/messages",
    directBody: anthropicBody,
    directHeaders: anthropicVersion,
    proxyPath: "/v1/model-router/default/chat/completions",
    proxyBody: { model: "anthropic:claude-sonnet-4-5", messages },
  },
  {
    name: "router chat stream → anthropic",
    upstream: "anthropic",
    directPath: "/v1/messages",
    directBody: { ...anthropicBody, stream: true },
    directHeaders: anthropicVersion,
    proxyPath: "/v1/model-router/default/chat/completions",
    proxyBody: { model: "anthropic:claude-sonnet-4-5", messages, stream: true },
  },
  {
    name: "router responses stream → anthropic",
    upstream: "anthropic",
    directPath: "/v1/messages",
    directBody: { ...anthropicBody, stream: true },
    directHeaders: anthropicVersion,
    proxyPath: "/v1/model-router/default/responses",
    proxyBody: { model: "anthropic:claude-sonnet-4-5", input: messages[1].content, instructions: messages[0].content, stream: true },
  },
];
