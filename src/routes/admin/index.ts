import express, { type Router } from "express";
import { requireAdminToken } from "./admin-token.ts";
import { credentialRoutes } from "./credentials.ts";
import { identityProviderRoutes } from "./identity-providers.ts";
import { oauthClientRoutes } from "./oauth-clients.ts";
import { proxyRoutes } from "./proxies.ts";
import { policyRoutes } from "./policies.ts";
import { adminErrorHandler, BODY_LIMIT, changedFn, type AdminDeps } from "./shared.ts";
import { signingKeyRoutes } from "./signing-keys.ts";
import { virtualKeyRoutes } from "./virtual-keys.ts";

export type { AdminDeps } from "./shared.ts";
export { requireAdminToken } from "./admin-token.ts";

/**
 * The admin API (mounted at /api): proxies, credentials, virtual keys, OAuth clients, identity
 * providers, signing keys. Bearer admin token on every route; secrets are write-only; every change
 * bumps the catalog version (other instances reload on their next poll) and reloads this
 * instance's catalog before answering. Lists are paginated (`limit`, `cursor` → `next_cursor`).
 */
export function adminRouter(deps: AdminDeps): Router {
  const router = express.Router();
  router.use(requireAdminToken(deps.store, deps.authenticator));
  router.use(express.json({ limit: BODY_LIMIT }));
  router.use((_req, res, next) => {
    res.setHeader("cache-control", "no-store");
    next();
  });
  const ctx = { ...deps, changed: changedFn(deps) };
  for (const routes of [proxyRoutes, policyRoutes, credentialRoutes, virtualKeyRoutes, oauthClientRoutes, identityProviderRoutes, signingKeyRoutes]) routes(router, ctx);
  router.use(adminErrorHandler);
  return router;
}
