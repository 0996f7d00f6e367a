/**
 * A limit's model filter as a predicate over (provider, model). The pattern is matched against
 * both the provider-qualified id (`openai:gpt-4o*`, `anthropic:*`) and the upstream model name
 * alone (`gpt-4o-mini`, `claude-*`, a Bedrock id such as `anthropic.claude-3-5-sonnet-20240620-v1:0`
 * whose own `:` must not make it look qualified). `*` stands for any run of characters;
 * everything else is literal and case-sensitive.
 */
export type ModelMatcher = (provider: string, model: string) => boolean;

export function compileModelFilter(pattern: string): ModelMatcher {
  if (!pattern.includes("*")) return (p, m) => m === pattern || (pattern.startsWith(p) && pattern === `${p}:${m}`);
  const re = new RegExp(`^${pattern.split("*").map(escapeRegExp).join(".*")}$`, "s");
  return (p, m) => re.test(m) || re.test(`${p}:${m}`);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
