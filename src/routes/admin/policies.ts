import type { Request } from "express";
import { z } from "zod";
import { derivedPolicyId } from "../../policies/config-policies.ts";
import { conditionsSchema, contextUntrusted, guardrailsSchema, policyId, toolInvocationFields, trustedDataFields } from "../../policies/policy-schema.ts";
import { DEFAULT_GUARDRAILS, type PolicyDefinition, type PolicyKind, type PolicyRecord, type PolicySettings } from "../../policies/types.ts";
import type { Store } from "../../store/db.ts";
import { deletePolicy, getPolicy, getPolicySettings, insertPolicy, nextPolicyPosition, pagePolicies, upsertPolicy, upsertPolicySettings } from "../../store/policies.ts";
import { getProxy } from "../../store/proxies.ts";
import { AdminError, found, pageRequest, parseBody, pathParam, sendPage, type AdminRoutes } from "./shared.ts";

const position = z.number().int().min(0).max(1_000_000);

/** The URL segment of each policy list, and the fields of its rules. */
const KINDS = [
  { kind: "trustedData", segment: "trusted-data", fields: trustedDataFields },
  { kind: "toolInvocation", segment: "tool-invocation", fields: toolInvocationFields },
] as const;

function bodies(fields: (typeof KINDS)[number]["fields"]) {
  const replace = z.strictObject({ ...fields, position: position.optional() });
  return {
    create: replace.extend({ id: policyId.optional() }),
    /** PUT: the whole rule (id from the path); an absent position keeps the rule's place. */
    replace,
    /** PATCH: any fields; `when: null` / `reason: null` make the rule unconditional / reasonless. */
    patch: z.strictObject({
      tool: fields.tool.optional(),
      when: conditionsSchema.nullable().optional(),
      action: fields.action.optional(),
      reason: fields.reason.unwrap().nullable().optional(),
      position: position.optional(),
    }),
  };
}

const settingsBody = z.strictObject({ contextUntrusted: contextUntrusted.optional(), guardrails: guardrailsSchema.optional() });

type RuleFields = { tool: string; when?: PolicyDefinition["when"] | null; action: string; reason?: string | null };

function definition(kind: PolicyKind, id: string, body: RuleFields): PolicyDefinition {
  const { tool, when, action, reason } = body;
  return { kind, id, tool, action, ...(when && when.length > 0 && { when }), ...(reason != null && { reason }) } as PolicyDefinition;
}

async function proxyOf(store: Store, req: Request): Promise<string> {
  const id = pathParam(req, "proxyId");
  found(await getProxy(store, id), "proxy", id);
  return id;
}

/** A free id for a rule made without one: the id the config would derive, numbered past those taken. */
async function freeId(store: Store, proxyId: string, kind: PolicyKind, tool: string): Promise<string> {
  for (let n = 1; n < 1000; n++) {
    const id = derivedPolicyId(proxyId, kind, tool, n);
    if (!(await getPolicy(store, id))) return id;
  }
  throw new AdminError(409, `Too many policies for tool '${tool}': give this one an id`, "already_exists", "id");
}

function settingsView(proxyId: string, s: PolicySettings & { source?: string }) {
  return { proxyId, contextUntrusted: s.contextUntrusted, guardrails: s.guardrails, ...(s.source && { source: s.source }) };
}

/**
 * A proxy's security policies (`/proxies/:proxyId/policies`): the whole set at once (GET), its
 * settings (`/settings`: `contextUntrusted` and the guardrails), and one list per kind —
 * `/trusted-data` and `/tool-invocation` — each with create, show, replace, change and delete.
 * Rules are listed and tried in `position` order (ties by id); a new rule goes after the last.
 */
