import express, { type NextFunction, type Request, type Response, type Router } from "express";
import { z } from "zod";
import type { Authenticator } from "../auth/authenticator.ts";
import { aggregateUsage, getInteraction, listInteractions, USAGE_GROUPS, type Cursor, type InteractionFilter, type QueryStore, type UsageGroup } from "../store/interactions-query.ts";
import { requireAdminToken } from "./admin/admin-token.ts";
import { AdminError, adminErrorHandler } from "./admin/shared.ts";

const text = z.string().min(1).max(256);
/** ISO-8601 date-time with a zone, or a date (midnight UTC); normalized to the stored form. */
const instant = z
  .union([z.iso.datetime({ offset: true }), z.iso.date()], { error: "expected an ISO-8601 date or date-time" })
  .transform((v) => new Date(v).toISOString());
const status = z
  .string()
  .regex(/^([1-5]\d\d|[1-5]xx)$/i, { error: "expected a status code (e.g. 429) or a class (e.g. 5xx)" })
  .transform((v): InteractionFilter["status"] => (/x/i.test(v) ? { min: Number(v[0]) * 100, max: Number(v[0]) * 100 + 99 } : Number(v)));
const flag = z.enum(["true", "false"], { error: "expected true or false" }).transform((v) => v === "true");
const count = (max: number, fallback: number) =>
  z
    .string()
    .regex(/^\d+$/, { error: "expected a positive integer" })
    .transform(Number)
    .pipe(z.number().int().min(1).max(max))
    .default(fallback);

const filterFields = {
  proxyId: text.optional(),
  provider: text.optional(),
  model: text.optional(),
  agentId: text.optional(),
  userId: text.optional(),
  sessionId: text.optional(),
  executionId: text.optional(),
  status: status.optional(),
  blocked: flag.optional(),
  from: instant.optional(),
  to: instant.optional(),
};

const listParams = z.strictObject({
  ...filterFields,
  limit: count(500, 50),
  order: z.enum(["asc", "desc"]).default("desc"),
  cursor: z.string().max(1024).optional(),
});

const usageParams = z.strictObject({
  ...filterFields,
  groupBy: z
    .string()
    .default("proxy")
    .transform((v) => v.split(",").map((s) => s.trim()))
    .pipe(z.array(z.enum(USAGE_GROUPS, { error: `expected a comma-separated list of ${USAGE_GROUPS.join(", ")}` })).min(1)),
  limit: count(10_000, 1000),
});

/**
 * The logs API, mounted at /api: `GET /interactions` (filters, keyset pagination on
 * (created_at, id), sort), `GET /interactions/:id` (with bodies), `GET /usage` (tokens and cost
 * per proxy / agent / user / model / provider / virtual key over a time range). Admin token on
 * every route. Only these paths are handled; the rest of /api falls through to the admin API.
 */
export function logsRouter(store: QueryStore, authenticator?: Authenticator): Router {
  const router = express.Router();
  // The admin API's own guard: same token, same failed-attempt limiting, same error shape.
  const paths = ["/interactions", "/usage"];
  router.use(paths, (_req: Request, res: Response, next: NextFunction) => {
    res.setHeader("cache-control", "no-store");
    next();
  });
  router.use(paths, requireAdminToken(store, authenticator));

  router.get("/interactions", async (req, res) => {
    const q = parse(listParams, req.query);
    const after = q.cursor ? decodeCursor(q.cursor, q.order) : undefined;
    const page = await listInteractions(store, { filter: filterOf(q), limit: q.limit, order: q.order, after });
    res.json({ data: page.data, next_cursor: page.next ? encodeCursor(page.next, q.order) : null });
  });

  router.get("/interactions/:id", async (req, res) => {
    const id = String(req.params.id);
    const found = await getInteraction(store, id);
    if (!found) throw new AdminError(404, `No interaction with id '${id}'`, "not_found", "id");
    res.json(found);
  });

  router.get("/usage", async (req, res) => {
    const q = parse(usageParams, req.query);
    const groupBy = [...new Set(q.groupBy)] as UsageGroup[];
    const result = await aggregateUsage(store, { filter: filterOf(q), groupBy, limit: q.limit });
    res.json({ data: result.data, groupBy, from: q.from ?? null, to: q.to ?? null, truncated: result.truncated });
  });

  router.use(adminErrorHandler);
  return router;
}

function filterOf(q: z.output<typeof listParams> | z.output<typeof usageParams>): InteractionFilter {
  const { proxyId, provider, model, agentId, userId, sessionId, executionId, status: s, blocked, from, to } = q;
  if (from && to && from >= to) throw new AdminError(400, "'from' must be before 'to'", "invalid_value", "from");
  return { proxyId, provider, model, agentId, userId, sessionId, executionId, status: s, blocked, from, to };
}

function parse<S extends z.ZodType>(schema: S, query: unknown): z.output<S> {
  const result = schema.safeParse(query ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  if (issue.code === "unrecognized_keys") throw new AdminError(400, `Unknown query parameter '${issue.keys[0]}'`, "unknown_parameter", issue.keys[0]);
  const param = issue.path.map(String).join(".") || undefined;
  throw new AdminError(400, param ? `Invalid value for '${param}': ${issue.message}` : `Invalid query: ${issue.message}`, "invalid_value", param);
}

/** Opaque to clients: the last row's position and the order it was read in (a cursor is only valid in that order). */
function encodeCursor(c: Cursor, order: string): string {
  return Buffer.from(JSON.stringify([c.createdAt, c.id, order])).toString("base64url");
}

function decodeCursor(text: string, order: string): Cursor {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(text, "base64url").toString("utf8"));
  } catch {
    parsed = undefined;
  }
  if (!Array.isArray(parsed) || parsed.length !== 3 || !parsed.every((v) => typeof v === "string")) {
    throw new AdminError(400, "Invalid cursor: pass back the next_cursor of a previous page", "invalid_cursor", "cursor");
  }
  if (parsed[2] !== order) throw new AdminError(400, `This cursor belongs to a listing in '${parsed[2]}' order`, "invalid_cursor", "cursor");
  return { createdAt: parsed[0], id: parsed[1] };
}
