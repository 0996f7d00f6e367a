/**
 * BENCH_POLICIES=compare: the same proxy without policies and with ten policies (four on tool
 * results, six on tool calls: conditions with `[*]`, a regex, an unconditional `*` rule) and every
 * guardrail on (secrets and PII redacted, restore on). The agent lanes carry tools and tool
 * results that these rules judge; the difference is what the security pipeline costs.
 */
export const TEN_POLICIES_ALL_GUARDRAILS: readonly string[] = [
  "policies:",
  "  - proxy: default",
  "    trustedData:",
  "      - { tool: read_inbox, action: mark_as_trusted }",
  '      - { tool: fetch_url, when: [{ path: url, op: startsWith, value: "https://intranet/" }], action: mark_as_trusted }',
  '      - { tool: read_file, when: [{ path: path, op: regex, value: "(?i)\\\\.env$" }], action: block_always }',
  "      - { tool: get_weather, action: mark_as_trusted }",
  "    toolInvocation:",
  '      - { tool: send_email, when: [{ path: "to[*]", op: endsWith, value: "@example.com" }], action: allow_when_context_is_untrusted }',
  "      - { tool: send_email, action: block_when_context_is_untrusted }",
  "      - { tool: delete_repo, action: block_always }",
  "      - { tool: get_weather, action: allow_when_context_is_untrusted }",
  '      - { tool: create_issue, when: [{ path: title, op: regex, value: "(?i)password|secret" }], action: block_always }',
  '      - { tool: "*", action: block_when_context_is_untrusted }',
  "    guardrails: { secrets: redact, pii: redact, restore: true }",
];
