import { restOf, type JsonObject } from "../../src/canonical/extras.ts";
import type { CanonicalRequest, ResponseFormat } from "../../src/canonical/request.ts";
import { validateBody } from "../shared/validate.ts";
import { decodeBedrockThinking } from "./bedrock-reasoning-config.ts";
import { bedrockRequestSchema } from "./bedrock-request-schema.ts";
import type { BedrockConverseRequest, BedrockOutputConfig } from "./bedrock-wire-types.ts";
import { decodeBedrockMessages, decodeBedrockSystem } from "./decode-bedrock-messages.ts";
import { decodeAnthropicToolChoice, decodeBedrockToolChoice, decodeBedrockTools } from "./decode-bedrock-tools.ts";

const BODY_KNOWN = new Set(["messages", "system", "inferenceConfig", "toolConfig", "additionalModelRequestFields", "requestMetadata", "outputConfig"]);
const INFERENCE_KNOWN = new Set(["maxTokens", "temperature", "topP", "stopSequences"]);
const TOOL_CONFIG_KNOWN = new Set(["tools", "toolChoice"]);

/**
 * A Converse / ConverseStream body (a Bedrock client's, on the native route) as a canonical
 * request. The model id and whether it streams are in the URL, not the body: `model` is "" and
 * `stream` false here, for the route to fill in.
 *
 * Request extras for the Bedrock encoder hold the body fields with no canonical home verbatim
 * (guardrailConfig, performanceConfig, promptVariables, additionalModelResponseFieldPaths,
 * serviceTier, …) and, under `$` keys, the rest of the objects only partly modelled
 * (`$inferenceConfig`, `$additionalModelRequestFields`, `$toolConfig`, `$outputConfig`) and how
 * modelled values were said (`$anthropicToolChoice`, `$nativeOutputConfig`, `$jsonSchemaText`, `$system`).
 */
export function decodeBedrockRequest(raw: JsonObject): CanonicalRequest {
  validateBody(bedrockRequestSchema, raw);
  const body = raw as BedrockConverseRequest;
  const extras: JsonObject = restOf(body, BODY_KNOWN) ?? {};
  const request: CanonicalRequest = { model: "", messages: [], stream: false };

  const system = body.system ? decodeBedrockSystem(body.system) : undefined;
  if (system) request.messages.push(system);
  else if (body.system) extras.$system = [];
  if (body.messages) request.messages.push(...decodeBedrockMessages(body.messages));

  const ic = body.inferenceConfig;
  if (ic) {
    if (ic.maxTokens !== undefined) request.maxOutputTokens = ic.maxTokens;
    if (ic.temperature !== undefined) request.temperature = ic.temperature;
    if (ic.topP !== undefined) request.topP = ic.topP;
    if (ic.stopSequences !== undefined) request.stop = ic.stopSequences;
    keepRest(extras, "$inferenceConfig", ic, INFERENCE_KNOWN);
  }

  const tc = body.toolConfig;
  if (tc) {
    request.tools = decodeBedrockTools(tc);
    const rest: JsonObject = restOf(tc, TOOL_CONFIG_KNOWN) ?? {};
    if (tc.toolChoice !== undefined) {
      const choice = decodeBedrockToolChoice(tc.toolChoice);
      if (choice) request.toolChoice = choice;
      else rest.toolChoice = tc.toolChoice;
    }
    if (Object.keys(rest).length > 0) extras.$toolConfig = rest;
  }

  const amrf = body.additionalModelRequestFields;
  if (amrf) {
    const fields: JsonObject = { ...amrf };
    const reasoning = decodeBedrockThinking(fields.thinking);
    if (reasoning) {
      request.reasoning = reasoning;
      delete fields.thinking;
    }
    if (typeof fields.top_k === "number") {
      request.topK = fields.top_k;
      delete fields.top_k;
    }
    const anthropicChoice = tc?.toolChoice === undefined ? decodeAnthropicToolChoice(fields.tool_choice) : undefined;
    if (anthropicChoice) {
      Object.assign(request, anthropicChoice);
      extras.$anthropicToolChoice = true;
      delete fields.tool_choice;
    }
    if (Object.keys(fields).length > 0 || Object.keys(amrf).length === 0) extras.$additionalModelRequestFields = fields;
  }

  if (body.requestMetadata) request.metadata = body.requestMetadata;
  if (body.outputConfig) decodeOutputConfig(body.outputConfig, request, extras);

  if (Object.keys(extras).length > 0) request.extras = { bedrock: extras };
  return request;
}

/** The rest of a partly modelled object, kept also when it was present but empty. */
function keepRest(extras: JsonObject, key: string, obj: JsonObject, known: ReadonlySet<string>): void {
  const rest = restOf(obj, known);
  if (rest) extras[key] = rest;
  else if (Object.keys(obj).length === 0) extras[key] = {};
}

/** Native structured output (`outputConfig.textFormat` with a JSON schema given as text). */
function decodeOutputConfig(oc: BedrockOutputConfig, request: CanonicalRequest, extras: JsonObject): void {
  const tf = oc.textFormat;
  const js = tf?.structure?.jsonSchema;
  let format: ResponseFormat | undefined;
  if (tf && tf.type === "json_schema" && Object.keys(tf).length === 2 && Object.keys(tf.structure).length === 1 && js && typeof js.schema === "string") {
    const { schema: _s, name, description, ...other } = js;
    try {
      const schema = JSON.parse(js.schema) as JsonObject;
      if (Object.keys(other).length === 0 && schema && typeof schema === "object") {
        format = { type: "json_schema", name: name ?? "", schema, ...(description !== undefined && { description }) };
        if (JSON.stringify(schema) !== js.schema) extras.$jsonSchemaText = js.schema;
      }
    } catch {
      // Not JSON: Bedrock will say so; the body travels as it was.
    }
  }
  if (format) {
    request.responseFormat = format;
    extras.$nativeOutputConfig = true;
    keepRest(extras, "$outputConfig", oc, new Set(["textFormat"]));
  } else {
    extras.$outputConfig = oc;
  }
}
