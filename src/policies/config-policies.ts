import { createHash } from "node:crypto";
import { ANY_TOOL } from "./compile-policies.ts";
import type { PoliciesEntry } from "./policy-schema.ts";
import { DEFAULT_GUARDRAILS, type PolicyDefinition, type PolicyKind, type PolicySettings } from "./types.ts";

/** The policies the config file sets for one proxy. */
export interface ConfigPolicySet {
  proxyId: string;
  /** Set when the entry names `contextUntrusted` or `guardrails`; otherwise the stored settings are left alone. */
  settings?: PolicySettings;
  /** Rules in the file's order, ids given or derived. */
  policies: PolicyDefinition[];
}

const ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,199}$/;

/**
 * The id of a policy written without one: `<proxy>.<kind>.<tool>` (`default.toolInvocation.send_email`),
 * `.2`, `.3`, … for a tool's later rules of the same kind, a digest of the tool name when the name
 * cannot be part of an id. Deterministic: the same config line keeps its id across restarts, so
 * decisions logged yesterday still name it.
 */
export function derivedPolicyId(proxyId: string, kind: PolicyKind, tool: string, nth: number): string {
  const name = tool === ANY_TOOL ? "any" : tool;
  const base = `${proxyId}.${kind}.${ID.test(`x${name}`) ? name : createHash("sha256").update(tool).digest("hex").slice(0, 12)}`;
  const id = nth > 1 ? `${base}.${nth}` : base;
  return id.length <= 200 ? id : `${proxyId}.${kind}.${createHash("sha256").update(id).digest("hex").slice(0, 16)}`;
}

function definitions(entry: PoliciesEntry): PolicyDefinition[] {
  const out: PolicyDefinition[] = [];
  for (const kind of ["trustedData", "toolInvocation"] as const) {
    const seen = new Map<string, number>();
    for (const rule of entry[kind] ?? []) {
      const nth = (seen.get(rule.tool) ?? 0) + 1;
      seen.set(rule.tool, nth);
      const { id, when, reason, ...rest } = rule;
      out.push({
        kind,
        id: id ?? derivedPolicyId(entry.proxy, kind, rule.tool, nth),
        ...rest,
        ...(when && when.length > 0 && { when }),
        ...(reason !== undefined && { reason }),
      } as PolicyDefinition);
    }
  }
  return out;
}

export function toConfigPolicySets(section: readonly PoliciesEntry[]): ConfigPolicySet[] {
  return section.map((entry) => {
    const set: ConfigPolicySet = { proxyId: entry.proxy, policies: definitions(entry) };
    if (entry.contextUntrusted !== undefined || entry.guardrails !== undefined) {
      set.settings = { contextUntrusted: entry.contextUntrusted ?? false, guardrails: { ...DEFAULT_GUARDRAILS, ...entry.guardrails } };
    }
    return set;
  });
}

/** A proxy named by two entries, or two policies with one id: the field and the reason. */
export function policiesSectionProblem(section: readonly PoliciesEntry[] | undefined): string | undefined {
  const proxies = new Map<string, number>();
  const ids = new Set<string>();
  for (const [i, entry] of (section ?? []).entries()) {
    const first = proxies.get(entry.proxy);
    if (first !== undefined) return `policies[${i}].proxy: proxy '${entry.proxy}' already has its policies in policies[${first}]`;
    proxies.set(entry.proxy, i);
    const counts = { trustedData: 0, toolInvocation: 0 };
    for (const p of definitions(entry)) {
      const at = counts[p.kind]++;
      if (ids.has(p.id)) return `policies[${i}].${p.kind}[${at}].id: duplicate id '${p.id}'`;
      ids.add(p.id);
    }
  }
  return undefined;
}
