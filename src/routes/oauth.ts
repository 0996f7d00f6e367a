import express, { type NextFunction, type Request, type Response, type Router } from "express";
import type { Authenticator } from "../auth/authenticator.ts";
import { KNOWN_SCOPES } from "../auth/scopes.ts";
import { SIGNING_ALGORITHMS } from "../auth/signing-keys.ts";
import { grantToken } from "../auth/token-grant.ts";
import type { Catalog } from "../store/catalog.ts";

export interface OAuthDeps {
  authenticator: Authenticator;
  catalog: Pick<Catalog, "jwks">;
}

const BODY_LIMIT = "16kb";

/**
 * The OAuth 2.0 authorization server of the proxy: `POST /oauth/token` (client credentials),
 * `GET /.well-known/jwks.json` (our public signing keys, the previous ones included while tokens
 * they signed may live) and `GET /.well-known/oauth-authorization-server` (RFC 8414 metadata).
 */
export function oauthRouter({ authenticator, catalog }: OAuthDeps): Router {
  const router = express.Router();

  router.post("/oauth/token", express.text({ type: () => true, limit: BODY_LIMIT }), async (req: Request, res: Response) => {
    const answer = await grantToken(
      { headers: req.headers, body: typeof req.body === "string" ? req.body : "", peer: req.socket.remoteAddress },
      authenticator,
    );
    res.status(answer.status).set(answer.headers).json(answer.body);
  });

  router.get("/.well-known/jwks.json", (_req, res) => {
    // Short: a verifier that cached the set re-fetches it anyway when a token names a new kid.
    res.set("cache-control", "public, max-age=60").json({ keys: catalog.jwks() });
  });

  router.get("/.well-known/oauth-authorization-server", (_req, res) => {
    const issuer = authenticator.issuer;
    res.set("cache-control", "public, max-age=300").json({
      issuer,
      token_endpoint: `${issuer}/oauth/token`,
      jwks_uri: `${issuer}/.well-known/jwks.json`,
      grant_types_supported: ["client_credentials"],
      token_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post"],
      scopes_supported: KNOWN_SCOPES,
      // No authorization endpoint: only the client credentials grant is offered.
      response_types_supported: [],
      access_token_signing_alg_values_supported: SIGNING_ALGORITHMS,
    });
  });

  // The body parser's own refusals (too large, bad encoding), as OAuth errors.
  router.use("/oauth/token", (err: unknown, _req: Request, res: Response, next: NextFunction) => {
    const status = (err as { status?: number }).status;
    if (typeof status !== "number" || status >= 500) return next(err);
    res.status(status === 413 ? 413 : 400).set({ "cache-control": "no-store" }).json({
      error: "invalid_request",
      error_description: status === 413 ? `The token request is larger than ${BODY_LIMIT}` : "The token request body cannot be read",
    });
  });
  return router;
}
