import { createHash } from "node:crypto";
import { z } from "zod";
import { EACH_SUBJECT, LIMIT_MEASURES, LIMIT_SCOPES, LIMIT_WINDOWS, type LimitDefinition } from "./types.ts";

/**
 * The shape of a limit in the config file's `limits:` section and in the admin API's bodies:
 * `{ id?, scope, subject, measure, window, max, model? }`.
 */

const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export const limitId = z.string().regex(ID_PATTERN, { error: "use 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit" });

/** `${VAR}` interpolates to text: accept "12" and "0.5" where a number is expected. */
const amount = z.preprocess(
  (v) => (typeof v === "string" && /^\d+(\.\d+)?$/.test(v) ? Number(v) : v),
  z.number().nonnegative().max(1e15, { error: "too large" }),
);

export const limitFields = {
  scope: z.enum(LIMIT_SCOPES),
  subject: z.string().trim().min(1).max(256),
  measure: z.enum(LIMIT_MEASURES),
  window: z.enum(LIMIT_WINDOWS),
  max: amount,
  model: z.string().trim().min(1).max(256).optional(),
};

/** Tokens and requests come whole. */
export function checkWholeMax(limit: { measure?: string; max?: number }, ctx: { issues: z.core.$ZodRawIssue[] }, path: PropertyKey[] = ["max"]): void {
  if (limit.measure !== "costUsd" && limit.max !== undefined && !Number.isInteger(limit.max)) {
    ctx.issues.push({ code: "custom", message: `a ${limit.measure} limit's max is a whole number`, input: limit.max, path });
  }
}

export const limitEntry = z
  .strictObject({ id: limitId.optional(), ...limitFields })
  .check((ctx) => checkWholeMax(ctx.value, ctx));

export const limitsSection = z.array(limitEntry);

export type LimitEntry = z.output<typeof limitEntry>;

/**
 * The id of a limit given without one: readable when its parts allow
 * (`virtualKey.my-app.costUsd.month`, `externalAgent.each.tokens.day`), a stable digest otherwise.
 * Deterministic, so the same config line keeps its id, and its counters, across restarts.
 */
export function derivedLimitId(limit: Omit<LimitDefinition, "id">): string {
  const subject = limit.subject === EACH_SUBJECT ? "each" : limit.subject;
  const digest = (text: string, n: number) => createHash("sha256").update(text).digest("hex").slice(0, n);
  let id = `${limit.scope}.${subject}.${limit.measure}.${limit.window}`;
  if (limit.model !== undefined) id += `.${digest(limit.model, 8)}`;
  return ID_PATTERN.test(id) ? id : `limit-${digest(JSON.stringify([limit.scope, limit.subject, limit.measure, limit.window, limit.model ?? null]), 16)}`;
}

/** A config or API entry as a definition: its id given or derived, no absent fields set. */
export function toLimitDefinition(entry: LimitEntry): LimitDefinition {
  const { id, model, ...rest } = entry;
  const base = { ...rest, ...(model !== undefined && { model }) };
  return { id: id ?? derivedLimitId(base), ...base };
}
