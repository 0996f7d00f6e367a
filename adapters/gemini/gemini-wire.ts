import type {
  Candidate,
  Content,
  GenerateContentResponsePromptFeedback,
  GenerateContentResponseUsageMetadata,
  GenerationConfig,
  Part,
  SafetySetting,
  Tool,
  ToolConfig,
} from "@google/genai";

/**
 * The REST wire shapes of generateContent / streamGenerateContent. The SDK's
 * `GenerateContentParameters` is the SDK's call shape (`config` instead of the top-level fields),
 * so the request body is spelled out here with the SDK's part types. Enum-typed SDK fields
 * (finishReason, mode, …) are compared as strings: the wire carries strings the SDK enums may
 * not know yet.
 */
export interface GeminiRequestBody {
  contents?: Content[];
  systemInstruction?: Content;
  tools?: Tool[];
  toolConfig?: ToolConfig;
  generationConfig?: GenerationConfig;
  safetySettings?: SafetySetting[];
  cachedContent?: string;
  labels?: Record<string, string>;
  [key: string]: unknown;
}

/** One GenerateContentResponse as JSON (a whole response, or one stream chunk). */
export interface GeminiResponseBody {
  candidates?: Candidate[];
  promptFeedback?: GenerateContentResponsePromptFeedback;
  usageMetadata?: GenerateContentResponseUsageMetadata;
  modelVersion?: string;
  responseId?: string;
  createTime?: string;
  [key: string]: unknown;
}

export type { Candidate, Content, Part };

/** What a wire part is, for the fields we read by name (the SDK types them as optional members). */
export type WirePart = Part & { [key: string]: unknown };
