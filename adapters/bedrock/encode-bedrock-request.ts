import { extrasOf, type JsonObject } from "../../src/canonical/extras.ts";
import type { CanonicalRequest } from "../../src/canonical/request.ts";
import { bedrockModelFamily } from "./bedrock-model-family.ts";
import { prepareBedrockTools } from "./bedrock-prepare-tools.ts";
import { encodeBedrockReasoning } from "./bedrock-reasoning-config.ts";
import type { BedrockConverseRequest } from "./bedrock-wire-types.ts";
import { convertToBedrockMessages } from "./convert-to-bedrock-messages.ts";

/**
 * A canonical request as a Converse body (the model id goes in the URL, see bedrock-provider).
 * Not sent, for want of a Converse field: seed, frequency and presence penalties. Temperature is
 * clamped to Bedrock's 0..1. top_k goes in additionalModelRequestFields (`top_k`; Nova:
 * `inferenceConfig.topK`). The end-user id goes in `requestMetadata.user` (which tags Bedrock's
 * invocation logs) unless the metadata names a user already.
 */
export function encodeBedrockRequest(request: CanonicalRequest): BedrockConverseRequest {
  const x = extrasOf(request, "bedrock");
  const family = bedrockModelFamily(request.model);
  const body: BedrockConverseRequest = {};
  for (const key in x) if (key[0] !== "$") body[key] = x[key];

  const conversation = convertToBedrockMessages(request);
  body.messages = conversation.messages;
  if (conversation.system.length > 0 || x.$system) body.system = conversation.system;

  const reasoning = encodeBedrockReasoning(request);
  const inference: JsonObject = { ...(x.$inferenceConfig as JsonObject | undefined) };
  if (reasoning.maxTokens !== undefined) inference.maxTokens = reasoning.maxTokens;
  if (request.temperature !== undefined && !reasoning.dropSampling) inference.temperature = Math.min(1, Math.max(0, request.temperature));
  if (request.topP !== undefined && !reasoning.dropSampling) inference.topP = request.topP;
  if (request.stop !== undefined) inference.stopSequences = request.stop;
  if (Object.keys(inference).length > 0 || x.$inferenceConfig) body.inferenceConfig = inference;

  const tools = prepareBedrockTools(request, {
    anthropic: family === "anthropic",
    thinking: reasoning.thinking,
    hasToolBlocks: conversation.hasToolBlocks,
    calledTools: conversation.calledTools,
  });
  if (tools.toolConfig) body.toolConfig = tools.toolConfig;

  const fields: JsonObject = { ...(x.$additionalModelRequestFields as JsonObject | undefined), ...reasoning.fields };
  if (request.topK !== undefined && !reasoning.dropSampling) {
    if (family === "nova") fields.inferenceConfig = { ...(fields.inferenceConfig as JsonObject | undefined), topK: request.topK };
    else fields.top_k = request.topK;
  }
  if (tools.anthropicToolChoice) fields.tool_choice = tools.anthropicToolChoice;
  if (Object.keys(fields).length > 0 || x.$additionalModelRequestFields) body.additionalModelRequestFields = fields;

  if (tools.outputConfig || x.$outputConfig) body.outputConfig = { ...(x.$outputConfig as JsonObject | undefined), ...tools.outputConfig };

  const metadata = request.user !== undefined && request.metadata?.user === undefined ? { ...request.metadata, user: request.user } : request.metadata;
  if (metadata) body.requestMetadata = metadata;
  return body;
}
