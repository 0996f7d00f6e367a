/**
 * The Cohere Chat API v2 wire shapes (the Cohere SDK is not a dependency, so they are written here).
 *
 * Sources, checked field by field:
 * - API reference, OpenAPI of `POST /v2/chat` non-stream and stream:
 *   https://docs.cohere.com/reference/chat, https://docs.cohere.com/reference/chat-stream
 * - Streaming guides: https://docs.cohere.com/v2/docs/streaming,
 *   https://docs.cohere.com/docs/tool-use-streaming
 * - Reasoning: https://docs.cohere.com/v2/docs/reasoning (`thinking`, thinking content blocks)
 * - Models: https://docs.cohere.com/reference/list-models (`GET /v1/models`)
 * - cohere-ai/cohere-typescript `src/api/resources/v2/**` (the generated SDK types)
 *
 * Everything a response may omit is optional: decoders trust the provider's shape but never crash
 * on a surprising one.
 */
import type { JsonObject } from "../../src/canonical/extras.ts";

export type CohereFinishReason = "COMPLETE" | "STOP_SEQUENCE" | "MAX_TOKENS" | "TOOL_CALL" | "ERROR" | "TIMEOUT";

export interface CohereTextContent {
  type: "text";
  text: string;
}

/** Reasoning models (`command-a-reasoning-*`) only. Unsigned: it is plain text. */
export interface CohereThinkingContent {
  type: "thinking";
  thinking: string;
}

export interface CohereImageUrlContent {
  type: "image_url";
  image_url: {
    /** A web URL or a `data:` URI with base64 content. */
    url: string;
    detail?: "auto" | "low" | "high";
  };
}

/** A RAG document: `data` is any string-keyed object (text, title, url, …). */
export interface CohereDocument {
  data: JsonObject;
  id?: string;
}

export interface CohereDocumentContent {
  type: "document";
  document: CohereDocument;
}

export interface CohereToolCall {
  id: string;
  type: "function";
  function: {
    name: string;
    /** JSON text; Cohere sometimes sends `"null"` for tools without parameters. */
    arguments: string;
  };
}

export interface CohereSource {
  type: "tool" | "document";
  id?: string;
  tool_output?: JsonObject;
  document?: JsonObject;
}

export type CohereCitationType = "TEXT_CONTENT" | "THINKING_CONTENT" | "PLAN";

/** `start`/`end` are character offsets into the generated text the citation belongs to. */
export interface CohereCitation {
  start?: number;
  end?: number;
  text?: string;
  sources?: CohereSource[];
  /** Index of the content block the citation is in (absent for older models: the first text block). */
  content_index?: number;
  type?: CohereCitationType;
}

export type CohereUserContentItem = CohereTextContent | CohereImageUrlContent;
export type CohereAssistantContentItem = CohereTextContent | CohereThinkingContent;
export type CohereToolContentItem = CohereTextContent | CohereDocumentContent;

export interface CohereSystemMessage {
  role: "system";
  content: string | CohereTextContent[];
}

export interface CohereUserMessage {
  role: "user";
  content: string | CohereUserContentItem[];
}

export interface CohereAssistantMessage {
  role: "assistant";
  content?: string | CohereAssistantContentItem[];
  /** The model's plan, written before its tool calls. */
  tool_plan?: string;
  tool_calls?: CohereToolCall[];
  citations?: CohereCitation[];
}

export interface CohereToolMessage {
  role: "tool";
  tool_call_id: string;
  /** A JSON object as a string, or content blocks. */
  content: string | CohereToolContentItem[];
}

export type CohereMessage = CohereSystemMessage | CohereUserMessage | CohereAssistantMessage | CohereToolMessage;

export interface CohereTool {
  type: "function";
  function: {
    name: string;
    description?: string;
    /** A JSON schema; required by the API. */
    parameters: JsonObject;
  };
}

export type CohereResponseFormat = { type: "text" } | { type: "json_object"; json_schema?: JsonObject };

export interface CohereThinking {
  type: "enabled" | "disabled";
  token_budget?: number;
}

