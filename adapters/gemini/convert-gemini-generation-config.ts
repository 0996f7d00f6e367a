import type { GenerationConfig } from "@google/genai";
import { restOf, type JsonObject } from "../../src/canonical/extras.ts";
import type { CanonicalRequest, ResponseFormat } from "../../src/canonical/request.ts";
import { convertJsonSchemaToGeminiSchema, forJsonSchemaField } from "./convert-json-schema-to-gemini-schema.ts";
import { acceptsPenalties } from "./gemini-model-capabilities.ts";
import { decodeThinkingConfig, encodeThinkingConfig } from "./map-gemini-thinking.ts";

/** generationConfig fields that map one to one onto canonical request fields. */
const SCALARS = [
  ["temperature", "temperature"],
  ["topP", "topP"],
  ["topK", "topK"],
  ["maxOutputTokens", "maxOutputTokens"],
  ["seed", "seed"],
  ["presencePenalty", "presencePenalty"],
  ["frequencyPenalty", "frequencyPenalty"],
] as const;

/** Which schema field a decoded response format came from, so the same format writes it back there. */
export type ResponseSchemaField = "responseSchema" | "responseJsonSchema";

export interface DecodedGenerationConfig {
  fields: Partial<CanonicalRequest>;
  rest?: JsonObject;
  responseSchemaField?: ResponseSchemaField;
}

export function decodeGenerationConfig(config: GenerationConfig): DecodedGenerationConfig {
  const fields: Partial<CanonicalRequest> = {};
  const known = new Set<string>();
  for (const [wire, canonical] of SCALARS) {
    const v = config[wire];
    if (typeof v === "number") {
      fields[canonical] = v;
      known.add(wire);
    }
  }
  if (Array.isArray(config.stopSequences)) {
    fields.stop = config.stopSequences;
    known.add("stopSequences");
  }
  let responseSchemaField: ResponseSchemaField | undefined;
  const mime = config.responseMimeType;
  if (mime === "application/json") {
    const field: ResponseSchemaField | undefined = config.responseJsonSchema !== undefined ? "responseJsonSchema" : config.responseSchema !== undefined ? "responseSchema" : undefined;
    if (field) {
      fields.responseFormat = { type: "json_schema", name: "response", schema: config[field] as JsonObject };
      responseSchemaField = field;
      known.add(field);
    } else {
      fields.responseFormat = { type: "json_object" };
    }
    known.add("responseMimeType");
  } else if (mime === "text/plain" && config.responseSchema === undefined && config.responseJsonSchema === undefined) {
    fields.responseFormat = { type: "text" };
    known.add("responseMimeType");
  }
  let rest = restOf(config as JsonObject, known.add("thinkingConfig"));
  if (config.thinkingConfig) {
    const thinking = decodeThinkingConfig(config.thinkingConfig);
    if (thinking.reasoning) fields.reasoning = thinking.reasoning;
    if (thinking.rest || !thinking.reasoning) rest = { ...rest, thinkingConfig: thinking.rest ?? {} };
  }
  return { fields, ...(rest && { rest }), ...(responseSchemaField && { responseSchemaField }) };
}

export function encodeGenerationConfig(request: CanonicalRequest, rest: JsonObject | undefined, schemaField: ResponseSchemaField | undefined): GenerationConfig | undefined {
  const { thinkingConfig: thinkingRest, ...others } = (rest ?? {}) as GenerationConfig & JsonObject;
  const config: GenerationConfig & JsonObject = others;
  const penalties = request.model === "" || acceptsPenalties(request.model);
  for (const [wire, canonical] of SCALARS) {
    const v = request[canonical];
    if (v !== undefined && (penalties || (wire !== "presencePenalty" && wire !== "frequencyPenalty"))) config[wire] = v;
  }
  if (request.stop && request.stop.length > 0) config.stopSequences = request.stop;
  if (request.responseFormat) encodeResponseFormat(request.responseFormat, config, schemaField);
  const thinking = encodeThinkingConfig(request.reasoning, request.model, thinkingRest as JsonObject | undefined);
  if (thinking) config.thinkingConfig = thinking;
  return rest !== undefined || Object.keys(config).length > 0 ? config : undefined;
}

/**
 * Structured output: a schema from another format goes to `responseSchema` in Gemini's OpenAPI
 * subset, with `propertyOrdering` so fields come out in the schema's order (Gemini otherwise
 * orders them alphabetically); schemas the subset cannot express go to `responseJsonSchema`.
 */
function encodeResponseFormat(format: ResponseFormat, config: GenerationConfig & JsonObject, field: ResponseSchemaField | undefined): void {
  if (format.type === "text") {
    config.responseMimeType = "text/plain";
    return;
  }
  config.responseMimeType = "application/json";
  if (format.type !== "json_schema") return;
  if (field) {
    config[field] = format.schema;
    return;
  }
  const schema = convertJsonSchemaToGeminiSchema(format.schema, { propertyOrdering: true });
  if (schema) config.responseSchema = schema;
  else config.responseJsonSchema = forJsonSchemaField(format.schema);
}
