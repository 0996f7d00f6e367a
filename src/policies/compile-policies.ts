import { compileConditions, type ConditionTest } from "./compile-condition.ts";
import type { ProxyPolicies, ToolInvocationPolicy, TrustedDataPolicy } from "./types.ts";
import { DEFAULT_GUARDRAILS } from "./types.ts";

/** A policy with its conditions compiled; no `test` for an unconditional one. */
export interface CompiledRule<P> {
  policy: P;
  test?: ConditionTest;
}

/** The rules of one tool, grouped the way they are chosen (see `chooseRule`). */
export interface ToolRules<P> {
  blockAlways: CompiledRule<P>[];
  conditional: CompiledRule<P>[];
  unconditional?: CompiledRule<P>;
  /** Some rule has conditions: choosing needs the parsed arguments or result. */
  needsValue: boolean;
}

export type RuleIndex<P> = ReadonlyMap<string, ToolRules<P>>;

/** What the request path reads: the policies as stored, plus their compiled indexes by tool. */
export interface CompiledProxyPolicies extends ProxyPolicies {
  trustedDataRules: RuleIndex<TrustedDataPolicy>;
  toolInvocationRules: RuleIndex<ToolInvocationPolicy>;
  /** Some trusted-data rule is `block_always`: results must be checked even once the context is tainted. */
  blocksResults: boolean;
}

/** Where the request path gets a proxy's compiled policies (the catalog, from memory). */
export interface PolicySource {
  policiesFor(proxyId: string): CompiledProxyPolicies;
}

/** The tool name of rules that apply to every tool no rule names. */
export const ANY_TOOL = "*";

/** Actions that refuse or distrust: a rule of theirs whose conditions cannot be compiled matches always. */
const RESTRICTIVE = new Set(["block_always", "block_when_context_is_untrusted", "mark_as_untrusted"]);

/**
 * Compiles a proxy's policies once per change (the catalog calls it on load). Conditions were
 * validated when written; one that no longer compiles (a database edited by hand) fails safe: a
 * blocking or distrusting rule then always matches, an allowing or trusting one never does.
 */
export function compileProxyPolicies(policies: ProxyPolicies, report: (message: string) => void = () => {}): CompiledProxyPolicies {
  const trustedDataRules = indexRules(policies.trustedData, report);
  let blocksResults = false;
  for (const rules of trustedDataRules.values()) if (rules.blockAlways.length > 0) blocksResults = true;
  return { ...policies, trustedDataRules, toolInvocationRules: indexRules(policies.toolInvocation, report), blocksResults };
}

function indexRules<P extends TrustedDataPolicy | ToolInvocationPolicy>(policies: readonly P[], report: (message: string) => void): RuleIndex<P> {
  const index = new Map<string, ToolRules<P>>();
  for (const policy of policies) {
    let rules = index.get(policy.tool);
    if (!rules) index.set(policy.tool, (rules = { blockAlways: [], conditional: [], needsValue: false }));
    const rule: CompiledRule<P> = { policy };
    if (policy.when && policy.when.length > 0) {
      rules.needsValue = true;
      try {
        rule.test = compileConditions(policy.when);
      } catch (err) {
        const restrictive = RESTRICTIVE.has(policy.action);
        report(`policy ${policy.id}: ${(err as Error).message}; it ${restrictive ? "matches every" : "matches no"} ${policy.tool} call until fixed`);
        rule.test = restrictive ? () => true : () => false;
      }
    }
    if (policy.action === "block_always") rules.blockAlways.push(rule);
    else if (rule.test) rules.conditional.push(rule);
    else rules.unconditional ??= rule;
  }
  return index;
}

/**
 * The rule that decides for one call or result: a matching `block_always` wins; then the first
 * matching rule with conditions; then the tool's unconditional rule; undefined when none applies.
 * `value` parses the arguments or result; it is called at most once, and only when a condition
 * needs it.
 */
export function chooseRule<P>(rules: ToolRules<P> | undefined, value: () => unknown): P | undefined {
  if (!rules) return undefined;
  let parsed: unknown;
  let done = false;
  const get = () => {
    if (!done) {
      parsed = value();
      done = true;
    }
    return parsed;
  };
  for (const r of rules.blockAlways) if (!r.test || r.test(get())) return r.policy;
  for (const r of rules.conditional) if (r.test!(get())) return r.policy;
  return rules.unconditional?.policy;
}

/**
 * The rules for a tool. A Responses namespace tool (`mcp__github` + `create_issue`) is named
 * `mcp__github__create_issue` in policies (the spelling Claude Code uses for MCP tools); a
 * policy on the bare name applies when the qualified name has none. Rules for `*` apply to a
 * tool no rule names.
 */
export function rulesFor<P>(index: RuleIndex<P>, name: string, namespace?: string): ToolRules<P> | undefined {
  if (index.size === 0) return undefined;
  return (namespace ? index.get(`${namespace}__${name}`) : undefined) ?? index.get(name) ?? index.get(ANY_TOOL);
}

/** The policies of a proxy that has none: every tool result untrusted, guardrails off. */
export function emptyPolicies(proxyId: string): CompiledProxyPolicies {
  return compileProxyPolicies({ proxyId, contextUntrusted: false, trustedData: [], toolInvocation: [], guardrails: DEFAULT_GUARDRAILS });
}
