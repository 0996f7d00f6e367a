import { sql, type SqlBool } from "kysely";
import type { ConfigPolicySet } from "../policies/config-policies.ts";
import {
  DEFAULT_POLICY_SETTINGS,
  type Condition,
  type GuardrailAction,
  type PolicyDefinition,
  type PolicyKind,
  type PolicyRecord,
  type PolicySettings,
  type ProxyPolicies,
  type ToolInvocationPolicy,
  type TrustedDataPolicy,
} from "../policies/types.ts";
import { nowIso, toJson } from "./columns.ts";
import type { DbHandle } from "./db.ts";
import type { Page, PageRequest } from "./pagination.ts";
import type { PoliciesTable, PolicySettingsTable } from "./schema.ts";

type Source = PolicyRecord["source"];

export function toPolicyRecord(row: PoliciesTable): PolicyRecord {
  const record = {
    kind: row.kind as PolicyKind,
    id: row.id,
    proxyId: row.proxy_id,
    tool: row.tool,
    action: row.action,
    position: Number(row.position),
    source: row.source === "config" ? "config" : "api",
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  } as PolicyRecord;
  if (row.conditions !== null) record.when = JSON.parse(row.conditions) as Condition[];
  if (row.reason !== null) record.reason = row.reason;
  return record;
}

function columns(policy: PolicyDefinition): Pick<PoliciesTable, "kind" | "tool" | "conditions" | "action" | "reason"> {
  return {
    kind: policy.kind,
    tool: policy.tool,
    conditions: policy.when && policy.when.length > 0 ? toJson(policy.when) : null,
    action: policy.action,
    reason: policy.reason ?? null,
  };
}

export async function getPolicy({ db }: DbHandle, id: string): Promise<PolicyRecord | undefined> {
  const row = await db.selectFrom("policies").selectAll().where("id", "=", id).executeTakeFirst();
  return row && toPolicyRecord(row);
}

/** A proxy's rules of one kind, in the order they are tried; the cursor is (position, id). */
export async function pagePolicies({ db }: DbHandle, proxyId: string, kind: PolicyKind, page: PageRequest): Promise<Page<PolicyRecord>> {
  let query = db.selectFrom("policies").selectAll().where("proxy_id", "=", proxyId).where("kind", "=", kind).orderBy("position").orderBy("id").limit(page.limit + 1);
  if (page.after) {
    const position = Number(page.after.createdAt);
    const id = page.after.id;
    query = query.where(sql<SqlBool>`(position > ${position} or (position = ${position} and id > ${id}))`);
  }
  const rows = await query.execute();
  const more = rows.length > page.limit;
  const kept = more ? rows.slice(0, page.limit) : rows;
  const out: Page<PolicyRecord> = { data: kept.map(toPolicyRecord) };
  const last = kept.at(-1);
  // The opaque cursor's first field carries the position.
  if (more && last) out.next = { createdAt: String(last.position), id: last.id };
  return out;
}

/** The position after the proxy's last rule of this kind. */
export async function nextPolicyPosition({ db }: DbHandle, proxyId: string, kind: PolicyKind): Promise<number> {
  const row = await db.selectFrom("policies").select((eb) => eb.fn.max("position").as("last")).where("proxy_id", "=", proxyId).where("kind", "=", kind).executeTakeFirst();
  const last = row?.last;
  return last === null || last === undefined ? 0 : Number(last) + 1;
}

/** Creates a policy; undefined when the id is taken. */
export async function insertPolicy({ db }: DbHandle, proxyId: string, policy: PolicyDefinition, position: number, source: Source): Promise<PolicyRecord | undefined> {
  const now = nowIso();
  const row: PoliciesTable = { id: policy.id, proxy_id: proxyId, ...columns(policy), position, source, created_at: now, updated_at: now };
  const result = await db.insertInto("policies").values(row).onConflict((oc) => oc.column("id").doNothing()).executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0 ? toPolicyRecord(row) : undefined;
}

function samePolicy(a: PolicyRecord, proxyId: string, b: PolicyDefinition, position: number, source: Source): boolean {
  const ca = columns(a);
  const cb = columns(b);
  return a.proxyId === proxyId && a.position === position && a.source === source && ca.kind === cb.kind && ca.tool === cb.tool && ca.conditions === cb.conditions && ca.action === cb.action && ca.reason === cb.reason;
}

/** Makes the stored policy match; reports what it did. */
export async function upsertPolicy(handle: DbHandle, proxyId: string, policy: PolicyDefinition, position: number, source: Source): Promise<"created" | "updated" | "unchanged"> {
  const existing = await getPolicy(handle, policy.id);
  if (!existing) return (await insertPolicy(handle, proxyId, policy, position, source)) ? "created" : "unchanged";
  if (samePolicy(existing, proxyId, policy, position, source)) return "unchanged";
  await handle.db
    .updateTable("policies")
    .set({ proxy_id: proxyId, ...columns(policy), position, source, updated_at: nowIso() })
    .where("id", "=", policy.id)
    .execute();
  return "updated";
}

