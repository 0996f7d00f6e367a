import { z } from "zod";
import { DEFAULT_ACCESS_TOKEN_TTL_SECONDS } from "../../auth/authenticator.ts";
import { DEFAULT_SIGNING_ALGORITHM, retiredKeyLifetime, SIGNING_ALGORITHMS } from "../../auth/signing-keys.ts";
import { listOAuthClients } from "../../store/oauth-clients.ts";
import { pageSigningKeys, rotateSigningKey } from "../../store/signing-keys.ts";
import { pageRequest, parseBody, sendPage, type AdminRoutes } from "./shared.ts";

const rotateBody = z.strictObject({
  alg: z.enum(SIGNING_ALGORITHMS).default(DEFAULT_SIGNING_ALGORITHM),
});

/**
 * The proxy's token signing keys (public parts only). A rotation makes a new key sign; the
 * previous one stays in the JWKS and keeps verifying until the last token it signed expires.
 */
export const signingKeyRoutes: AdminRoutes = (router, { store, box, authenticator, changed }) => {
  router.get("/signing-keys", async (req, res) => {
    sendPage(res, await pageSigningKeys(store, pageRequest(req)));
  });

  router.post("/signing-keys/rotate", async (req, res) => {
    const body = parseBody(rotateBody, req.body);
    const ttl = authenticator?.accessTokenTtlSeconds ?? DEFAULT_ACCESS_TOKEN_TTL_SECONDS;
    const clients = await listOAuthClients(store);
    const key = await rotateSigningKey(store, box, body.alg, retiredKeyLifetime(ttl, clients.map((c) => c.tokenTtlSeconds)));
    await changed();
    res.status(201).json(key);
  });
};
