import { extrasOf, type JsonObject } from "../../src/canonical/extras.ts";
import type { CanonicalRequest } from "../../src/canonical/request.ts";
import { encodeGenerationConfig, type ResponseSchemaField } from "./convert-gemini-generation-config.ts";
import { convertToGeminiContents } from "./convert-to-gemini-contents.ts";
import { prepareGeminiTools } from "./gemini-prepare-tools.ts";

/**
 * Canonical request -> generateContent body. The model goes in the URL (the provider definition
 * builds it); `user` and `metadata` have no Gemini field (Vertex `labels` are billing labels, and
 * the Gemini API rejects them), so they are not sent.
 */
export function encodeGeminiRequest(request: CanonicalRequest): JsonObject {
  const { toolConfig, generationConfig, responseSchemaField, ...rest } = extrasOf(request, "gemini") as {
    toolConfig?: JsonObject;
    generationConfig?: JsonObject;
    responseSchemaField?: ResponseSchemaField;
  };
  const { contents, systemInstruction } = convertToGeminiContents(request);
  const body: JsonObject = { ...rest, contents };
  if (systemInstruction) body.systemInstruction = systemInstruction;
  const tools = prepareGeminiTools(request, toolConfig);
  if (tools.tools) body.tools = tools.tools;
  if (tools.toolConfig) body.toolConfig = tools.toolConfig;
  const config = encodeGenerationConfig(request, generationConfig, responseSchemaField);
  if (config) body.generationConfig = config;
  return body;
}