export const policyRoutes: AdminRoutes = (router, { store, changed }) => {
  router.get("/proxies/:proxyId/policies", async (req, res) => {
    const proxyId = await proxyOf(store, req);
    const all = async (kind: PolicyKind) => {
      const out: PolicyRecord[] = [];
      let page = await pagePolicies(store, proxyId, kind, { limit: 1000 });
      out.push(...page.data);
      while (page.next) out.push(...(page = await pagePolicies(store, proxyId, kind, { limit: 1000, after: page.next })).data);
      return out;
    };
    res.json({ ...settingsView(proxyId, await getPolicySettings(store, proxyId)), trustedData: await all("trustedData"), toolInvocation: await all("toolInvocation") });
  });

  router.get("/proxies/:proxyId/policies/settings", async (req, res) => {
    const proxyId = await proxyOf(store, req);
    res.json(settingsView(proxyId, await getPolicySettings(store, proxyId)));
  });

  router.put("/proxies/:proxyId/policies/settings", async (req, res) => {
    const proxyId = await proxyOf(store, req);
    const body = parseBody(settingsBody, req.body);
    const next = { contextUntrusted: body.contextUntrusted ?? false, guardrails: { ...DEFAULT_GUARDRAILS, ...body.guardrails } };
    if (await upsertPolicySettings(store, proxyId, next, "api")) await changed();
    res.json(settingsView(proxyId, await getPolicySettings(store, proxyId)));
  });

  router.patch("/proxies/:proxyId/policies/settings", async (req, res) => {
    const proxyId = await proxyOf(store, req);
    const body = parseBody(settingsBody, req.body);
    const current = await getPolicySettings(store, proxyId);
    const next = { contextUntrusted: body.contextUntrusted ?? current.contextUntrusted, guardrails: { ...current.guardrails, ...body.guardrails } };
    if (await upsertPolicySettings(store, proxyId, next, "api")) await changed();
    res.json(settingsView(proxyId, await getPolicySettings(store, proxyId)));
  });

  for (const { kind, segment, fields } of KINDS) {
    const schema = bodies(fields);
    const list = `/proxies/:proxyId/policies/${segment}`;
    const one = `${list}/:id`;
    const what = `${segment} policy`;

    /** The rule the path names, when it belongs to this proxy and list. */
    const ruleOf = async (req: Request, proxyId: string): Promise<PolicyRecord> => {
      const id = pathParam(req, "id");
      const rule = await getPolicy(store, id);
      return found(rule && rule.proxyId === proxyId && rule.kind === kind ? rule : undefined, what, id);
    };

    router.get(list, async (req, res) => {
      const proxyId = await proxyOf(store, req);
      sendPage(res, await pagePolicies(store, proxyId, kind, pageRequest(req)));
    });

    router.post(list, async (req, res) => {
      const proxyId = await proxyOf(store, req);
      const body = parseBody(schema.create, req.body);
      const id = body.id ?? (await freeId(store, proxyId, kind, body.tool));
      const at = body.position ?? (await nextPolicyPosition(store, proxyId, kind));
      const created = await insertPolicy(store, proxyId, definition(kind, id, body), at, "api");
      if (!created) throw new AdminError(409, `A policy with id '${id}' exists`, "already_exists", "id");
      await changed();
      res.status(201).json(created);
    });

    router.get(one, async (req, res) => {
      res.json(await ruleOf(req, await proxyOf(store, req)));
    });

    router.put(one, async (req, res) => {
      const proxyId = await proxyOf(store, req);
      const existing = await ruleOf(req, proxyId);
      const body = parseBody(schema.replace, req.body);
      const result = await upsertPolicy(store, proxyId, definition(kind, existing.id, body), body.position ?? existing.position, "api");
      if (result !== "unchanged") await changed();
      res.json(await getPolicy(store, existing.id));
    });

    router.patch(one, async (req, res) => {
      const proxyId = await proxyOf(store, req);
      const existing = await ruleOf(req, proxyId);
      const body = parseBody(schema.patch, req.body);
      const merged: RuleFields = {
        tool: body.tool ?? existing.tool,
        when: body.when === undefined ? existing.when : body.when,
        action: body.action ?? existing.action,
        reason: body.reason === undefined ? existing.reason : body.reason,
      };
      const result = await upsertPolicy(store, proxyId, definition(kind, existing.id, merged), body.position ?? existing.position, "api");
      if (result !== "unchanged") await changed();
      res.json(await getPolicy(store, existing.id));
    });

    router.delete(one, async (req, res) => {
      const proxyId = await proxyOf(store, req);
      const existing = await ruleOf(req, proxyId);
      await deletePolicy(store, existing.id);
      await changed();
      res.status(204).end();
    });
  }
};
