import { restOf, type JsonObject } from "../../src/canonical/extras.ts";
import type { CanonicalRequest, ToolChoice, ToolDefinition } from "../../src/canonical/request.ts";
import type { BedrockToolChoice, BedrockToolConfig } from "./bedrock-wire-types.ts";

const SPEC_KNOWN = new Set(["name", "description", "inputSchema", "strict"]);

/** toolSpec tools as function tools; cache points, system tools and the unknown as hosted tools kept verbatim. */
export function decodeBedrockTools(config: BedrockToolConfig): ToolDefinition[] {
  const tools = Array.isArray(config.tools) ? config.tools : [];
  return tools.map((t): ToolDefinition => {
    const spec = t.toolSpec;
    const schema = spec?.inputSchema;
    if (Object.keys(t).length === 1 && typeof spec?.name === "string" && schema && Object.keys(schema).length === 1 && schema.json && typeof schema.json === "object") {
      const tool: ToolDefinition = { kind: "function", name: spec.name, parameters: schema.json };
      if (typeof spec.description === "string") tool.description = spec.description;
      if (typeof spec.strict === "boolean") tool.strict = spec.strict;
      const rest = restOf(spec, SPEC_KNOWN);
      if (rest) tool.extras = { bedrock: rest };
      return tool;
    }
    return { kind: "hosted", format: "bedrock", value: t as JsonObject };
  });
}

export function decodeBedrockToolChoice(choice: BedrockToolChoice): ToolChoice | undefined {
  if (!choice || typeof choice !== "object" || Object.keys(choice).length !== 1) return undefined;
  if (choice.auto) return { type: "auto" };
  if (choice.any) return { type: "required" };
  if (typeof choice.tool?.name === "string" && Object.keys(choice.tool).length === 1) return { type: "tool", name: choice.tool.name };
  return undefined;
}

const ANTHROPIC_TYPES: Record<string, ToolChoice["type"]> = { auto: "auto", any: "required", tool: "tool", none: "none" };

/**
 * Claude's own `tool_choice` in additionalModelRequestFields (how a Bedrock client says "no
 * parallel tool calls" or "none"), when its shape is one we can say again exactly.
 */
export function decodeAnthropicToolChoice(tc: unknown): Pick<CanonicalRequest, "toolChoice" | "parallelToolCalls"> | undefined {
  if (!tc || typeof tc !== "object") return undefined;
  const { type, name, disable_parallel_tool_use: disable, ...rest } = tc as Record<string, unknown>;
  if (Object.keys(rest).length > 0 || typeof type !== "string" || !Object.hasOwn(ANTHROPIC_TYPES, type)) return undefined;
  if ((type === "tool") !== (typeof name === "string") || (disable !== undefined && typeof disable !== "boolean")) return undefined;
  const out: Pick<CanonicalRequest, "toolChoice" | "parallelToolCalls"> = {
    toolChoice: type === "tool" ? { type: "tool", name: name as string } : ({ type: ANTHROPIC_TYPES[type] } as ToolChoice),
  };
  if (disable !== undefined) out.parallelToolCalls = !disable;
  return out;
}
