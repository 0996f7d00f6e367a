import { restOf, type JsonObject } from "../../../src/canonical/extras.ts";
import type { ToolChoice, ToolDefinition } from "../../../src/canonical/request.ts";
import { addExtra, isObject, keepRest, RESPONSES } from "./responses-extras.ts";

const FUNCTION = new Set(["type", "name", "description", "parameters", "strict"]);
const CUSTOM = new Set(["type", "name", "description", "format"]);
const NAMESPACE = new Set(["type", "name", "tools"]);

/**
 * Tools as canonical definitions. `namespace` tools are flattened into their functions (each
 * carrying `namespace`), the namespace's own fields kept on the first one; tools OpenAI runs
 * itself (web_search, file_search, code_interpreter, mcp, …) are `hosted`, kept verbatim.
 */
export function decodeTools(tools: readonly JsonObject[]): ToolDefinition[] {
  const out: ToolDefinition[] = [];
  for (const tool of tools) {
    if (tool.type === "function" || tool.type === "custom") {
      const def = decodeTool(tool, undefined);
      if (def) {
        out.push(def);
        continue;
      }
    } else if (tool.type === "namespace" && typeof tool.name === "string" && Array.isArray(tool.tools) && tool.tools.length > 0) {
      const inner = tool.tools.map((t) => (isObject(t) ? decodeTool(t, tool.name as string) : undefined));
      if (inner.every((d) => d !== undefined)) {
        const rest = restOf(tool, NAMESPACE);
        if (rest) ((inner[0].extras ??= {})[RESPONSES] ??= {}).namespaceTool = rest;
        out.push(...inner);
        continue;
      }
    }
    out.push({ kind: "hosted", format: RESPONSES, value: tool });
  }
  return out;
}

function decodeTool(tool: JsonObject, namespace: string | undefined): ToolDefinition | undefined {
  if (typeof tool.name !== "string") return undefined;
  if (tool.type === "function") {
    const def: Extract<ToolDefinition, { kind: "function" }> = { kind: "function", name: tool.name };
    let extras = keepRest(tool, FUNCTION);
    if (typeof tool.description === "string") def.description = tool.description;
    else if ("description" in tool) extras = addExtra(extras, "description", tool.description);
    if (isObject(tool.parameters)) def.parameters = tool.parameters;
    else if ("parameters" in tool) extras = addExtra(extras, "parameters", tool.parameters);
    if (typeof tool.strict === "boolean") def.strict = tool.strict;
    else if ("strict" in tool) extras = addExtra(extras, "strict", tool.strict);
    if (namespace !== undefined) def.namespace = namespace;
    // Always present, even empty: it tells the encoder a missing `strict` or `parameters` was
    // missing on the wire (Responses then defaults to strict), not unsaid by another format.
    def.extras = extras ?? { [RESPONSES]: {} };
    return def;
  }
  if (tool.type === "custom") {
    const def: Extract<ToolDefinition, { kind: "custom" }> = { kind: "custom", name: tool.name };
    let extras = keepRest(tool, CUSTOM);
    if (typeof tool.description === "string") def.description = tool.description;
    else if ("description" in tool) extras = addExtra(extras, "description", tool.description);
    if (isObject(tool.format)) def.format = tool.format;
    else if ("format" in tool) extras = addExtra(extras, "format", tool.format);
    if (namespace !== undefined) def.namespace = namespace;
    if (extras) def.extras = extras;
    return def;
  }
  return undefined;
}

export interface DecodedToolChoice {
  choice?: ToolChoice;
  /** The native value, when the canonical choice cannot say all of it (hosted tools, allowed_tools entries). */
  native?: unknown;
}

/**
 * `tool_choice` as a canonical choice. Forcing a hosted tool (`{type: "web_search_preview"}`,
 * `{type: "mcp", server_label}`) has no canonical form: it travels natively only. An
 * `allowed_tools` list naming more than plain functions keeps its native form beside the names.
 */
export function decodeToolChoice(value: unknown): DecodedToolChoice {
  if (value === "auto" || value === "none" || value === "required") return { choice: { type: value } };
  if (!isObject(value)) return { native: value };
  if ((value.type === "function" || value.type === "custom") && typeof value.name === "string") {
    const choice: ToolChoice = { type: "tool", name: value.name };
    if (typeof value.namespace === "string") choice.namespace = value.namespace;
    const plain = Object.keys(value).every((k) => k === "type" || k === "name" || k === "namespace");
    return plain && value.type === "function" ? { choice } : { choice, native: value };
  }
  if (value.type === "allowed_tools" && (value.mode === "auto" || value.mode === "required") && Array.isArray(value.tools)) {
    const names: string[] = [];
    let plain = Object.keys(value).length === 3;
    for (const t of value.tools) {
      if (isObject(t) && typeof t.name === "string") names.push(t.name);
      if (!isObject(t) || t.type !== "function" || typeof t.name !== "string" || Object.keys(t).length !== 2) plain = false;
    }
    const choice: ToolChoice = { type: "allowed", mode: value.mode, names };
    return plain ? { choice } : { choice, native: value };
  }
  return { native: value };
}
