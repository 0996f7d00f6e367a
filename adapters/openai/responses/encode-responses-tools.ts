import type { JsonObject } from "../../../src/canonical/extras.ts";
import type { ToolChoice, ToolDefinition } from "../../../src/canonical/request.ts";
import { isObject, own, putNative, RESPONSES } from "./responses-extras.ts";

type FunctionDef = Extract<ToolDefinition, { kind: "function" }>;
type CustomDef = Extract<ToolDefinition, { kind: "custom" }>;

/**
 * Definitions as Responses tools: consecutive tools of one namespace are regrouped into a
 * `namespace` tool; hosted tools of another format are left out (they have no OpenAI meaning).
 */
export function encodeTools(tools: readonly ToolDefinition[]): JsonObject[] {
  const out: JsonObject[] = [];
  let group: JsonObject[] | undefined;
  let groupName: string | undefined;
  for (const def of tools) {
    if (def.kind === "hosted") {
      group = undefined;
      if (def.format === RESPONSES) out.push(def.value);
      continue;
    }
    const tool = def.kind === "function" ? encodeFunction(def) : encodeCustom(def);
    if (def.namespace === undefined) {
      group = undefined;
      out.push(tool);
      continue;
    }
    const namespaceTool = own(def).namespaceTool;
    if (!group || groupName !== def.namespace || namespaceTool) {
      group = [];
      groupName = def.namespace;
      // OpenAI requires a namespace description; a namespace of another origin has none to give.
      out.push({ type: "namespace", name: def.namespace, ...(namespaceTool ?? { description: def.namespace }), tools: group });
    }
    group.push(tool);
  }
  return out;
}

/**
 * Responses applies strict mode by default, which rejects the loose schemas Chat clients send:
 * a definition that does not say is sent non-strict, as Chat Completions treats it.
 */
function encodeFunction(def: FunctionDef): JsonObject {
  const extras = own(def);
  const tool: JsonObject = { type: "function", name: def.name };
  if (def.description !== undefined) tool.description = def.description;
  if (def.parameters !== undefined) tool.parameters = def.parameters;
  if (def.strict !== undefined) tool.strict = def.strict;
  if (def.extras?.[RESPONSES]) return putNative(tool, extras);
  tool.parameters ??= { type: "object", properties: {} };
  tool.strict ??= false;
  return tool;
}

function encodeCustom(def: CustomDef): JsonObject {
  const tool: JsonObject = { type: "custom", name: def.name };
  if (def.description !== undefined) tool.description = def.description;
  if (def.format !== undefined) tool.format = def.format;
  return putNative(tool, own(def));
}

/**
 * A canonical choice as `tool_choice`. The native value kept beside it (hosted tools, rich
 * `allowed_tools` entries, custom tools) is used while it still says the same thing.
 */
export function encodeToolChoice(choice: ToolChoice | undefined, native: unknown, tools: readonly ToolDefinition[] | undefined): unknown {
  if (native !== undefined && agrees(choice, native)) return native;
  if (!choice) return undefined;
  switch (choice.type) {
    case "auto":
    case "none":
    case "required":
      return choice.type;
    case "tool": {
      const out: JsonObject = { type: isCustom(tools, choice.name) ? "custom" : "function", name: choice.name };
      if (choice.namespace !== undefined) out.namespace = choice.namespace;
      return out;
    }
    case "allowed":
      return {
        type: "allowed_tools",
        mode: choice.mode,
        tools: choice.names.map((name) => ({ type: isCustom(tools, name) ? "custom" : "function", name })),
      };
  }
}

function agrees(choice: ToolChoice | undefined, native: unknown): boolean {
  if (!choice) return true;
  if (!isObject(native)) return false;
  if (choice.type === "tool") return native.name === choice.name;
  if (choice.type === "allowed" && Array.isArray(native.tools) && native.mode === choice.mode) {
    const named = native.tools.filter((t) => isObject(t) && typeof t.name === "string");
    return named.length === choice.names.length && named.every((t, i) => (t as JsonObject).name === choice.names[i]);
  }
  return false;
}

function isCustom(tools: readonly ToolDefinition[] | undefined, name: string): boolean {
  return tools?.some((t) => t.kind === "custom" && t.name === name) ?? false;
}
