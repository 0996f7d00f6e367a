import { z } from "zod";
import { entityId, httpUrl, providerId } from "../../config/schema.ts";
import { deleteCredential, getCredential, insertCredential, pageCredentials, patchCredential, upsertCredential } from "../../store/credentials.ts";
import { refuseIfCredentialInUse } from "./references.ts";
import { AdminError, found, pageRequest, parseBody, pathParam, sendPage, type AdminRoutes } from "./shared.ts";

const fields = {
  apiKey: z.string().min(1),
  baseUrl: httpUrl,
  options: z.record(z.string(), z.string()),
  models: z.array(z.string().min(1)),
};

const newCredentialBody = z.strictObject({
  id: entityId,
  provider: providerId,
  apiKey: fields.apiKey.optional(),
  baseUrl: fields.baseUrl.optional(),
  options: fields.options.optional(),
  models: fields.models.optional(),
});

/** PUT: the whole credential; an absent field is cleared (the secret too). */
const replaceCredentialBody = newCredentialBody.omit({ id: true });

/** PATCH: an absent field is kept, null clears it; a new apiKey rotates the secret. The provider is fixed. */
const patchCredentialBody = z.strictObject({
  apiKey: fields.apiKey.nullable().optional(),
  baseUrl: fields.baseUrl.nullable().optional(),
  options: fields.options.nullable().optional(),
  models: fields.models.nullable().optional(),
});

/**
 * Provider credentials. The secret is write-only: encrypted at rest, never returned (a hint of its
 * last four characters is), never logged. Rotate it with PUT or PATCH `apiKey`.
 */
export const credentialRoutes: AdminRoutes = (router, { store, box, changed }) => {
  router.get("/credentials", async (req, res) => {
    sendPage(res, await pageCredentials(store, pageRequest(req)));
  });

  router.get("/credentials/:id", async (req, res) => {
    const id = pathParam(req, "id");
    res.json(found(await getCredential(store, id), "credential", id));
  });

  router.post("/credentials", async (req, res) => {
    const body = parseBody(newCredentialBody, req.body);
    const created = await insertCredential(store, box, body);
    if (!created) throw new AdminError(409, `A credential with id '${body.id}' exists`, "already_exists", "id");
    await changed();
    res.status(201).json(created);
  });

  router.put("/credentials/:id", async (req, res) => {
    const id = pathParam(req, "id");
    const existing = found(await getCredential(store, id), "credential", id);
    const body = parseBody(replaceCredentialBody, req.body);
    // Mappings name a credential under its provider: moving it to another would break them.
    if (body.provider !== existing.provider) await refuseIfCredentialInUse(store, id, body.provider);
    if ((await upsertCredential(store, box, { id, ...body })) !== "unchanged") await changed();
    res.json(await getCredential(store, id));
  });

  router.patch("/credentials/:id", async (req, res) => {
    const id = pathParam(req, "id");
    found(await getCredential(store, id), "credential", id);
    const body = parseBody(patchCredentialBody, req.body);
    const updated = await patchCredential(store, box, id, body);
    await changed();
    res.json(found(updated, "credential", id));
  });

  router.delete("/credentials/:id", async (req, res) => {
    const id = pathParam(req, "id");
    found(await getCredential(store, id), "credential", id);
    await refuseIfCredentialInUse(store, id);
    await deleteCredential(store, id);
    await changed();
    res.status(204).end();
  });
};
