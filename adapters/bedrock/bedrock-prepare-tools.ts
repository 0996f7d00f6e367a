import { extrasOf, type JsonObject } from "../../src/canonical/extras.ts";
import type { CanonicalRequest, JsonSchema, ToolDefinition } from "../../src/canonical/request.ts";
import type { BedrockOutputConfig, BedrockTool, BedrockToolChoice, BedrockToolConfig } from "./bedrock-wire-types.ts";

/**
 * Structured output without native support: the schema becomes a tool the model is made to call,
 * and the decoders turn that call back into the JSON text answer. The name is ours, so the
 * decoders can tell it from the client's own tools without seeing the request.
 */
export const JSON_RESPONSE_TOOL = "portcullis_json_response";

export interface ToolOptions {
  /** Claude: Converse's toolChoice cannot say "no parallel calls" or "none"; Claude's own tool_choice can. */
  anthropic: boolean;
  /** Extended thinking is on: Claude refuses forced tool use then, so structured output goes native. */
  thinking: boolean;
  /** The history holds toolUse/toolResult blocks, which Bedrock accepts only with tools defined. */
  hasToolBlocks: boolean;
  calledTools: ReadonlySet<string>;
}

export interface PreparedTools {
  toolConfig?: BedrockToolConfig;
  /** Claude's `tool_choice`, for additionalModelRequestFields. */
  anthropicToolChoice?: JsonObject;
  outputConfig?: BedrockOutputConfig;
}

/** A namespaced (Responses) tool's flat name: Bedrock tool names have no namespace. */
export function flatToolName(name: string, namespace: string | undefined): string {
  return namespace ? `${namespace}__${name}` : name;
}

function toBedrockTool(tool: ToolDefinition): BedrockTool | undefined {
  if (tool.kind === "hosted") return tool.format === "bedrock" ? (tool.value as BedrockTool) : undefined;
  const extras = extrasOf(tool, "bedrock");
  const schema: JsonSchema =
    tool.kind === "custom"
      ? { type: "object", properties: { input: { type: "string", description: "The tool's input as free text." } }, required: ["input"] }
      : (tool.parameters ?? { type: "object", properties: {} });
  const spec: JsonObject = { ...extras, name: flatToolName(tool.name, tool.namespace), inputSchema: { json: schema } };
  if (tool.description !== undefined && tool.description !== "") spec.description = tool.description;
  if (tool.kind === "function" && tool.strict !== undefined) spec.strict = tool.strict;
  return { toolSpec: spec as never };
}

/**
 * Tools, tool choice and structured output for Converse.
 * - `none`: Converse has no such choice. Claude gets `tool_choice: {type: "none"}`; other models
 *   get no tools, unless the history calls tools, which Bedrock accepts only with tools defined.
 * - `parallelToolCalls: false`: Claude's `disable_parallel_tool_use`; other models have no switch.
 * - A history that calls tools the request no longer defines gets minimal definitions of them,
 *   since Bedrock rejects toolUse/toolResult blocks without a toolConfig.
 * - json_schema / json_object response formats: a forced tool, or with thinking (which cannot be
 *   combined with forced tool use) or a Bedrock client's own `outputConfig`, native output.
 */
export function prepareBedrockTools(request: CanonicalRequest, opts: ToolOptions): PreparedTools {
  const choice = request.toolChoice;
  const nativeChoice = extrasOf(request, "bedrock").$anthropicToolChoice === true;
  let names: ReadonlySet<string> | undefined;
  if (choice?.type === "allowed") names = new Set(choice.names);
  const tools: BedrockTool[] = [];
  for (const t of request.tools ?? []) {
    if (names && t.kind !== "hosted" && !names.has(t.name)) continue;
    const bt = toBedrockTool(t);
    if (bt) tools.push(bt);
  }

  const out: PreparedTools = {};
  const format = request.responseFormat;
  const nativeOutput = extrasOf(request, "bedrock").$nativeOutputConfig === true || opts.thinking;
  let forced: BedrockToolChoice | undefined;
  if (format && format.type !== "text") {
    const schema = format.type === "json_schema" ? format.schema : { type: "object" };
    if (nativeOutput) {
      if (format.type === "json_schema") out.outputConfig = { textFormat: { type: "json_schema", structure: { jsonSchema: jsonSchemaStructure(request, format) } } };
    } else {
      const description = format.type === "json_schema" && format.description ? ` ${format.description}` : "";
      const hasOwnTools = tools.some((t) => t.toolSpec) && choice?.type !== "none";
      if (choice?.type === "none") tools.length = 0;
      tools.push({ toolSpec: { name: JSON_RESPONSE_TOOL, description: `Give your final answer by calling this tool with a JSON object that matches the schema.${description}`, inputSchema: { json: schema } } });
      forced = hasOwnTools ? { any: {} } : { tool: { name: JSON_RESPONSE_TOOL } };
    }
  }

  const mode = choice?.type === "allowed" ? (choice.mode === "required" ? "required" : "auto") : choice?.type;
  const useAnthropicChoice = !forced && (nativeChoice || (opts.anthropic && (request.parallelToolCalls === false || mode === "none")));
  let toolChoice: BedrockToolChoice | undefined = forced;
  if (useAnthropicChoice) {
    if (mode !== undefined || request.parallelToolCalls !== undefined) {
      const tc: JsonObject = { type: mode === "required" ? "any" : (mode ?? "auto") };
      if (choice?.type === "tool") tc.name = flatToolName(choice.name, choice.namespace);
      if (request.parallelToolCalls !== undefined) tc.disable_parallel_tool_use = !request.parallelToolCalls;
      out.anthropicToolChoice = tc;
    }
  } else if (!forced) {
    if (mode === "auto") toolChoice = { auto: {} };
    else if (mode === "required") toolChoice = { any: {} };
    else if (choice?.type === "tool") toolChoice = { tool: { name: flatToolName(choice.name, choice.namespace) } };
    else if (mode === "none" && !opts.hasToolBlocks) tools.length = 0;
  }

  if (opts.hasToolBlocks) {
    const defined = new Set(tools.map((t) => t.toolSpec?.name));
    for (const name of opts.calledTools) {
      if (!defined.has(name)) tools.push({ toolSpec: { name, inputSchema: { json: { type: "object" } } } });
    }
  }
  // Claude refuses a tool_choice without tools (a Chat client may send parallel_tool_calls alone).
  if (tools.length === 0 && !nativeChoice) delete out.anthropicToolChoice;
  if (tools.length > 0) {
    const extras = extrasOf(request, "bedrock").$toolConfig as JsonObject | undefined;
    out.toolConfig = { ...extras, tools, ...(toolChoice && { toolChoice }) };
  }
  return out;
}

function jsonSchemaStructure(request: CanonicalRequest, format: Extract<CanonicalRequest["responseFormat"], { type: "json_schema" }>) {
  const schema = JSON.stringify(format.schema);
  // A Bedrock client's own schema text (spacing and all) goes back unless a stage changed the schema.
  const text = extrasOf(request, "bedrock").$jsonSchemaText;
  const structure: { schema: string; name?: string; description?: string } = { schema: typeof text === "string" && sameJson(text, schema) ? text : schema };
  if (format.name !== "") structure.name = format.name;
  if (format.description !== undefined) structure.description = format.description;
  return structure;
}

function sameJson(text: string, serialised: string): boolean {
  try {
    return JSON.stringify(JSON.parse(text)) === serialised;
  } catch {
    return false;
  }
}
