import { z } from "zod";
import { DEFAULT_USER_CLAIM } from "../../config/auth-settings.ts";
import { entityId, httpUrl, idpAlgorithm, requiredClaims } from "../../config/schema.ts";
import {
  deleteIdentityProvider,
  getIdentityProvider,
  insertIdentityProvider,
  pageIdentityProviders,
  upsertIdentityProvider,
  type IdentityProviderRecord,
  type NewIdentityProvider,
} from "../../store/identity-providers.ts";
import { DEFAULT_PROXY_ID } from "../../store/proxies.ts";
import { AdminError, checkProxies, found, pageRequest, parseBody, pathParam, sendPage, type AdminRoutes } from "./shared.ts";

const fields = {
  issuer: httpUrl,
  audience: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).transform((a) => (typeof a === "string" ? [a] : a)),
  jwksUri: httpUrl,
  userClaim: z.string().min(1),
  requiredClaims,
  algorithms: z.array(idpAlgorithm).min(1),
  proxies: z.array(entityId).min(1),
  clockToleranceSeconds: z.number().int().min(0).max(300),
};

/** PUT: the whole provider (id from the path); absent optional fields are cleared. */
const replaceBody = z.strictObject({
  issuer: fields.issuer,
  audience: fields.audience,
  jwksUri: fields.jwksUri.optional(),
  userClaim: fields.userClaim.default(DEFAULT_USER_CLAIM),
  requiredClaims: fields.requiredClaims.optional(),
  algorithms: fields.algorithms.optional(),
  proxies: fields.proxies.default([DEFAULT_PROXY_ID]),
  clockToleranceSeconds: fields.clockToleranceSeconds.optional(),
});

const newBody = replaceBody.extend({ id: entityId });

/** PATCH: absent fields kept, null clears an optional one. */
const patchBody = z.strictObject({
  issuer: fields.issuer.optional(),
  audience: fields.audience.optional(),
  jwksUri: fields.jwksUri.nullable().optional(),
  userClaim: fields.userClaim.optional(),
  requiredClaims: fields.requiredClaims.nullable().optional(),
  algorithms: fields.algorithms.nullable().optional(),
  proxies: fields.proxies.optional(),
  clockToleranceSeconds: fields.clockToleranceSeconds.nullable().optional(),
});

type Patch = z.output<typeof patchBody>;

/** The stored provider with a patch applied. */
function patched(existing: IdentityProviderRecord, patch: Patch): NewIdentityProvider {
  const { createdAt: _c, updatedAt: _u, ...next }: IdentityProviderRecord = { ...existing };
  for (const [field, value] of Object.entries(patch) as Array<[keyof Patch, unknown]>) {
    if (value === null) delete (next as Partial<NewIdentityProvider>)[field];
    else if (value !== undefined) (next as Record<string, unknown>)[field] = value;
  }
  return next;
}

/** External OIDC identity providers whose JWTs identify users to the proxies they may use. */
export const identityProviderRoutes: AdminRoutes = (router, { store, changed }) => {
  router.get("/identity-providers", async (req, res) => {
    sendPage(res, await pageIdentityProviders(store, pageRequest(req)));
  });

  router.get("/identity-providers/:id", async (req, res) => {
    const id = pathParam(req, "id");
    res.json(found(await getIdentityProvider(store, id), "identity provider", id));
  });

  router.post("/identity-providers", async (req, res) => {
    const body = parseBody(newBody, req.body);
    await checkProxies(store, body.proxies);
    const created = await insertIdentityProvider(store, body);
    if (!created) throw new AdminError(409, `An identity provider with id '${body.id}' exists`, "already_exists", "id");
    await changed();
    res.status(201).json(created);
  });

  router.put("/identity-providers/:id", async (req, res) => {
    const id = pathParam(req, "id");
    found(await getIdentityProvider(store, id), "identity provider", id);
    const body = parseBody(replaceBody, req.body);
    await checkProxies(store, body.proxies);
    if ((await upsertIdentityProvider(store, { id, ...body })) !== "unchanged") await changed();
    res.json(await getIdentityProvider(store, id));
  });

  router.patch("/identity-providers/:id", async (req, res) => {
    const id = pathParam(req, "id");
    const existing = found(await getIdentityProvider(store, id), "identity provider", id);
    const body = parseBody(patchBody, req.body);
    if (body.proxies) await checkProxies(store, body.proxies);
    if ((await upsertIdentityProvider(store, patched(existing, body))) !== "unchanged") await changed();
    res.json(await getIdentityProvider(store, id));
  });

  router.delete("/identity-providers/:id", async (req, res) => {
    const id = pathParam(req, "id");
    if (!(await deleteIdentityProvider(store, id))) found(undefined, "identity provider", id);
    await changed();
    res.status(204).end();
  });
};
