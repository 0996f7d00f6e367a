import type { FunctionDeclaration, Tool, ToolConfig } from "@google/genai";
import { restOf, type JsonObject } from "../../src/canonical/extras.ts";
import type { ToolChoice, ToolDefinition } from "../../src/canonical/request.ts";

/**
 * Gemini tools -> canonical tool definitions. Function declarations become functions (their
 * schema taken as given, from `parameters` or `parametersJsonSchema`); every other key of a Tool
 * (googleSearch, codeExecution, urlContext, fileSearch, …) is a hosted tool. Each definition
 * remembers which Tool object it sat in and which schema field it used, so the same format
 * re-encodes the tools array exactly.
 */
const DECLARATION = new Set(["name", "description", "parameters", "parametersJsonSchema"]);

export function decodeGeminiTools(tools: Tool[]): ToolDefinition[] {
  const out: ToolDefinition[] = [];
  tools.forEach((tool, ti) => {
    for (const key in tool) {
      const value = (tool as JsonObject)[key];
      if (key === "functionDeclarations" && Array.isArray(value)) {
        for (const decl of value as FunctionDeclaration[]) out.push(decodeDeclaration(decl, ti));
      } else {
        out.push({ kind: "hosted", format: "gemini", value: { [key]: value }, extras: { gemini: { tool: ti } } });
      }
    }
  });
  return out;
}

function decodeDeclaration(decl: FunctionDeclaration, tool: number): ToolDefinition {
  const schemaField = decl.parameters !== undefined ? "parameters" : decl.parametersJsonSchema !== undefined ? "parametersJsonSchema" : undefined;
  const parameters = (decl.parameters ?? decl.parametersJsonSchema) as JsonObject | undefined;
  return {
    kind: "function",
    name: typeof decl.name === "string" ? decl.name : "",
    ...(typeof decl.description === "string" && { description: decl.description }),
    ...(parameters !== undefined && { parameters }),
    extras: { gemini: { tool, ...(schemaField && { schemaField }), ...restOf(decl as JsonObject, DECLARATION) } },
  };
}

/**
 * functionCallingConfig -> tool choice: AUTO/NONE as such, ANY as required (one allowed name:
 * that tool; several: an allowed list), VALIDATED as an allowed list in auto mode (Gemini's
 * "call one of these or answer"). Fields with no canonical meaning stay in `rest`.
 */
export function decodeGeminiToolConfig(config: ToolConfig): { toolChoice?: ToolChoice; rest?: JsonObject } {
  let rest = restOf(config as JsonObject, new Set(["functionCallingConfig"]));
  const fcc = config.functionCallingConfig;
  if (!fcc) return { rest };
  const mode = fcc.mode as string | undefined;
  const names = fcc.allowedFunctionNames;
  let toolChoice: ToolChoice | undefined;
  if (mode === "AUTO" && names === undefined) toolChoice = { type: "auto" };
  else if (mode === "NONE" && names === undefined) toolChoice = { type: "none" };
  else if (mode === "ANY") {
    if (names === undefined) toolChoice = { type: "required" };
    else if (names.length === 1) toolChoice = { type: "tool", name: names[0] };
    else toolChoice = { type: "allowed", mode: "required", names };
  } else if (mode === "VALIDATED" && names !== undefined) toolChoice = { type: "allowed", mode: "auto", names };
  const fccRest = restOf(fcc as JsonObject, toolChoice ? new Set(["mode", "allowedFunctionNames"]) : new Set());
  if (fccRest) rest = { ...rest, functionCallingConfig: fccRest };
  return { ...(toolChoice && { toolChoice }), ...(rest && { rest }) };
}
