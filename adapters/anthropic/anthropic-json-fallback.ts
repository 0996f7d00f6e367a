import type { JsonObject } from "../../src/canonical/extras.ts";
import type { JsonSchema } from "../../src/canonical/request.ts";
import { isObject } from "./anthropic-extras.ts";

/**
 * JSON-schema output for models without `output_config.format` (older Claude models, compatible
 * servers): the schema becomes a tool the model must call, and the decoders turn that call back
 * into the text answer the client asked for. A schema whose root is not an object is wrapped in
 * `{value: …}` under a second name, and unwrapped on the way back.
 */
export const JSON_TOOL = "portcullis_structured_output";
export const JSON_VALUE_TOOL = "portcullis_structured_value";

export function isJsonFallbackTool(name: unknown): name is typeof JSON_TOOL | typeof JSON_VALUE_TOOL {
  return name === JSON_TOOL || name === JSON_VALUE_TOOL;
}

export function jsonFallbackTool(schema: JsonSchema, description: string | undefined): JsonObject {
  const objectRoot = schema.type === "object" || (schema.type === undefined && isObject(schema.properties));
  return {
    name: objectRoot ? JSON_TOOL : JSON_VALUE_TOOL,
    description: description ?? "Give the final answer as JSON matching this schema.",
    input_schema: objectRoot ? schema : { type: "object", properties: { value: schema }, required: ["value"] },
  };
}

/** The answer text for the fallback tool's input (JSON text as streamed, or the parsed object). */
export function jsonFallbackText(name: string, input: string): string {
  if (name !== JSON_VALUE_TOOL) return input;
  try {
    const v = JSON.parse(input) as { value?: unknown };
    return JSON.stringify(v?.value ?? null);
  } catch {
    return input;
  }
}