export async function deletePolicy({ db }: DbHandle, id: string): Promise<boolean> {
  const result = await db.deleteFrom("policies").where("id", "=", id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

function toSettings(row: PolicySettingsTable): PolicySettings {
  return {
    contextUntrusted: Number(row.context_untrusted) === 1,
    guardrails: { secrets: row.guardrail_secrets as GuardrailAction, pii: row.guardrail_pii as GuardrailAction, restore: Number(row.guardrail_restore) === 1 },
  };
}

/** A proxy's settings; the defaults when none were set. */
export async function getPolicySettings({ db }: DbHandle, proxyId: string): Promise<PolicySettings & { source?: Source }> {
  const row = await db.selectFrom("policy_settings").selectAll().where("proxy_id", "=", proxyId).executeTakeFirst();
  return row ? { ...toSettings(row), source: row.source === "config" ? "config" : "api" } : DEFAULT_POLICY_SETTINGS;
}

/** Makes the stored settings match; reports whether anything changed. */
export async function upsertPolicySettings({ db }: DbHandle, proxyId: string, settings: PolicySettings, source: Source): Promise<boolean> {
  const row = await db.selectFrom("policy_settings").selectAll().where("proxy_id", "=", proxyId).executeTakeFirst();
  const g = settings.guardrails;
  const values = {
    context_untrusted: settings.contextUntrusted ? 1 : 0,
    guardrail_secrets: g.secrets,
    guardrail_pii: g.pii,
    guardrail_restore: g.restore ? 1 : 0,
    source,
  };
  if (row) {
    const same = (Object.keys(values) as Array<keyof typeof values>).every((k) => String(row[k]) === String(values[k]));
    if (same) return false;
    await db.updateTable("policy_settings").set({ ...values, updated_at: nowIso() }).where("proxy_id", "=", proxyId).execute();
    return true;
  }
  const now = nowIso();
  await db
    .insertInto("policy_settings")
    .values({ proxy_id: proxyId, ...values, created_at: now, updated_at: now })
    .onConflict((oc) => oc.column("proxy_id").doUpdateSet({ ...values, updated_at: now }))
    .execute();
  return true;
}

export async function deletePolicySettings({ db }: DbHandle, proxyId: string): Promise<boolean> {
  const result = await db.deleteFrom("policy_settings").where("proxy_id", "=", proxyId).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/**
 * Every proxy's policies, as the catalog holds them: rules in the order they are tried, settings
 * (defaults where none were set). Proxies with neither are absent.
 */
export async function loadAllPolicies({ db }: DbHandle): Promise<Map<string, ProxyPolicies>> {
  const [rows, settings] = await Promise.all([
    db.selectFrom("policies").selectAll().orderBy("proxy_id").orderBy("kind").orderBy("position").orderBy("id").execute(),
    db.selectFrom("policy_settings").selectAll().execute(),
  ]);
  const out = new Map<string, ProxyPolicies>();
  const of = (proxyId: string): ProxyPolicies => {
    let p = out.get(proxyId);
    if (!p) out.set(proxyId, (p = { proxyId, ...DEFAULT_POLICY_SETTINGS, trustedData: [], toolInvocation: [] }));
    return p;
  };
  for (const row of settings) Object.assign(of(row.proxy_id), toSettings(row));
  for (const row of rows) {
    const { kind, proxyId: _p, position: _n, source: _s, createdAt: _c, updatedAt: _u, ...policy } = toPolicyRecord(row);
    if (kind === "trustedData") of(row.proxy_id).trustedData.push(policy as TrustedDataPolicy);
    else if (kind === "toolInvocation") of(row.proxy_id).toolInvocation.push(policy as ToolInvocationPolicy);
  }
  return out;
}

/**
 * Makes the config's policies the config-made ones: each rule is set as written, at its place in
 * the file; a rule or a settings row the config made earlier but no longer names is removed.
 * Policies made through the admin API are left alone. Reports whether anything changed.
 */
export async function syncConfigPolicies(handle: DbHandle, sets: readonly ConfigPolicySet[]): Promise<boolean> {
  let changed = false;
  const keep = new Set<string>();
  for (const set of sets) {
    const positions = { trustedData: 0, toolInvocation: 0 };
    for (const policy of set.policies) {
      keep.add(policy.id);
      if ((await upsertPolicy(handle, set.proxyId, policy, positions[policy.kind]++, "config")) !== "unchanged") changed = true;
    }
    if (set.settings && (await upsertPolicySettings(handle, set.proxyId, set.settings, "config"))) changed = true;
  }
  const stale = await handle.db.selectFrom("policies").select("id").where("source", "=", "config").execute();
  for (const { id } of stale) if (!keep.has(id) && (await deletePolicy(handle, id))) changed = true;
  const withSettings = new Set(sets.filter((s) => s.settings).map((s) => s.proxyId));
  const staleSettings = await handle.db.selectFrom("policy_settings").select("proxy_id").where("source", "=", "config").execute();
  for (const { proxy_id } of staleSettings) if (!withSettings.has(proxy_id) && (await deletePolicySettings(handle, proxy_id))) changed = true;
  return changed;
}
