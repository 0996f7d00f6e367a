import { z } from "zod";
import { credentialMapping, entityId } from "../../config/schema.ts";
import { DEFAULT_PROXY_ID, deleteProxy, getProxy, insertProxy, pageProxies, upsertProxy } from "../../store/proxies.ts";
import { refuseIfProxyInUse } from "./references.ts";
import { AdminError, checkMapping, found, pageRequest, parseBody, pathParam, sendPage, type AdminRoutes } from "./shared.ts";

const proxyName = z.string().min(1).max(200);

const newProxyBody = z.strictObject({
  id: entityId,
  name: proxyName.optional(),
  credentials: credentialMapping.default({}),
});

/** PUT: the whole proxy (the id comes from the path). */
const replaceProxyBody = z.strictObject({
  name: proxyName.optional(),
  credentials: credentialMapping.default({}),
});

const patchProxyBody = z.strictObject({
  name: proxyName.optional(),
  credentials: credentialMapping.optional(),
});

/** LLM proxies: list, show, create, replace (PUT), change (PATCH), delete (when nothing uses it). */
export const proxyRoutes: AdminRoutes = (router, { store, changed }) => {
  router.get("/proxies", async (req, res) => {
    sendPage(res, await pageProxies(store, pageRequest(req)));
  });

  router.get("/proxies/:id", async (req, res) => {
    const id = pathParam(req, "id");
    res.json(found(await getProxy(store, id), "proxy", id));
  });

  router.post("/proxies", async (req, res) => {
    const body = parseBody(newProxyBody, req.body);
    await checkMapping(store, body.credentials);
    const created = await insertProxy(store, { id: body.id, name: body.name ?? body.id, credentials: body.credentials });
    if (!created) throw new AdminError(409, `A proxy with id '${body.id}' exists`, "already_exists", "id");
    await changed();
    res.status(201).json(created);
  });

  router.put("/proxies/:id", async (req, res) => {
    const id = pathParam(req, "id");
    found(await getProxy(store, id), "proxy", id);
    const body = parseBody(replaceProxyBody, req.body);
    await checkMapping(store, body.credentials);
    if ((await upsertProxy(store, { id, name: body.name ?? id, credentials: body.credentials })) !== "unchanged") await changed();
    res.json(await getProxy(store, id));
  });

  router.patch("/proxies/:id", async (req, res) => {
    const id = pathParam(req, "id");
    const existing = found(await getProxy(store, id), "proxy", id);
    const body = parseBody(patchProxyBody, req.body);
    if (body.credentials) await checkMapping(store, body.credentials);
    const next = { id, name: body.name ?? existing.name, credentials: body.credentials ?? existing.credentials };
    if ((await upsertProxy(store, next)) !== "unchanged") await changed();
    res.json(await getProxy(store, id));
  });

  router.delete("/proxies/:id", async (req, res) => {
    const id = pathParam(req, "id");
    found(await getProxy(store, id), "proxy", id);
    if (id === DEFAULT_PROXY_ID) throw new AdminError(409, "The default proxy cannot be deleted", "protected", "id");
    await refuseIfProxyInUse(store, id);
    await deleteProxy(store, id);
    await changed();
    res.status(204).end();
  });
};
