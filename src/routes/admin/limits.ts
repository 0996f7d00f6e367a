import express, { type NextFunction, type Request, type Response, type Router } from "express";
import { z } from "zod";
import type { Authenticator } from "../../auth/authenticator.ts";
import { unknownLimitSubject } from "../../limits/check-limit-subjects.ts";
import { checkWholeMax, limitFields, limitId, toLimitDefinition } from "../../limits/limit-schema.ts";
import type { LimitService } from "../../limits/limit-service.ts";
import { limitViews } from "../../limits/limit-usage.ts";
import type { LimitDefinition, LimitRecord } from "../../limits/types.ts";
import type { Catalog } from "../../store/catalog.ts";
import type { Store } from "../../store/db.ts";
import { deleteLimit, getLimit, insertLimit, pageLimits, sameLimit, upsertLimit } from "../../store/limits.ts";
import { bumpCatalogVersion } from "../../store/meta.ts";
import { encodeCursor } from "../../store/pagination.ts";
import { requireAdminToken } from "./admin-token.ts";
import { AdminError, adminErrorHandler, BODY_LIMIT, found, pageRequest, parseBody, pathParam } from "./shared.ts";

const newLimitBody = z.strictObject({ id: limitId.optional(), ...limitFields }).check((ctx) => checkWholeMax(ctx.value, ctx));

/** PUT: the whole limit (the id comes from the path). */
const replaceLimitBody = z.strictObject(limitFields).check((ctx) => checkWholeMax(ctx.value, ctx));

/** PATCH: any fields; `model: null` removes the filter. */
const patchLimitBody = z.strictObject({
  scope: limitFields.scope.optional(),
  subject: limitFields.subject.optional(),
  measure: limitFields.measure.optional(),
  window: limitFields.window.optional(),
  max: limitFields.max.optional(),
  model: z.union([limitFields.model.unwrap(), z.null()]).optional(),
});

export interface LimitRoutesDeps {
  store: Store;
  catalog: Pick<Catalog, "reload">;
  limits: LimitService;
  authenticator?: Authenticator;
}

/**
 * Limits in the admin API, mounted at /api beside it (same admin token, same error shape):
 * `GET /limits` (each limit with its current window's use and reset time), `GET /limits/:id`,
 * `POST /limits`, `PUT`/`PATCH`/`DELETE /limits/:id`. A change bumps the catalog version (every
 * instance reloads its limits on its next poll) and reloads this instance's before answering.
 * Only these paths are handled; the rest of /api falls through.
 */
export function limitsRouter(deps: LimitRoutesDeps): Router {
  const { store, limits } = deps;
  const router = express.Router();
  const paths = ["/limits", "/limits/:id"];
  router.use(paths, (_req: Request, res: Response, next: NextFunction) => {
    res.setHeader("cache-control", "no-store");
    next();
  });
  router.use(paths, requireAdminToken(store, deps.authenticator));
  router.use(paths, express.json({ limit: BODY_LIMIT }));

  const changed = async () => {
    await bumpCatalogVersion(store);
    await deps.catalog.reload();
    await limits.reload();
  };
  const checkSubject = async (limit: LimitDefinition) => {
    const unknown = await unknownLimitSubject(store, [limit]);
    if (unknown) throw new AdminError(400, `Invalid value for 'subject': ${unknown.message}`, "unknown_subject", "subject");
  };
  const show = async (record: LimitRecord) => (await limitViews(limits, [record]))[0];

  router.get("/limits", async (req, res) => {
    const page = await pageLimits(store, pageRequest(req));
    res.json({ data: await limitViews(limits, page.data), next_cursor: page.next ? encodeCursor(page.next) : null });
  });

  router.get("/limits/:id", async (req, res) => {
    const id = pathParam(req, "id");
    res.json(await show(found(await getLimit(store, id), "limit", id)));
  });

  router.post("/limits", async (req, res) => {
    const limit = toLimitDefinition(parseBody(newLimitBody, req.body));
    await checkSubject(limit);
    const created = await insertLimit(store, limit, "api");
    if (!created) throw new AdminError(409, `A limit with id '${limit.id}' exists`, "already_exists", "id");
    await changed();
    res.status(201).json(await show(created));
  });

  router.put("/limits/:id", async (req, res) => {
    const id = pathParam(req, "id");
    found(await getLimit(store, id), "limit", id);
    const limit = toLimitDefinition({ id, ...parseBody(replaceLimitBody, req.body) });
    await checkSubject(limit);
    if ((await upsertLimit(store, limit, "api")) !== "unchanged") await changed();
    res.json(await show((await getLimit(store, id))!));
  });

  router.patch("/limits/:id", async (req, res) => {
    const id = pathParam(req, "id");
    const existing = found(await getLimit(store, id), "limit", id);
    const body = parseBody(patchLimitBody, req.body);
    const { model, ...rest } = body;
    const next: LimitDefinition = { ...existing, ...definedOnly(rest) };
    if (model === null) delete next.model;
    else if (model !== undefined) next.model = model;
    if (next.measure !== "costUsd" && !Number.isInteger(next.max)) throw new AdminError(400, `Invalid value for 'max': a ${next.measure} limit's max is a whole number`, "invalid_value", "max");
    await checkSubject(next);
    if (!sameLimit(existing, next) || existing.source !== "api") {
      await upsertLimit(store, next, "api");
      await changed();
    }
    res.json(await show((await getLimit(store, id))!));
  });

  router.delete("/limits/:id", async (req, res) => {
    const id = pathParam(req, "id");
    found(await getLimit(store, id), "limit", id);
    await deleteLimit(store, id);
    await changed();
    res.status(204).end();
  });

  router.use(paths, adminErrorHandler);
  return router;
}

function definedOnly<T extends object>(fields: T): Partial<T> {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as Partial<T>;
}
