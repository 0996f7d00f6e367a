import type {
  CachePointBlock,
  ConversationRole,
  DocumentFormat,
  ImageFormat,
  InferenceConfiguration,
  ServiceTier,
  StopReason,
  ToolResultStatus,
} from "@aws-sdk/client-bedrock-runtime";
import type { JsonObject } from "../../src/canonical/extras.ts";

/**
 * The Converse REST API as JSON on the wire. The SDK's types describe its objects, not the wire:
 * bytes are base64 strings here (Uint8Array in the SDK), and unions are objects with exactly one
 * member key, which these types model as optional keys so a decoder can test each in turn.
 */
export interface BedrockS3Location {
  uri: string;
  bucketOwner?: string;
}

/** `{bytes}` (base64) | `{s3Location}` | for documents also `{text}` | `{content}`. */
export interface BedrockSource {
  bytes?: string;
  s3Location?: BedrockS3Location;
  text?: string;
  content?: unknown[];
  [key: string]: unknown;
}

export interface BedrockImageBlock {
  format: ImageFormat | string;
  source: BedrockSource;
  [key: string]: unknown;
}

export interface BedrockDocumentBlock {
  format?: DocumentFormat | string;
  name: string;
  source: BedrockSource;
  [key: string]: unknown;
}

export interface BedrockToolUseBlock {
  toolUseId: string;
  name: string;
  input: unknown;
  type?: string;
  [key: string]: unknown;
}

export interface BedrockToolResultContent {
  text?: string;
  json?: unknown;
  image?: BedrockImageBlock;
  document?: BedrockDocumentBlock;
  [key: string]: unknown;
}

export interface BedrockToolResultBlock {
  toolUseId: string;
  content: BedrockToolResultContent[];
  status?: ToolResultStatus;
  [key: string]: unknown;
}

export interface BedrockReasoningContent {
  reasoningText?: { text: string; signature?: string; [key: string]: unknown };
  /** base64 */
  redactedContent?: string;
}

export interface BedrockCitationsContent {
  content?: Array<{ text?: string }>;
  citations?: JsonObject[];
}

export interface BedrockContentBlock {
  text?: string;
  image?: BedrockImageBlock;
  document?: BedrockDocumentBlock;
  audio?: { format: string; source: BedrockSource; [key: string]: unknown };
  toolUse?: BedrockToolUseBlock;
  toolResult?: BedrockToolResultBlock;
  reasoningContent?: BedrockReasoningContent;
  citationsContent?: BedrockCitationsContent;
  cachePoint?: CachePointBlock;
  guardContent?: JsonObject;
  [key: string]: unknown;
}

export interface BedrockMessage {
  role: ConversationRole;
  content: BedrockContentBlock[];
  [key: string]: unknown;
}

export interface BedrockSystemBlock {
  text?: string;
  cachePoint?: CachePointBlock;
  guardContent?: JsonObject;
  [key: string]: unknown;
}

export interface BedrockToolSpec {
  name: string;
  description?: string;
  inputSchema: { json?: JsonObject; [key: string]: unknown };
  strict?: boolean;
  [key: string]: unknown;
}

export interface BedrockTool {
  toolSpec?: BedrockToolSpec;
  cachePoint?: CachePointBlock;
  systemTool?: { name: string };
  [key: string]: unknown;
}

export interface BedrockToolChoice {
  auto?: JsonObject;
  any?: JsonObject;
  tool?: { name: string };
}

export interface BedrockToolConfig {
  tools: BedrockTool[];
  toolChoice?: BedrockToolChoice;
  [key: string]: unknown;
}

export interface BedrockOutputConfig {
  textFormat?: { type: string; structure: { jsonSchema?: { schema: string; name?: string; description?: string } } };
  [key: string]: unknown;
}

/** The Converse / ConverseStream request body (the model id travels in the URL). */
export interface BedrockConverseRequest {
  messages?: BedrockMessage[];
  system?: BedrockSystemBlock[];
  inferenceConfig?: InferenceConfiguration & JsonObject;
  toolConfig?: BedrockToolConfig;
  additionalModelRequestFields?: JsonObject;
  additionalModelResponseFieldPaths?: string[];
  guardrailConfig?: JsonObject;
  performanceConfig?: JsonObject;
  promptVariables?: JsonObject;
  requestMetadata?: Record<string, string>;
  serviceTier?: ServiceTier;
  outputConfig?: BedrockOutputConfig;
  [key: string]: unknown;
}

export interface BedrockTokenUsage {
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
  cacheReadInputTokens?: number;
  cacheWriteInputTokens?: number;
  [key: string]: unknown;
}

export interface BedrockConverseResponse {
  output: { message: BedrockMessage; [key: string]: unknown };
  stopReason: StopReason | string;
  usage: BedrockTokenUsage;
  metrics: { latencyMs: number; [key: string]: unknown };
  additionalModelResponseFields?: JsonObject;
  [key: string]: unknown;
}

/** The non-stream error body (`Message` in some older answers). */
export interface BedrockErrorBody {
  message?: string;
  Message?: string;
  [key: string]: unknown;
}

/** ConverseStream event payloads, by `:event-type`. */
export interface BedrockContentBlockDelta {
  text?: string;
  toolUse?: { input: string };
  reasoningContent?: { text?: string; signature?: string; redactedContent?: string };
  citation?: JsonObject;
  [key: string]: unknown;
}

export interface BedrockStreamPayloads {
  messageStart: { role: ConversationRole };
  contentBlockStart: { contentBlockIndex: number; start: { toolUse?: { toolUseId: string; name: string; type?: string }; [key: string]: unknown } };
  contentBlockDelta: { contentBlockIndex: number; delta: BedrockContentBlockDelta };
  contentBlockStop: { contentBlockIndex: number };
  messageStop: { stopReason: StopReason | string; additionalModelResponseFields?: JsonObject };
  metadata: { usage?: BedrockTokenUsage; metrics?: { latencyMs: number }; [key: string]: unknown };
}
