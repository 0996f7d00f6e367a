import { z } from "zod";
import { PROXY_SCOPE } from "../../auth/scopes.ts";
import { credentialMapping, entityId, oauthScope, tokenTtlSeconds } from "../../config/schema.ts";
import {
  createOAuthClient,
  deleteOAuthClient,
  getOAuthClient,
  oauthClientView,
  pageOAuthClients,
  rotateOAuthClientSecret,
  updateOAuthClient,
} from "../../store/oauth-clients.ts";
import { DEFAULT_PROXY_ID } from "../../store/proxies.ts";
import { AdminError, checkMapping, checkProxies, found, pageRequest, parseBody, pathParam, sendPage, type AdminRoutes } from "./shared.ts";

const clientName = z.string().min(1).max(200);

const newClientBody = z.strictObject({
  clientId: entityId.optional(),
  name: clientName.optional(),
  proxies: z.array(entityId).min(1).default([DEFAULT_PROXY_ID]),
  scopes: z.array(oauthScope).min(1).default([PROXY_SCOPE]),
  credentials: credentialMapping.default({}),
  tokenTtlSeconds: tokenTtlSeconds.optional(),
  disabled: z.boolean().optional(),
});

const patchClientBody = z.strictObject({
  name: clientName.optional(),
  proxies: z.array(entityId).min(1).optional(),
  scopes: z.array(oauthScope).min(1).optional(),
  credentials: credentialMapping.optional(),
  tokenTtlSeconds: tokenTtlSeconds.nullable().optional(),
  /** true: no new tokens, and the ones issued stop working within a second. */
  disabled: z.boolean().optional(),
});

const rotateBody = z.strictObject({
  /** How long the old secret keeps working, so deployments can switch without downtime (≤ 7 days). */
  gracePeriodSeconds: z.number().int().min(0).max(7 * 86_400).default(0),
  /** Also refuse every access token issued so far (a leaked secret). */
  revokeTokens: z.boolean().default(false),
});

/**
 * OAuth clients (client credentials grant). The secret is returned once, by the POST that creates
 * the client and by each rotation; only its hash is stored.
 */
export const oauthClientRoutes: AdminRoutes = (router, { store, changed }) => {
  router.get("/oauth-clients", async (req, res) => {
    sendPage(res, await pageOAuthClients(store, pageRequest(req)));
  });

  router.get("/oauth-clients/:id", async (req, res) => {
    const id = pathParam(req, "id");
    res.json(oauthClientView(found(await getOAuthClient(store, id), "OAuth client", id)));
  });

  router.post("/oauth-clients", async (req, res) => {
    const body = parseBody(newClientBody, req.body);
    await checkProxies(store, body.proxies);
    await checkMapping(store, body.credentials);
    const created = await createOAuthClient(store, body);
    if (!created) throw new AdminError(409, `An OAuth client with id '${body.clientId}' exists`, "already_exists", "clientId");
    await changed();
    res.status(201).json({ ...oauthClientView(created.client), clientSecret: created.secret });
  });

  router.patch("/oauth-clients/:id", async (req, res) => {
    const id = pathParam(req, "id");
    found(await getOAuthClient(store, id), "OAuth client", id);
    const body = parseBody(patchClientBody, req.body);
    if (body.proxies) await checkProxies(store, body.proxies);
    if (body.credentials) await checkMapping(store, body.credentials);
    const updated = found(await updateOAuthClient(store, id, body), "OAuth client", id);
    await changed();
    res.json(oauthClientView(updated));
  });

  router.post("/oauth-clients/:id/rotate-secret", async (req, res) => {
    const id = pathParam(req, "id");
    found(await getOAuthClient(store, id), "OAuth client", id);
    const body = parseBody(rotateBody, req.body);
    const rotated = found(await rotateOAuthClientSecret(store, id, { graceSeconds: body.gracePeriodSeconds, revokeTokens: body.revokeTokens }), "OAuth client", id);
    await changed();
    res.json({ ...oauthClientView(rotated.client), clientSecret: rotated.secret });
  });

  router.delete("/oauth-clients/:id", async (req, res) => {
    const id = pathParam(req, "id");
    if (!(await deleteOAuthClient(store, id))) found(undefined, "OAuth client", id);
    await changed();
    res.status(204).end();
  });
};
