import { z } from "zod";
import { parseJsonPath } from "./json-path.ts";
import { compileSafeRegex } from "./safe-regex.ts";
import { CONDITION_OPERATORS, GUARDRAIL_ACTIONS, TOOL_INVOCATION_ACTIONS, TRUSTED_DATA_ACTIONS } from "./types.ts";

/**
 * The shape of policies in the config file's `policies:` section and in the admin API's bodies.
 * Conditions are checked here, where they are written — a path that does not parse or a pattern
 * RE2 refuses is a field error — so the request path only ever compiles valid ones.
 */

const POLICY_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,199}$/;
const PROXY_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export const policyId = z.string().regex(POLICY_ID, { error: "use 1-200 letters, digits, '.', '_', ':' or '-', starting with a letter or digit" });
export const policyProxyId = z.string().regex(PROXY_ID, { error: "use 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit" });

/** A tool as the client names it; `*` for every tool no other rule names; `<namespace>__<name>` for Responses namespace tools. */
export const toolName = z.string().trim().min(1).max(256);

/** `${VAR}` interpolates to text: accept "true"/"false" where a boolean is expected. */
const flag = z.preprocess((v) => (v === "true" ? true : v === "false" ? false : v), z.boolean());

/** YAML reads `value: 42` as a number: conditions compare text, so scalars are taken as their text. */
const conditionValue = z.preprocess((v) => (typeof v === "number" || typeof v === "boolean" ? String(v) : v), z.string().max(10_000));

export const conditionSchema = z
  .strictObject({
    path: z.string().max(1000),
    op: z.enum(CONDITION_OPERATORS),
    value: conditionValue,
  })
  .check((ctx) => {
    try {
      parseJsonPath(ctx.value.path);
    } catch (err) {
      ctx.issues.push({ code: "custom", message: (err as Error).message, input: ctx.value.path, path: ["path"] });
    }
    if (ctx.value.op !== "regex") return;
    try {
      compileSafeRegex(ctx.value.value);
    } catch (err) {
      ctx.issues.push({ code: "custom", message: (err as Error).message, input: ctx.value.value, path: ["value"] });
    }
  });

/** Conditions are ANDed; an empty list is the same as none (an unconditional rule). */
export const conditionsSchema = z.array(conditionSchema).max(50);

const reason = z.string().trim().min(1).max(2000);

export const trustedDataFields = {
  tool: toolName,
  when: conditionsSchema.optional(),
  action: z.enum(TRUSTED_DATA_ACTIONS),
  reason: reason.optional(),
};

export const toolInvocationFields = {
  tool: toolName,
  when: conditionsSchema.optional(),
  action: z.enum(TOOL_INVOCATION_ACTIONS),
  reason: reason.optional(),
};

export const guardrailsSchema = z.strictObject({
  secrets: z.enum(GUARDRAIL_ACTIONS).optional(),
  pii: z.enum(GUARDRAIL_ACTIONS).optional(),
  restore: flag.optional(),
});

export const contextUntrusted = flag;

/** One entry of the config file's `policies:` section: the policies of one proxy. */
export const policiesEntry = z.strictObject({
  proxy: policyProxyId,
  contextUntrusted: flag.optional(),
  trustedData: z.array(z.strictObject({ id: policyId.optional(), ...trustedDataFields })).optional(),
  toolInvocation: z.array(z.strictObject({ id: policyId.optional(), ...toolInvocationFields })).optional(),
  guardrails: guardrailsSchema.optional(),
});

export const policiesSection = z.array(policiesEntry);

export type PoliciesEntry = z.output<typeof policiesEntry>;
