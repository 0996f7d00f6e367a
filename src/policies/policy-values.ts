import type { ToolCallPart, ToolResultPart } from "../canonical/content.ts";

/**
 * What conditions look into. Arguments are parsed as JSON (for a duplicated key the last one
 * counts, as in `JSON.parse`); arguments that are not JSON give no value, so every path is
 * absent and no condition holds. A custom (free-text) tool's input is its text.
 */
export function toolCallValue(call: ToolCallPart): unknown {
  if (call.kind === "custom") return call.arguments;
  try {
    return JSON.parse(call.arguments === "" ? "{}" : call.arguments);
  } catch {
    return undefined;
  }
}

/** The result's text (text parts joined; images and files have none). */
export function toolResultText(part: ToolResultPart): string {
  if (typeof part.content === "string") return part.content;
  let text = "";
  for (const p of part.content) if (p.type === "text") text += text ? `\n${p.text}` : p.text;
  return text;
}

/** A result is parsed as JSON when it is JSON; otherwise it is its text (the `""` path). */
export function toolResultValue(part: ToolResultPart): unknown {
  const text = toolResultText(part);
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
