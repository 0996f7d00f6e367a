import type { JsonObject } from "../../src/canonical/extras.ts";
import type { CanonicalRequest, ToolDefinition } from "../../src/canonical/request.ts";
import { ANTHROPIC, isObject, own, spreadNative } from "./anthropic-extras.ts";
import { jsonFallbackTool } from "./anthropic-json-fallback.ts";
import type { AnthropicModelCapabilities } from "./anthropic-model-capabilities.ts";
import { toAnthropicStrictSchema } from "./anthropic-strict-schema.ts";
import { flatToolName } from "./anthropic-tool-names.ts";

export interface PreparedTools {
  tools?: JsonObject[];
  tool_choice?: JsonObject;
  /** A tool call is forced (`any` / `tool`): thinking must be off. */
  forced: boolean;
}

const EMPTY_OBJECT_SCHEMA = { type: "object", properties: {} } as const;

function encodeFunctionTool(def: Extract<ToolDefinition, { kind: "function" }>, native: boolean, strictOk: boolean): JsonObject {
  const tool: JsonObject = { name: native ? def.name : flatToolName(def.name, def.namespace) };
  if (def.description !== undefined) tool.description = def.description;
  if (native) {
    if (def.parameters !== undefined) tool.input_schema = def.parameters;
    if (def.strict !== undefined) tool.strict = def.strict;
    return spreadNative(tool, own(def));
  }
  const strict = def.strict === true && strictOk;
  // Anthropic requires an object schema; OpenAI allows a function without parameters.
  const params = def.parameters && def.parameters.type !== undefined ? def.parameters : { ...EMPTY_OBJECT_SCHEMA, ...def.parameters };
  tool.input_schema = strict ? toAnthropicStrictSchema(params) : params;
  if (strict) tool.strict = true;
  return tool;
}

/** Free-text (Responses custom) tools take their text as one string property. */
function encodeCustomTool(def: Extract<ToolDefinition, { kind: "custom" }>): JsonObject {
  const tool: JsonObject = {
    name: flatToolName(def.name, def.namespace),
    input_schema: { type: "object", properties: { input: { type: "string" } }, required: ["input"] },
  };
  if (def.description !== undefined) tool.description = def.description;
  return tool;
}

function encodeTool(def: ToolDefinition, native: boolean, strictOk: boolean): JsonObject | undefined {
  switch (def.kind) {
    case "function":
      return encodeFunctionTool(def, native, strictOk);
    case "custom":
      return encodeCustomTool(def);
    case "hosted":
      return def.format === ANTHROPIC ? def.value : undefined;
  }
}

function encodeTools(defs: readonly ToolDefinition[], native: boolean, strictOk: boolean): JsonObject[] {
  const out: JsonObject[] = [];
  for (const d of defs) {
    const tool = encodeTool(d, native, strictOk);
    if (tool) out.push(tool);
  }
  return out;
}

/** `tools` and `tool_choice` of a request decoded from this format. */
export function prepareNativeTools(req: CanonicalRequest): { tools?: JsonObject[]; tool_choice?: unknown } {
  const x = own(req);
  const out: { tools?: JsonObject[]; tool_choice?: unknown } = {};
  if (req.tools) out.tools = encodeTools(req.tools, true, true);
  const rest = x.tool_choice;
  const choice = req.toolChoice;
  if (!choice) {
    if (rest !== undefined) out.tool_choice = rest;
    else if (req.parallelToolCalls !== undefined) out.tool_choice = { type: "auto", disable_parallel_tool_use: !req.parallelToolCalls };
    return out;
  }
  const tc: JsonObject = isObject(rest) ? { ...rest } : {};
  tc.type = choice.type === "required" ? "any" : choice.type === "allowed" ? (choice.mode === "required" ? "any" : "auto") : choice.type;
  if (choice.type === "tool") tc.name = choice.name;
  if (req.parallelToolCalls !== undefined && choice.type !== "none") tc.disable_parallel_tool_use = !req.parallelToolCalls;
  out.tool_choice = tc;
  return out;
}

/**
 * `tools` and `tool_choice` for a request from another format. `required` is `any`; a model that
 * refuses forced tool use gets `auto` (with only the named tool, for a named choice); OpenAI's
 * `allowed_tools` narrows the tool list; `parallelToolCalls: false` is `disable_parallel_tool_use`.
 * Other formats' hosted tools have no Anthropic form and are left out.
 */
export function prepareRoutedTools(req: CanonicalRequest, caps: AnthropicModelCapabilities): PreparedTools {
  let defs = req.tools ?? [];
  const choice = req.toolChoice;
  let type: string | undefined;
  let name: string | undefined;
  let namespace: string | undefined;
  switch (choice?.type) {
    case "auto":
    case "none":
      type = choice.type;
      break;
    case "required":
      type = "any";
      break;
    case "tool":
      type = "tool";
      name = choice.name;
      namespace = choice.namespace;
      if (caps.rejectsForcedToolUse) defs = defs.filter((d) => d.kind !== "hosted" && d.name === choice.name && d.namespace === namespace);
      break;
    case "allowed": {
      const names = new Set(choice.names);
      defs = defs.filter((d) => d.kind === "hosted" || names.has(d.name));
      type = choice.mode === "required" ? "any" : "auto";
      break;
    }
  }
  if (caps.rejectsForcedToolUse && (type === "any" || type === "tool")) type = "auto";
  const tools = encodeTools(defs, false, caps.structuredOutput);

  const rf = req.responseFormat;
  if (rf?.type === "json_schema" && !caps.structuredOutput) {
    // With tools the model may still call them (`any`), and answers through the JSON tool at the end.
    const fallback = jsonFallbackTool(rf.schema, rf.description);
    const clientTools = tools.length > 0 && type !== "none";
    tools.push(fallback);
    if (!clientTools) {
      type = "tool";
      name = fallback.name as string;
      namespace = undefined;
    } else if (type !== "tool") type = "any";
  }

  const out: PreparedTools = { forced: false };
  if (tools.length === 0) return out;
  out.tools = tools;
  if (type === undefined && req.parallelToolCalls === false) type = "auto";
  if (type !== undefined) {
    const tc: JsonObject = { type };
    if (type === "tool") tc.name = flatToolName(name as string, namespace);
    if (req.parallelToolCalls === false && type !== "none") tc.disable_parallel_tool_use = true;
    out.tool_choice = tc;
    out.forced = type === "any" || type === "tool";
  }
  return out;
}
