import { timingSafeEqual } from "node:crypto";
import type { NextFunction, Request, Response } from "express";
import type { Authenticator } from "../../auth/authenticator.ts";
import { hashAdminToken } from "../../config/ensure-admin-token.ts";
import type { DbHandle } from "../../store/db.ts";
import { ADMIN_TOKEN_HASH, getMeta } from "../../store/meta.ts";
import { AdminError } from "./shared.ts";

/**
 * Middleware: the request carries the admin token (`Authorization: Bearer`). Compared by hash in
 * constant time; a wrong token counts as a failed attempt of the client's address, and an address
 * over the limit gets 429 (with the authenticator's counters, shared with the LLM routes).
 * Other admin-token routes (the logs API) can mount the same guard.
 */
export function requireAdminToken(store: DbHandle, authenticator?: Authenticator) {
  return async (req: Request, _res: Response, next: NextFunction): Promise<void> => {
    const header = req.headers.authorization ?? "";
    const token = /^bearer\s+(.+)$/i.exec(header)?.[1]?.trim();
    if (!token) throw new AdminError(401, "Missing admin token: send 'Authorization: Bearer <admin token>'", "missing_admin_token");
    const peer = req.socket.remoteAddress;
    const retryAfter = authenticator?.retryAfter(req.headers, peer) ?? 0;
    if (retryAfter > 0) {
      throw new AdminError(429, `Too many failed authentication attempts from this address: try again in ${retryAfter} s`, "too_many_failed_attempts", undefined, {
        retryAfter,
      });
    }
    if (!sameHash(hashAdminToken(token), await getMeta(store, ADMIN_TOKEN_HASH))) {
      authenticator?.recordFailure(req.headers, peer);
      throw new AdminError(401, "Invalid admin token", "invalid_admin_token");
    }
    next();
  };
}

function sameHash(presentedHex: string, storedHex: string | undefined): boolean {
  if (!storedHex) return false;
  const a = Buffer.from(presentedHex, "hex");
  const b = Buffer.from(storedHex, "hex");
  return a.length === b.length && timingSafeEqual(a, b);
}
