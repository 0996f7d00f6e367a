import type { WireFormat } from "../../../src/canonical/extras.ts";

/**
 * OpenRouter's `reasoning_details[].format` names whose model signed the reasoning; it is how a
 * Chat client hands a signature back to the provider that made it. OpenRouter's own values come
 * first; Bedrock and Cohere have none there, so they get names of ours in the same style.
 */
const FORMAT_PRODUCER: Record<string, WireFormat> = {
  "anthropic-claude-v1": "anthropic",
  "google-gemini-v1": "gemini",
  "openai-responses-v1": "openai-responses",
  "azure-openai-responses-v1": "openai-responses",
  "amazon-bedrock-converse-v1": "bedrock",
  "cohere-v1": "cohere",
};

const PRODUCER_FORMAT: Record<WireFormat, string> = {
  anthropic: "anthropic-claude-v1",
  gemini: "google-gemini-v1",
  "openai-responses": "openai-responses-v1",
  bedrock: "amazon-bedrock-converse-v1",
  cohere: "cohere-v1",
  "openai-chat": "unknown",
};

/** Unknown formats (`unknown`, `xai-responses-v1`, …) belong to the Chat-wire provider that sent them. */
export function producerForFormat(format: unknown): WireFormat {
  return (typeof format === "string" && FORMAT_PRODUCER[format]) || "openai-chat";
}

export function formatForProducer(producer: WireFormat | undefined): string {
  return producer === undefined ? "unknown" : PRODUCER_FORMAT[producer];
}
