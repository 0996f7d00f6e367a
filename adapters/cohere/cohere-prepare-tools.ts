import type { JsonObject } from "../../src/canonical/extras.ts";
import type { ToolChoice, ToolDefinition } from "../../src/canonical/request.ts";
import type { CohereChatRequest, CohereTool } from "./cohere-api-types.ts";
import { cohereExtras, cohereOf, FORMAT, isObject, nativeRest, spreadNative } from "./cohere-extras.ts";

const TOOL_KEYS = new Set(["type", "function"]);

/** Cohere requires `parameters`; a tool without arguments gets the empty object schema. */
const NO_PARAMETERS: JsonObject = { type: "object", properties: {} };

/** Responses custom tools take free text: for Cohere they are functions of one string. */
const CUSTOM_PARAMETERS: JsonObject = {
  type: "object",
  properties: { input: { type: "string", description: "The tool's free-text input." } },
  required: ["input"],
};

type ToolFields = Pick<CohereChatRequest, "tools" | "tool_choice" | "strict_tools">;

/**
 * Canonical tools and tool choice as Cohere's. Cohere has no `auto` value (it is the default) and
 * no named choice: a named tool (or an `allowed` list) is forced by offering only that tool with
 * `REQUIRED`, as the Vercel AI SDK does. `strict_tools` is one flag for all tools: set when every
 * function tool asks for strictness (or explicitly not). Cohere has no parallel-calls switch, no
 * hosted tools and no namespaces: `parallelToolCalls` and hosted tools of other formats are
 * dropped, namespaced functions go by their own name.
 */
export function prepareCohereTools(tools: readonly ToolDefinition[] | undefined, choice: ToolChoice | undefined): ToolFields {
  const out: ToolFields = {};
  if (tools === undefined) return out;
  let offered: CohereTool[] = [];
  let functions = 0;
  let strictCount = 0;
  let looseCount = 0;
  for (const tool of tools) {
    if (tool.kind === "hosted") {
      if (tool.format === FORMAT) offered.push(tool.value as unknown as CohereTool);
      continue;
    }
    if (tool.kind === "function") {
      functions++;
      if (tool.strict === true) strictCount++;
      else if (tool.strict === false) looseCount++;
    }
    const fn: CohereTool["function"] = { name: tool.name, parameters: tool.kind === "function" ? (tool.parameters ?? NO_PARAMETERS) : CUSTOM_PARAMETERS };
    if (tool.description !== undefined) fn.description = tool.description;
    offered.push(spreadNative<CohereTool>({ type: "function", function: fn }, cohereOf(tool)));
  }
  if (functions > 0 && strictCount === functions) out.strict_tools = true;
  else if (functions > 0 && looseCount === functions) out.strict_tools = false;

  switch (choice?.type) {
    case "none":
      out.tool_choice = "NONE";
      break;
    case "required":
      out.tool_choice = "REQUIRED";
      break;
    case "tool":
      offered = offered.filter((t) => t.function?.name === choice.name);
      out.tool_choice = "REQUIRED";
      break;
    case "allowed": {
      const names = new Set(choice.names);
      offered = offered.filter((t) => names.has(t.function?.name));
      if (choice.mode === "required") out.tool_choice = "REQUIRED";
      break;
    }
  }
  // Cohere rejects an empty tool list (and a forced choice without tools): when every tool was
  // one Cohere cannot take, none is sent.
  if (offered.length === 0 && tools.length > 0) return {};
  out.tools = offered;
  return out;
}

/** Cohere tools as canonical ones; `strict_tools` is spread onto every function. */
export function decodeCohereTools(tools: readonly JsonObject[], strict: boolean | undefined): ToolDefinition[] {
  return tools.map((tool): ToolDefinition => {
    const fn = tool.function;
    if (tool.type !== "function" || !isObject(fn) || typeof fn.name !== "string") {
      return { kind: "hosted", format: FORMAT, value: tool };
    }
    const def: ToolDefinition = { kind: "function", name: fn.name };
    if (typeof fn.description === "string") def.description = fn.description;
    if (isObject(fn.parameters)) def.parameters = fn.parameters;
    if (strict !== undefined) def.strict = strict;
    const extras = cohereExtras(nativeRest(tool, TOOL_KEYS));
    if (extras) def.extras = extras;
    return def;
  });
}

/** Cohere's tool choice as canonical. */
export function decodeCohereToolChoice(choice: string | undefined): ToolChoice | undefined {
  if (choice === "REQUIRED") return { type: "required" };
  if (choice === "NONE") return { type: "none" };
  return undefined;
}
