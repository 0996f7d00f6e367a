import type { ToolCallPart } from "../../src/canonical/content.ts";
import type { JsonObject } from "../../src/canonical/extras.ts";
import { isObject } from "./anthropic-extras.ts";

/**
 * Tool inputs are objects on the wire and JSON text in the canonical model. A call decoded from
 * this format remembers its object, so writing it back unchanged costs no parse (a stage that
 * rewrites `arguments` gets its text parsed).
 */
const decoded = new WeakMap<ToolCallPart, { args: string; input: unknown }>();

export function rememberToolInput(part: ToolCallPart, input: unknown): void {
  decoded.set(part, { args: part.arguments, input });
}

/** Tool arguments (JSON text) as the object Anthropic wants; text that is no JSON object becomes `{}`. */
export function parseToolInput(args: string): JsonObject {
  if (args === "" || args === "{}") return {};
  try {
    const v: unknown = JSON.parse(args);
    return isObject(v) ? v : {};
  } catch {
    return {};
  }
}

export function toolInputOf(part: ToolCallPart): unknown {
  const known = decoded.get(part);
  return known !== undefined && known.args === part.arguments ? known.input : parseToolInput(part.arguments);
}
