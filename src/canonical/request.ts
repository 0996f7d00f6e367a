import type { AssistantPart, NativePart, TextPart, ToolResultPart, UserPart } from "./content.ts";
import type { Extras, JsonObject, WireFormat } from "./extras.ts";

/**
 * A conversation turn. Consecutive messages may share a role; an encoder merges them only where
 * its format requires it and the parts' origins allow it (see Origin).
 */
export type Message =
  | { role: "system" | "developer"; content: Array<TextPart | NativePart>; extras?: Extras }
  | { role: "user"; content: UserPart[]; extras?: Extras }
  | { role: "assistant"; content: AssistantPart[]; extras?: Extras }
  | { role: "tool"; content: ToolResultPart[]; extras?: Extras };

export type Role = Message["role"];

export type JsonSchema = JsonObject;

export type ToolDefinition =
  | {
      kind: "function";
      name: string;
      description?: string;
      parameters?: JsonSchema;
      strict?: boolean;
      /** Responses namespace tools: the namespace this function belongs to. */
      namespace?: string;
      extras?: Extras;
    }
  | {
      /** Responses custom tools: free-text input, optionally constrained by a grammar. */
      kind: "custom";
      name: string;
      description?: string;
      format?: JsonObject;
      namespace?: string;
      extras?: Extras;
    }
  | {
      /** A tool the provider runs itself (web_search, code_interpreter, Anthropic server tools). */
      kind: "hosted";
      format: WireFormat;
      value: JsonObject;
      extras?: Extras;
    };

export type ToolChoice =
  | { type: "auto" | "none" | "required" }
  | { type: "tool"; name: string; namespace?: string }
  | { type: "allowed"; mode: "auto" | "required"; names: string[] };

export type ResponseFormat =
  | { type: "text" }
  | { type: "json_object" }
  | { type: "json_schema"; name: string; schema: JsonSchema; strict?: boolean; description?: string };

export type ReasoningEffort = "none" | "minimal" | "low" | "medium" | "high" | "xhigh";

export interface ReasoningConfig {
  effort?: ReasoningEffort;
  /** OpenAI reasoning summary mode: auto | concise | detailed. */
  summary?: string;
  /** Explicit token budget (Anthropic/Gemini/Bedrock thinking budget). */
  budgetTokens?: number;
  /** Reasoning explicitly off (Anthropic `thinking: {type: "disabled"}`). */
  disabled?: boolean;
}

/** A model request in neutral form: what every pipeline stage sees. */
export interface CanonicalRequest {
  model: string;
  /** Responses `instructions` (kept apart from system messages so Responses survives a round trip). */
  instructions?: string;
  messages: Message[];
  tools?: ToolDefinition[];
  toolChoice?: ToolChoice;
  parallelToolCalls?: boolean;
  maxOutputTokens?: number;
  temperature?: number;
  topP?: number;
  topK?: number;
  frequencyPenalty?: number;
  presencePenalty?: number;
  seed?: number;
  stop?: string[];
  reasoning?: ReasoningConfig;
  responseFormat?: ResponseFormat;
  stream: boolean;
  /** Chat `stream_options.include_usage`: the client wants a usage chunk at the end. */
  streamUsage?: boolean;
  /** End-user id (`user`, `safety_identifier`, Anthropic `metadata.user_id`). */
  user?: string;
  metadata?: Record<string, string>;
  extras?: Extras;
}

/** The tool name for a call id, looked up in the assistant turns of the conversation. */
export function toolNameForCall(messages: readonly Message[], callId: string): string | undefined {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i];
    if (m.role !== "assistant") continue;
    for (const part of m.content) {
      if (part.type === "tool-call" && part.id === callId) return part.name;
    }
  }
  return undefined;
}
