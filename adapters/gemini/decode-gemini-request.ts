import { z } from "zod";
import { restOf, type JsonObject } from "../../src/canonical/extras.ts";
import type { CanonicalRequest, Message } from "../../src/canonical/request.ts";
import { validateBody } from "../shared/validate.ts";
import { decodeGenerationConfig } from "./convert-gemini-generation-config.ts";
import { decodeGeminiContents, decodeSystemInstruction } from "./decode-gemini-contents.ts";
import { decodeGeminiToolConfig, decodeGeminiTools } from "./decode-gemini-tools.ts";
import type { GeminiRequestBody } from "./gemini-wire.ts";

/** Loose: unknown fields pass (they are carried in extras); the fields we read are type-checked. */
const part = z.looseObject({
  text: z.string().optional(),
  thought: z.boolean().optional(),
  thoughtSignature: z.string().optional(),
  inlineData: z.looseObject({ mimeType: z.string(), data: z.string() }).optional(),
  fileData: z.looseObject({ fileUri: z.string(), mimeType: z.string().optional() }).optional(),
  functionCall: z.looseObject({ id: z.string().optional(), name: z.string().optional(), args: z.record(z.string(), z.unknown()).optional() }).optional(),
  functionResponse: z.looseObject({ id: z.string().optional(), name: z.string().optional(), response: z.record(z.string(), z.unknown()).optional() }).optional(),
});
const content = z.looseObject({ role: z.string().optional(), parts: z.array(part).optional() });
const requestSchema = z.looseObject({
  contents: z.array(content),
  systemInstruction: content.optional(),
  tools: z
    .array(
      z.looseObject({
        functionDeclarations: z.array(z.looseObject({ name: z.string(), description: z.string().optional(), parameters: z.looseObject({}).optional() })).optional(),
      }),
    )
    .optional(),
  toolConfig: z
    .looseObject({
      functionCallingConfig: z.looseObject({ mode: z.string().optional(), allowedFunctionNames: z.array(z.string()).optional() }).optional(),
    })
    .optional(),
  generationConfig: z
    .looseObject({
      temperature: z.number().optional(),
      topP: z.number().optional(),
      topK: z.number().optional(),
      maxOutputTokens: z.number().int().optional(),
      stopSequences: z.array(z.string()).optional(),
      seed: z.number().int().optional(),
      responseMimeType: z.string().optional(),
      thinkingConfig: z
        .looseObject({ thinkingBudget: z.number().int().optional(), thinkingLevel: z.string().optional(), includeThoughts: z.boolean().optional() })
        .optional(),
    })
    .optional(),
  safetySettings: z.array(z.looseObject({})).optional(),
  cachedContent: z.string().optional(),
});

const CONSUMED = new Set(["contents", "systemInstruction", "tools", "toolConfig", "generationConfig"]);

/**
 * A generateContent body -> canonical request. The model and whether to stream are in the URL,
 * not the body: `model` is left empty and `stream` false for the route to set.
 */
export function decodeGeminiRequest(body: JsonObject): CanonicalRequest {
  validateBody(requestSchema, body);
  const b = body as GeminiRequestBody;
  const messages: Message[] = [];
  if (b.systemInstruction) messages.push(decodeSystemInstruction(b.systemInstruction));
  messages.push(...decodeGeminiContents(b.contents!));
  const request: CanonicalRequest = { model: "", messages, stream: false };
  let extras: JsonObject | undefined = restOf(body, CONSUMED);
  if (b.tools) request.tools = decodeGeminiTools(b.tools);
  if (b.toolConfig) {
    const { toolChoice, rest } = decodeGeminiToolConfig(b.toolConfig);
    if (toolChoice) request.toolChoice = toolChoice;
    // Kept even when empty: a toolConfig the client sent is sent back.
    extras = { ...extras, toolConfig: rest ?? {} };
  }
  if (b.generationConfig) {
    const { fields, rest, responseSchemaField } = decodeGenerationConfig(b.generationConfig);
    Object.assign(request, fields);
    extras = { ...extras, generationConfig: rest ?? {}, ...(responseSchemaField && { responseSchemaField }) };
  }
  if (extras) request.extras = { gemini: extras };
  return request;
}
