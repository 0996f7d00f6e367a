import type { Request, Response, NextFunction, Router } from "express";
import { z } from "zod";
import { formatPath } from "../../../adapters/shared/validate.ts";
import type { Authenticator } from "../../auth/authenticator.ts";
import type { Catalog } from "../../store/catalog.ts";
import { getCredential } from "../../store/credentials.ts";
import type { Store } from "../../store/db.ts";
import { bumpCatalogVersion } from "../../store/meta.ts";
import { decodeCursor, encodeCursor, type Page, type PageRequest } from "../../store/pagination.ts";
import { getProxy } from "../../store/proxies.ts";
import type { SecretBox } from "../../store/secret-box.ts";

export interface AdminDeps {
  store: Store;
  catalog: Pick<Catalog, "reload">;
  box: SecretBox;
  /** Failed admin-token attempts are limited with its counters; token lifetimes come from it. */
  authenticator?: Authenticator;
}

/** What every entity's routes get. */
export interface AdminContext extends AdminDeps {
  /** After a write: every instance reloads its catalog (this one before the answer goes out). */
  changed(): Promise<void>;
}

export type AdminRoutes = (router: Router, ctx: AdminContext) => void;

export const BODY_LIMIT = "256kb";
const DEFAULT_PAGE = 100;
const MAX_PAGE = 1000;

/** An answer other than success, in the OpenAI error shape. */
export class AdminError extends Error {
  readonly status: number;
  readonly code: string;
  readonly param: string | null;
  readonly details?: Array<{ param: string | null; message: string }>;
  readonly retryAfter?: number;
  constructor(status: number, message: string, code: string, param?: string, extra: { details?: AdminError["details"]; retryAfter?: number } = {}) {
    super(message);
    this.status = status;
    this.code = code;
    this.param = param ?? null;
    if (extra.details) this.details = extra.details;
    if (extra.retryAfter !== undefined) this.retryAfter = extra.retryAfter;
  }
}

const ERROR_TYPES: Record<number, string> = { 401: "authentication_error", 429: "rate_limit_error", 500: "server_error" };

/**
 * Validates a body: a 400 naming the first bad field in `param`, and every problem in `details`
 * (a form can mark all its fields at once).
 */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const result = schema.safeParse(body ?? {});
  if (result.success) return result.data;
  const details = result.error.issues.flatMap(describeIssue);
  const first = details[0];
  const message = first.param ? `Invalid value for '${first.param}': ${first.message}` : `Invalid request body: ${first.message}`;
  throw new AdminError(400, message, "invalid_request_body", first.param ?? undefined, { details });
}

function describeIssue(issue: z.core.$ZodIssue): Array<{ param: string | null; message: string }> {
  if (issue.code === "unrecognized_keys") return issue.keys.map((k) => ({ param: formatPath([...issue.path, k]), message: "unknown field" }));
  const message = issue.code === "invalid_key" ? (issue.issues[0]?.message ?? issue.message) : issue.message;
  return [{ param: formatPath(issue.path) || null, message }];
}

export function pathParam(req: Request, name: string): string {
  return String(req.params[name]);
}

export function found<T>(value: T | undefined, what: string, id: string): T {
  if (value === undefined) throw new AdminError(404, `No ${what} with id '${id}'`, "not_found", "id");
  return value;
}

/** `?limit=&cursor=` of a list request. */
export function pageRequest(req: Request): PageRequest {
  const { limit, cursor } = req.query;
  const page: PageRequest = { limit: DEFAULT_PAGE };
  if (limit !== undefined) {
    const n = typeof limit === "string" && /^\d+$/.test(limit) ? Number(limit) : NaN;
    if (!(n >= 1 && n <= MAX_PAGE)) throw new AdminError(400, `limit must be an integer from 1 to ${MAX_PAGE}`, "invalid_value", "limit");
    page.limit = n;
  }
  if (cursor !== undefined) {
    const after = typeof cursor === "string" ? decodeCursor(cursor) : undefined;
    if (!after) throw new AdminError(400, "cursor is not a cursor this API returned", "invalid_value", "cursor");
    page.after = after;
  }
  return page;
}

/** A list answer: `{data, next_cursor}` (null on the last page). */
export function sendPage<T>(res: Response, page: Page<T>): void {
  res.json({ data: page.data, next_cursor: page.next ? encodeCursor(page.next) : null });
}

export async function checkProxies(store: Store, ids: readonly string[], field = "proxies"): Promise<void> {
  for (const [i, id] of ids.entries()) {
    if (!(await getProxy(store, id))) throw new AdminError(400, `Unknown proxy '${id}'`, "unknown_proxy", `${field}[${i}]`);
  }
}

/** Every credential a mapping names exists and serves the provider it is mapped for. */
export async function checkMapping(store: Store, mapping: Record<string, string>, field = "credentials"): Promise<void> {
  for (const [provider, id] of Object.entries(mapping)) {
    const credential = await getCredential(store, id);
    if (!credential) throw new AdminError(400, `Unknown credential '${id}'`, "unknown_credential", `${field}.${provider}`);
    if (credential.provider !== provider) {
      throw new AdminError(400, `Credential '${id}' is for provider '${credential.provider}', not '${provider}'`, "provider_mismatch", `${field}.${provider}`);
    }
  }
}

/** A future ISO instant, or a 400 naming the field. */
export function futureInstant(value: string, field: string): string {
  const iso = new Date(value).toISOString();
  if (Date.parse(iso) <= Date.now()) throw new AdminError(400, `${field} is in the past`, "invalid_value", field);
  return iso;
}

export function changedFn(deps: AdminDeps): () => Promise<void> {
  return async () => {
    await bumpCatalogVersion(deps.store);
    await deps.catalog.reload();
  };
}

export function toAdminError(err: unknown): AdminError {
  if (err instanceof AdminError) return err;
  const e = err as { status?: number; type?: string; message?: string };
  // express.json's own failures: malformed JSON (400) or an oversized body (413).
  if (e.type === "entity.parse.failed") return new AdminError(400, "Malformed JSON body", "invalid_json");
  if (e.type === "entity.too.large") return new AdminError(413, `Request body larger than ${BODY_LIMIT}`, "payload_too_large");
  if (typeof e.status === "number" && e.status >= 400 && e.status < 500) return new AdminError(e.status, e.message ?? "Bad request", "invalid_request");
  return new AdminError(500, "Internal error", "internal_error");
}

/** The last handler: every failure in the OpenAI error shape; internal ones logged, never echoed. */
export function adminErrorHandler(err: unknown, _req: Request, res: Response, _next: NextFunction): void {
  const error = toAdminError(err);
  if (error.status >= 500) console.error("portcullis: admin API error", err instanceof Error ? err.message : "unknown error");
  if (error.retryAfter !== undefined) res.setHeader("retry-after", String(error.retryAfter));
  const body: Record<string, unknown> = {
    message: error.message,
    type: ERROR_TYPES[error.status] ?? "invalid_request_error",
    param: error.param,
    code: error.code,
  };
  if (error.details) body.details = error.details;
  res.status(error.status).json({ error: body });
}
