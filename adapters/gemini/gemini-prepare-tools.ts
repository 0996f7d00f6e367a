import type { Tool, ToolConfig } from "@google/genai";
import { extrasOf, type JsonObject } from "../../src/canonical/extras.ts";
import type { CanonicalRequest, ToolChoice, ToolDefinition } from "../../src/canonical/request.ts";
import { convertJsonSchemaToGeminiSchema, declaresNoParameters, forJsonSchemaField } from "./convert-json-schema-to-gemini-schema.ts";

/**
 * Canonical tools and tool choice -> Gemini `tools` and `toolConfig`.
 *
 * Parameters of tools from other formats go to `parameters`, cleaned to Gemini's OpenAPI subset:
 * that field works on every Gemini model, on the Gemini API and on Vertex (v1 and v1beta), while
 * `parametersJsonSchema` needs a 2.5+ model and the v1beta surface. Schemas the subset cannot
 * express (recursive, free-form objects, …) are sent as `parametersJsonSchema` rather than
 * silently weakened. A function without parameters leaves the field out (Gemini rejects an
 * OBJECT with no properties). Custom (free-text) tools become functions with one string `input`.
 * Hosted tools of other formats (OpenAI web_search, Anthropic server tools) are dropped: their
 * Gemini cousins behave differently and cannot be combined with functions on every model.
 * `parallelToolCalls: false` has no Gemini equivalent.
 */
export function prepareGeminiTools(request: CanonicalRequest, configRest: JsonObject | undefined): { tools?: Tool[]; toolConfig?: ToolConfig } {
  const tools: JsonObject[] = [];
  const slots = new Map<number, JsonObject>();
  let shared: JsonObject | undefined;
  const slot = (index: number | undefined): JsonObject => {
    if (index === undefined) return (shared ??= push(tools));
    let s = slots.get(index);
    if (!s) slots.set(index, (s = push(tools)));
    return s;
  };
  for (const def of request.tools ?? []) {
    const ex = extrasOf(def, "gemini");
    const index = typeof ex.tool === "number" ? ex.tool : undefined;
    if (def.kind === "hosted") {
      if (def.format === "gemini") Object.assign(index === undefined ? push(tools) : slot(index), def.value);
      continue;
    }
    const target = slot(index);
    ((target.functionDeclarations ??= []) as JsonObject[]).push(encodeDeclaration(def, ex));
  }
  const out: { tools?: Tool[]; toolConfig?: ToolConfig } = {};
  if (tools.length > 0) out.tools = tools as Tool[];
  const toolConfig = encodeToolConfig(request.toolChoice, configRest, tools.length > 0);
  if (toolConfig) out.toolConfig = toolConfig;
  return out;
}

function push(tools: JsonObject[]): JsonObject {
  const t: JsonObject = {};
  tools.push(t);
  return t;
}

function encodeDeclaration(def: Exclude<ToolDefinition, { kind: "hosted" }>, ex: JsonObject): JsonObject {
  const { tool: _t, schemaField, ...rest } = ex;
  const decl: JsonObject = { ...rest, name: def.name };
  if (def.description !== undefined) decl.description = def.description;
  if (def.kind === "custom") {
    decl.parameters = { type: "object", properties: { input: { type: "string" } }, required: ["input"] };
    return decl;
  }
  const params = def.parameters;
  if (params === undefined) return decl;
  if (typeof schemaField === "string") {
    decl[schemaField] = params;
    return decl;
  }
  if (declaresNoParameters(params)) return decl;
  const schema = convertJsonSchemaToGeminiSchema(params);
  if (schema) decl.parameters = schema;
  else decl.parametersJsonSchema = forJsonSchemaField(params);
  return decl;
}

const MODES: Record<ToolChoice["type"], string> = { auto: "AUTO", none: "NONE", required: "ANY", tool: "ANY", allowed: "ANY" };

function encodeToolConfig(choice: ToolChoice | undefined, rest: JsonObject | undefined, hasTools: boolean): ToolConfig | undefined {
  const { functionCallingConfig: fccRest, ...config } = (rest ?? {}) as JsonObject;
  const fcc: JsonObject = { ...(fccRest as JsonObject | undefined) };
  // Without tools a foreign tool choice means nothing to Gemini; a native toolConfig is kept as sent.
  if (choice && (hasTools || rest)) {
    fcc.mode = choice.type === "allowed" && choice.mode === "auto" ? "VALIDATED" : MODES[choice.type];
    if (choice.type === "tool") fcc.allowedFunctionNames = [choice.name];
    else if (choice.type === "allowed" && choice.names.length > 0) fcc.allowedFunctionNames = choice.names;
  }
  if (rest === undefined && Object.keys(fcc).length === 0) return undefined;
  if (Object.keys(fcc).length > 0 || fccRest !== undefined) config.functionCallingConfig = fcc;
  return config as ToolConfig;
}
