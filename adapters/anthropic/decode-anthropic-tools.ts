import type { JsonObject } from "../../src/canonical/extras.ts";
import type { ToolChoice, ToolDefinition } from "../../src/canonical/request.ts";
import { ANTHROPIC, anthropicExtras, isObject, restOfKnown } from "./anthropic-extras.ts";

const CUSTOM_TOOL_KEYS: ReadonlySet<string> = new Set(["name", "description", "input_schema", "strict"]);
const TOOL_CHOICE_KEYS: ReadonlySet<string> = new Set(["type", "name", "disable_parallel_tool_use"]);

/**
 * Custom tools become functions (`cache_control`, `defer_loading`, `type: "custom"`, … kept as
 * extras); every typed tool (web search, bash, text editor, code execution, memory, MCP toolsets, …)
 * is `hosted`, written back verbatim by this format and left out by others.
 */
export function decodeAnthropicTool(tool: JsonObject): ToolDefinition {
  const custom = tool.type === undefined || tool.type === null || tool.type === "custom";
  if (!custom || typeof tool.name !== "string") return { kind: "hosted", format: ANTHROPIC, value: tool };
  const def: Extract<ToolDefinition, { kind: "function" }> = { kind: "function", name: tool.name };
  let rest = restOfKnown(tool, CUSTOM_TOOL_KEYS);
  if (typeof tool.description === "string") def.description = tool.description;
  else if ("description" in tool) (rest ??= {}).description = tool.description;
  if (isObject(tool.input_schema)) def.parameters = tool.input_schema;
  else if ("input_schema" in tool) (rest ??= {}).input_schema = tool.input_schema;
  if (typeof tool.strict === "boolean") def.strict = tool.strict;
  else if ("strict" in tool) (rest ??= {}).strict = tool.strict;
  const extras = anthropicExtras(rest);
  if (extras) def.extras = extras;
  return def;
}

export interface DecodedToolChoice {
  toolChoice?: ToolChoice;
  parallelToolCalls?: boolean;
  /** Fields of `tool_choice` the canonical choice does not carry. */
  rest?: JsonObject;
}

export function decodeAnthropicToolChoice(choice: JsonObject): DecodedToolChoice {
  const out: DecodedToolChoice = {};
  let rest = restOfKnown(choice, TOOL_CHOICE_KEYS);
  switch (choice.type) {
    case "auto":
    case "none":
      out.toolChoice = { type: choice.type };
      break;
    case "any":
      out.toolChoice = { type: "required" };
      break;
    case "tool":
      if (typeof choice.name === "string") out.toolChoice = { type: "tool", name: choice.name };
      break;
  }
  if (!out.toolChoice) {
    out.rest = choice;
    return out;
  }
  if (choice.type !== "tool" && "name" in choice) (rest ??= {}).name = choice.name;
  if (typeof choice.disable_parallel_tool_use === "boolean") out.parallelToolCalls = !choice.disable_parallel_tool_use;
  else if ("disable_parallel_tool_use" in choice) (rest ??= {}).disable_parallel_tool_use = choice.disable_parallel_tool_use;
  if (rest) out.rest = rest;
  return out;
}
