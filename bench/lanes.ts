/** What the bench measures: each lane is one request shape, direct and through the proxy. */
export interface Lane {
  name: string;
  /** Which fake upstream serves it. */
  upstream: "openai" | "anthropic" | "gemini" | "bedrock";
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

const geminiBody = {
  systemInstruction: { parts: [{ text: messages[0].content }] },
  contents: [{ role: "user", parts: [{ text: messages[1].content }] }],
};

const BEDROCK_MODEL = encodeURIComponent("anthropic.claude-3-5-sonnet-20240620-v1:0");
const bedrockBody = { system: [{ text: messages[0].content }], messages: [{ role: "user", content: [{ text: messages[1].content }] }] };

/** An agent's turn: tools declared, two tool results (one a 2 kB web page), as policies see them. */
const agentTools = ["read_inbox", "fetch_url", "send_email", "get_weather"].map((name) => ({ type: "function", function: { name, parameters: { type: "object", properties: {} } } }));
const agentMessages = [
  ...messages,
  { role: "assistant", content: null, tool_calls: [{ id: "call_1", type: "function", function: { name: "read_inbox", arguments: "{}" } }] },
  { role: "tool", tool_call_id: "call_1", content: JSON.stringify({ messages: [{ subject: "Q3 numbers", body: "Revenue is up. See the wiki." }] }) },
  { role: "assistant", content: null, tool_calls: [{ id: "call_2", type: "function", function: { name: "fetch_url", arguments: '{"url":"https://intranet/wiki/q3"}' } }] },
  { role: "tool", tool_call_id: "call_2", content: JSON.stringify({ url: "https://intranet/wiki/q3", text: "Quarterly results and the plan for next year. ".repeat(45) }) },
];

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
    name: "router chat → openai (agent turn)",
    upstream: "openai",
    directPath: "/v1/chat/completions",
    directBody: { model: "gpt-4o-mini", messages: agentMessages, tools: agentTools },
    proxyPath: "/v1/model-router/default/chat/completions",
    proxyBody: { model: "openai:gpt-4o-mini", messages: agentMessages, tools: agentTools },
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
  // Native passthrough: the client's own format and bytes; its added cost must not exceed the router's.
  {
    name: "passthrough openai chat",
    upstream: "openai",
    directPath: "/v1/chat/completions",
    directBody: { model: "gpt-4o-mini", messages },
    proxyPath: "/v1/openai/chat/completions",
    proxyBody: { model: "gpt-4o-mini", messages },
  },
  {
    name: "passthrough openai chat stream",
    upstream: "openai",
    directPath: "/v1/chat/completions",
    directBody: { model: "gpt-4o-mini", messages, stream: true, stream_options: { include_usage: true } },
    proxyPath: "/v1/openai/chat/completions",
    proxyBody: { model: "gpt-4o-mini", messages, stream: true, stream_options: { include_usage: true } },
  },
  {
    name: "passthrough anthropic messages",
    upstream: "anthropic",
    directPath: "/v1/messages",
    directBody: anthropicBody,
    directHeaders: anthropicVersion,
    proxyPath: "/v1/anthropic/v1/messages",
    proxyBody: anthropicBody,
    proxyHeaders: anthropicVersion,
  },
  {
    name: "passthrough anthropic stream",
    upstream: "anthropic",
    directPath: "/v1/messages",
    directBody: { ...anthropicBody, stream: true },
    directHeaders: anthropicVersion,
    proxyPath: "/v1/anthropic/v1/messages",
    proxyBody: { ...anthropicBody, stream: true },
    proxyHeaders: anthropicVersion,
  },
  {
    name: "passthrough gemini generateContent",
    upstream: "gemini",
    directPath: "/v1beta/models/gemini-2.5-flash:generateContent",
    directBody: geminiBody,
    proxyPath: "/v1/gemini/v1beta/models/gemini-2.5-flash:generateContent",
    proxyBody: geminiBody,
  },
  {
    name: "passthrough gemini stream (sse)",
    upstream: "gemini",
    directPath: "/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse",
    directBody: geminiBody,
    proxyPath: "/v1/gemini/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse",
    proxyBody: geminiBody,
  },
  {
    name: "passthrough bedrock converse",
    upstream: "bedrock",
    directPath: `/model/${BEDROCK_MODEL}/converse`,
    directBody: bedrockBody,
    proxyPath: `/v1/bedrock/model/${BEDROCK_MODEL}/converse`,
    proxyBody: bedrockBody,
  },
  {
    name: "passthrough bedrock converse-stream",
    upstream: "bedrock",
    directPath: `/model/${BEDROCK_MODEL}/converse-stream`,
    directBody: bedrockBody,
    proxyPath: `/v1/bedrock/model/${BEDROCK_MODEL}/converse-stream`,
    proxyBody: bedrockBody,
  },
];
