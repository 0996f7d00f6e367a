import type { IncomingHttpHeaders } from "node:http";
import { AuthFailure } from "../../auth/auth-failure.ts";
import type { Authenticator, Identity } from "../../auth/authenticator.ts";
import { PROXY_SCOPE } from "../../auth/scopes.ts";
import { proxyError, type ProxyError } from "../../canonical/error.ts";
import type { RequestContext } from "../context.ts";
import type { CatalogView, Stage } from "../stage.ts";

export { classifyPresentedKey, type KeyClassifierView, type PresentedKey } from "../../auth/classify-presented-key.ts";

/**
 * The key a client presented, wherever its SDK puts it: `Authorization: Bearer` (OpenAI),
 * `x-api-key` (Anthropic), `x-goog-api-key` (Gemini), `api-key` (Azure).
 */
export function presentedKey(headers: IncomingHttpHeaders): string | undefined {
  const auth = headers.authorization;
  if (auth) {
    const space = auth.indexOf(" ");
    if (space > 0 && auth.slice(0, space).toLowerCase() === "bearer") return auth.slice(space + 1).trim() || undefined;
  }
  const k = headers["x-api-key"] ?? headers["x-goog-api-key"] ?? headers["api-key"];
  return typeof k === "string" && k ? k : undefined;
}

/** RFC 6750 §3: a 401 for a bearer token says so, and how. */
const CHALLENGE = { "www-authenticate": 'Bearer realm="portcullis"' };
const TOKEN_CHALLENGE = { "www-authenticate": 'Bearer realm="portcullis", error="invalid_token"' };

/**
 * Establishes who calls and that they may use this proxy: a virtual key, one of our OAuth access
 * tokens, or an identity provider's JWT — and, on passthrough routes only, a key that is not ours
 * (the client's own provider key, forwarded as it came). Failed attempts are counted per client
 * address; past the limit the address gets 429 until its failures leave the window.
 */
export function authenticate(catalog: CatalogView, authenticator: Authenticator): Stage {
  return {
    name: "authenticate",
    request(ctx: RequestContext) {
      const proxy = catalog.proxy(ctx.proxyId);
      if (!proxy) throw proxyError(404, `LLM proxy '${ctx.proxyId}' does not exist`, { code: "proxy_not_found" });
      ctx.proxy = proxy;
      const key = presentedKey(ctx.headers);
      if (!key) {
        throw proxyError(401, "Missing API key: send a virtual key or an access token as 'Authorization: Bearer <key>'", {
          code: "missing_api_key",
          headers: CHALLENGE,
        });
      }
      const authn = authenticator;
      const retryAfter = authn.retryAfter(ctx.headers, ctx.peer);
      if (retryAfter > 0) throw tooManyFailures(retryAfter);
      let identity: Identity | Promise<Identity>;
      try {
        identity = authn.identify(key);
      } catch (err) {
        throw refusal(authn, ctx, err);
      }
      if (identity instanceof Promise) {
        return identity.then(
          (id) => admit(ctx, id, authn, catalog),
          (err: unknown) => {
            throw refusal(authn, ctx, err);
          },
        );
      }
      admit(ctx, identity, authn, catalog);
    },
  };
}

/** Sets the caller, or refuses one that may not use this proxy (403) or whose key is not ours (401). */
function admit(ctx: RequestContext, identity: Identity, authn: Authenticator, catalog: CatalogView): void {
  const proxyId = ctx.proxy!.id;
  const caller = ctx.caller;
  switch (identity.method) {
    case "virtual-key": {
      const vk = identity.key;
      if (!vk.proxies.includes(proxyId)) throw forbidden(`This key may not use the LLM proxy '${proxyId}'`);
      caller.authMethod = "virtual-key";
      caller.virtualKeyId = vk.id;
      caller.credentialMapping = vk.credentials;
      caller.allowedProxies = vk.proxies;
      catalog.markUsed(vk.id);
      return;
    }
    case "oauth-client": {
      const { client, scopes } = identity;
      if (!scopes.includes(PROXY_SCOPE)) {
        throw proxyError(403, `This access token lacks the '${PROXY_SCOPE}' scope`, { code: "insufficient_scope", headers: TOKEN_CHALLENGE });
      }
      if (!client.proxies.includes(proxyId)) throw forbidden(`This OAuth client may not use the LLM proxy '${proxyId}'`);
      caller.authMethod = "oauth-client";
      caller.oauthClientId = client.clientId;
      caller.credentialMapping = client.credentials;
      caller.allowedProxies = client.proxies;
      return;
    }
    case "idp-user": {
      const { idp, userId } = identity;
      if (!idp.proxies.includes(proxyId)) throw forbidden(`Users of identity provider '${idp.id}' may not use the LLM proxy '${proxyId}'`);
      caller.authMethod = "idp-user";
      caller.identityProviderId = idp.id;
      // Verified: identify-caller never lets X-Archestra-User-Id replace it.
      caller.userId = userId;
      caller.allowedProxies = idp.proxies;
      return;
    }
    case "foreign": {
      if (ctx.route === "passthrough") {
        caller.authMethod = "provider-key";
        return;
      }
      authn.recordFailure(ctx.headers, ctx.peer);
      if (identity.jwt) {
        throw proxyError(401, "Invalid token: its issuer is not one this proxy trusts (add it as an identity provider)", {
          code: "invalid_token",
          headers: TOKEN_CHALLENGE,
        });
      }
      throw proxyError(401, "Invalid API key: the model router takes a virtual key or an access token of this proxy", {
        code: "invalid_api_key",
        headers: CHALLENGE,
      });
    }
  }
}

/** An authentication error as the client's error; a possible guess counts against the client's address. */
function refusal(authn: Authenticator, ctx: RequestContext, err: unknown): unknown {
  if (!(err instanceof AuthFailure)) return err;
  if (err.guess) authn.recordFailure(ctx.headers, ctx.peer);
  const fields: Parameters<typeof proxyError>[2] = { code: err.code };
  if (err.status === 401) fields.headers = err.code === "invalid_token" ? TOKEN_CHALLENGE : CHALLENGE;
  if (err.retryAfter !== undefined) fields.retryAfter = err.retryAfter;
  return proxyError(err.status, err.message, fields);
}

function forbidden(message: string): ProxyError {
  return proxyError(403, message, { code: "proxy_forbidden" });
}

function tooManyFailures(retryAfter: number): ProxyError {
  return proxyError(429, `Too many failed authentication attempts from this address: try again in ${retryAfter} s`, {
    code: "too_many_failed_attempts",
    retryAfter,
  });
}
