import { z } from "zod";
import { credentialMapping, entityId, timestamp } from "../../config/schema.ts";
import { DEFAULT_PROXY_ID } from "../../store/proxies.ts";
import type { VirtualKeyRecord } from "../../store/types.ts";
import { createVirtualKey, getVirtualKey, getVirtualKeyByName, pageVirtualKeys, revokeVirtualKey, updateVirtualKey } from "../../store/virtual-keys.ts";
import { AdminError, checkMapping, checkProxies, found, futureInstant, pageRequest, parseBody, pathParam, sendPage, type AdminRoutes } from "./shared.ts";

const keyName = z.string().min(1).max(100);

const newVirtualKeyBody = z.strictObject({
  name: keyName,
  proxies: z.array(entityId).min(1).default([DEFAULT_PROXY_ID]),
  credentials: credentialMapping.default({}),
  expiresAt: timestamp.optional(),
});

/** PATCH: settings only; the key itself never changes (create a new one, revoke the old). */
const patchVirtualKeyBody = z.strictObject({
  name: keyName.optional(),
  proxies: z.array(entityId).min(1).optional(),
  credentials: credentialMapping.optional(),
  expiresAt: timestamp.nullable().optional(),
});

/** A key as the API shows it: never its hash. */
function keyView({ hash: _hash, ...rest }: VirtualKeyRecord): Omit<VirtualKeyRecord, "hash"> {
  return rest;
}

/** Virtual keys: the key is returned once, by the POST that creates it; DELETE revokes (kept, marked). */
export const virtualKeyRoutes: AdminRoutes = (router, { store, changed }) => {
  router.get("/virtual-keys", async (req, res) => {
    const page = await pageVirtualKeys(store, pageRequest(req));
    sendPage(res, { ...page, data: page.data.map(keyView) });
  });

  router.get("/virtual-keys/:id", async (req, res) => {
    const id = pathParam(req, "id");
    res.json(keyView(found(await getVirtualKey(store, id), "virtual key", id)));
  });

  router.post("/virtual-keys", async (req, res) => {
    const body = parseBody(newVirtualKeyBody, req.body);
    const expiresAt = body.expiresAt && futureInstant(body.expiresAt, "expiresAt");
    await checkProxies(store, body.proxies);
    await checkMapping(store, body.credentials);
    const created = await createVirtualKey(store, { name: body.name, proxies: body.proxies, credentials: body.credentials, expiresAt });
    if (!created) {
      const taken = await getVirtualKeyByName(store, body.name);
      throw taken ? new AdminError(409, `A virtual key named '${body.name}' exists`, "already_exists", "name") : new Error("virtual key insert failed");
    }
    await changed();
    res.status(201).json({ ...keyView(created.record), key: created.plaintext });
  });

  router.patch("/virtual-keys/:id", async (req, res) => {
    const id = pathParam(req, "id");
    found(await getVirtualKey(store, id), "virtual key", id);
    const body = parseBody(patchVirtualKeyBody, req.body);
    if (body.proxies) await checkProxies(store, body.proxies);
    if (body.credentials) await checkMapping(store, body.credentials);
    const expiresAt = body.expiresAt ? futureInstant(body.expiresAt, "expiresAt") : body.expiresAt;
    const updated = await updateVirtualKey(store, id, { name: body.name, proxies: body.proxies, credentials: body.credentials, expiresAt });
    if (updated === "name_taken") throw new AdminError(409, `A virtual key named '${body.name}' exists`, "already_exists", "name");
    await changed();
    res.json(keyView(found(updated, "virtual key", id)));
  });

  router.delete("/virtual-keys/:id", async (req, res) => {
    const id = pathParam(req, "id");
    const before = found(await getVirtualKey(store, id), "virtual key", id);
    const after = found(await revokeVirtualKey(store, id), "virtual key", id);
    if (!before.revokedAt) await changed();
    res.json(keyView(after));
  });
};
