import type { NativePart } from "../canonical/content.ts";

/** Responses items that bring outside content into the conversation, by the hosted tool that made them. */
const RESPONSES_RESULTS: Readonly<Record<string, string>> = {
  web_search_call: "web_search",
  file_search_call: "file_search",
  code_interpreter_call: "code_interpreter",
  computer_call_output: "computer",
  local_shell_call_output: "local_shell",
  shell_call_output: "shell",
};

/**
 * The tool whose result a native part carries: a provider-run (hosted) tool such as Anthropic's
 * `web_search` (`web_search_tool_result`) or a Responses `web_search_call`, `mcp_call`, … Such
 * results are tool results like any other: untrusted unless a trusted-data policy on that tool
 * name trusts them. Undefined for native parts that carry no outside content.
 */
export function hostedResultTool(part: NativePart): { name: string; namespace?: string } | undefined {
  const type = part.value.type;
  if (typeof type !== "string") return undefined;
  if (part.format === "anthropic") return type.endsWith("_tool_result") ? { name: type.slice(0, -"_tool_result".length) } : undefined;
  if (part.format !== "openai-responses") return undefined;
  if (type === "mcp_call") {
    const name = typeof part.value.name === "string" ? part.value.name : "mcp";
    const label = part.value.server_label;
    return typeof label === "string" ? { name, namespace: `mcp__${label}` } : { name };
  }
  const name = RESPONSES_RESULTS[type];
  return name ? { name } : undefined;
}
