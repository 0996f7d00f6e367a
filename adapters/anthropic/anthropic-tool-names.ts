/**
 * Anthropic tools have no namespaces: a Responses namespace tool (Codex names MCP servers
 * `mcp__<server>`) becomes `<namespace>__<name>`, the same spelling Claude Code gives MCP tools.
 */
export function flatToolName(name: string, namespace: string | undefined): string {
  return namespace ? `${namespace}__${name}` : name;
}

const BAD_ID_CHARS = /[^a-zA-Z0-9_-]/g;

/** Tool-use ids must match `^[a-zA-Z0-9_-]+$`; other providers' ids are made to fit (the same way on call and result). */
export function toolUseId(id: string): string {
  if (id === "") return "toolu_missing";
  BAD_ID_CHARS.lastIndex = 0;
  return BAD_ID_CHARS.test(id) ? id.replace(BAD_ID_CHARS, "_") : id;
}