export interface CohereChatRequest {
  model: string;
  messages: CohereMessage[];
  stream?: boolean;
  tools?: CohereTool[];
  strict_tools?: boolean;
  documents?: Array<string | CohereDocument>;
  citation_options?: { mode?: "ENABLED" | "DISABLED" | "FAST" | "ACCURATE" | "OFF" };
  response_format?: CohereResponseFormat;
  safety_mode?: "CONTEXTUAL" | "STRICT" | "OFF";
  max_tokens?: number;
  /** Up to 5. */
  stop_sequences?: string[];
  temperature?: number;
  seed?: number;
  frequency_penalty?: number;
  presence_penalty?: number;
  k?: number;
  p?: number;
  logprobs?: boolean;
  /** No `AUTO` (the default) and no named tool. */
  tool_choice?: "REQUIRED" | "NONE";
  thinking?: CohereThinking;
  priority?: number;
}

/**
 * `tokens` are what the model processed (Cohere's own system preamble included, so usually more
 * than `billed_units`); `cached_tokens` is the part of `tokens.input_tokens` served from cache.
 */
export interface CohereUsage {
  billed_units?: { input_tokens?: number; output_tokens?: number; search_units?: number; classifications?: number };
  tokens?: { input_tokens?: number; output_tokens?: number };
  cached_tokens?: number;
}

export interface CohereLogprobItem {
  text?: string;
  token_ids: number[];
  logprobs?: number[];
}

export interface CohereChatResponse {
  id: string;
  finish_reason: CohereFinishReason;
  message: Omit<CohereAssistantMessage, "role"> & { role: "assistant" };
  usage?: CohereUsage;
  logprobs?: CohereLogprobItem[];
}

// ---- Stream events (SSE: `event: <type>` + `data: <json>`, ending with `data: [DONE]`) ----

export interface CohereMessageStartEvent {
  type: "message-start";
  id?: string;
  delta?: { message?: { role?: "assistant"; content?: unknown[]; tool_plan?: string; tool_calls?: unknown[]; citations?: unknown[] } };
}

export interface CohereContentStartEvent {
  type: "content-start";
  index?: number;
  delta?: { message?: { content?: { type?: "text" | "thinking"; text?: string; thinking?: string } } };
}

export interface CohereContentDeltaEvent {
  type: "content-delta";
  index?: number;
  delta?: { message?: { content?: { text?: string; thinking?: string } } };
  logprobs?: CohereLogprobItem;
}

export interface CohereContentEndEvent {
  type: "content-end";
  index?: number;
}

export interface CohereToolPlanDeltaEvent {
  type: "tool-plan-delta";
  delta?: { message?: { tool_plan?: string } };
}

export interface CohereToolCallStartEvent {
  type: "tool-call-start";
  index?: number;
  delta?: { message?: { tool_calls?: Partial<CohereToolCall> & { function?: Partial<CohereToolCall["function"]> } } };
}

export interface CohereToolCallDeltaEvent {
  type: "tool-call-delta";
  index?: number;
  delta?: { message?: { tool_calls?: { function?: { arguments?: string } } } };
}

export interface CohereToolCallEndEvent {
  type: "tool-call-end";
  index?: number;
}

export interface CohereCitationStartEvent {
  type: "citation-start";
  index?: number;
  delta?: { message?: { citations?: CohereCitation } };
}

export interface CohereCitationEndEvent {
  type: "citation-end";
  index?: number;
}

export interface CohereMessageEndEvent {
  type: "message-end";
  id?: string;
  delta?: { error?: string; finish_reason?: CohereFinishReason; usage?: CohereUsage };
}

export interface CohereDebugEvent {
  type: "debug";
  event_type?: string;
  prompt?: string;
}

export type CohereStreamEvent =
  | CohereMessageStartEvent
  | CohereContentStartEvent
  | CohereContentDeltaEvent
  | CohereContentEndEvent
  | CohereToolPlanDeltaEvent
  | CohereToolCallStartEvent
  | CohereToolCallDeltaEvent
  | CohereToolCallEndEvent
  | CohereCitationStartEvent
  | CohereCitationEndEvent
  | CohereMessageEndEvent
  | CohereDebugEvent;

/** Every error status answers `{message}` or `{id, message}` (400, 401, 402, 404, 422, 429, 498, 499, 500, 503, …). */
export interface CohereErrorBody {
  id?: string;
  message?: string;
}

/** `GET /v1/models` */
export interface CohereModelList {
  models?: Array<{ name?: string; endpoints?: string[]; finetuned?: boolean; context_length?: number; features?: string[] | null }>;
  next_page_token?: string;
}
