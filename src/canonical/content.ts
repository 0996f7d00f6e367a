import type { Extras, JsonObject, Origin, WireFormat } from "./extras.ts";

/**
 * Content parts: the neutral pieces of a conversation. Every part may carry `origin` (which native
 * container it was decoded from) and `extras` (native fields kept for the same format's encoder).
 */
interface PartBase {
  origin?: Origin;
  extras?: Extras;
}

/** A source of binary content: a URL (http(s) or data:), inline base64, or a provider file id. */
export type MediaSource =
  | { kind: "url"; url: string }
  | { kind: "base64"; data: string; mediaType: string }
  | { kind: "file-id"; fileId: string };

export interface Citation {
  type: "url" | "document" | "other";
  url?: string;
  title?: string;
  startIndex?: number;
  endIndex?: number;
  /** The citation as its format wrote it, for that format's encoder. */
  native?: { format: WireFormat; value: JsonObject };
}

export interface TextPart extends PartBase {
  type: "text";
  text: string;
  citations?: Citation[];
}

export interface RefusalPart extends PartBase {
  type: "refusal";
  text: string;
}

export interface ImagePart extends PartBase {
  type: "image";
  source: MediaSource;
  /** OpenAI's `detail`: auto | low | high. */
  detail?: string;
}

/** Documents (PDF, text, …) and any other file input. */
export interface FilePart extends PartBase {
  type: "file";
  source: MediaSource;
  mediaType?: string;
  filename?: string;
}

export interface AudioPart extends PartBase {
  type: "audio";
  data: string;
  /** wav, mp3, … */
  format: string;
}

/**
 * Model reasoning. Providers differ in what they return and what they need back:
 * Anthropic `thinking` (text + signature) and `redacted_thinking` (opaque data), OpenAI reasoning
 * items (summary, optional text, `encrypted_content`), Gemini thought parts (`thoughtSignature`),
 * Bedrock `reasoningContent`, Chat-wire `reasoning_content`. Signatures and opaque data are only
 * valid for the provider that produced them, named by `producer`.
 */
export interface ReasoningPart extends PartBase {
  type: "reasoning";
  /** The reasoning text itself, when the provider shows it. */
  text?: string;
  /** Summary paragraphs (OpenAI reasoning summaries). */
  summary?: string[];
  /** Anthropic / Bedrock / Gemini signature over the reasoning. */
  signature?: string;
  /** Opaque reasoning the client must send back unchanged (OpenAI encrypted_content, Anthropic redacted_thinking data). */
  encrypted?: string;
  redacted?: boolean;
  /** Provider-assigned id (OpenAI `rs_…`). */
  id?: string;
  /** The wire format whose provider produced the signature / opaque data. */
  producer?: WireFormat;
}

/**
 * A call of a tool by the model. `arguments` is the JSON text exactly as the provider produced
 * it (for formats that send an object it is that object serialised), so that a call no policy
 * touches reaches the client byte for byte.
 */
export interface ToolCallPart extends PartBase {
  type: "tool-call";
  id: string;
  name: string;
  arguments: string;
  /** `function` (JSON arguments) or `custom` (free-text input, Responses custom tools). */
  kind: "function" | "custom";
  /** Responses namespace tools (Codex names MCP servers `mcp__<server>`). */
  namespace?: string;
  /** Provider-specific signature tied to the call (Gemini `thoughtSignature`). */
  signature?: string;
  /** Provider-assigned item id, when it differs from the call id (Responses `fc_…`). */
  itemId?: string;
}

/** The answer to a tool call, sent back by the client. */
export interface ToolResultPart extends PartBase {
  type: "tool-result";
  callId: string;
  /** Tool name when the format carries it (Gemini, Bedrock); resolve from the call otherwise. */
  name?: string;
  content: string | Array<TextPart | ImagePart | FilePart>;
  isError?: boolean;
  kind?: "function" | "custom";
}

/**
 * Something only one format can express (a Responses `web_search_call` item, an Anthropic
 * `server_tool_use` or `web_search_tool_result` block, …). The same format's encoder writes
 * `value` back unchanged; other encoders leave it out.
 */
export interface NativePart extends PartBase {
  type: "native";
  format: WireFormat;
  value: JsonObject;
}

export type UserPart = TextPart | ImagePart | FilePart | AudioPart | NativePart;
export type AssistantPart = TextPart | RefusalPart | ReasoningPart | ToolCallPart | NativePart;
export type Part = UserPart | AssistantPart | ToolResultPart;
