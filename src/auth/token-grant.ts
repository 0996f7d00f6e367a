import type { IncomingHttpHeaders } from "node:http";
import { AuthFailure } from "./auth-failure.ts";
import type { Authenticator } from "./authenticator.ts";
import { KNOWN_SCOPES } from "./scopes.ts";

/** What the token endpoint was sent. */
export interface TokenRequest {
  headers: IncomingHttpHeaders;
  body: string;
  /** The socket address, for failed-attempt limiting. */
  peer: string | undefined;
}

export interface TokenAnswer {
  status: number;
  body: Record<string, string | number>;
  headers: Record<string, string>;
}

/** RFC 6749 §5.1: token answers must not be cached. */
const NO_STORE = { "cache-control": "no-store", pragma: "no-cache" };

class GrantError extends Error {
  readonly status: number;
  readonly error: string;
  readonly headers: Record<string, string>;
  constructor(status: number, error: string, description: string, headers: Record<string, string> = {}) {
    super(description);
    this.status = status;
    this.error = error;
    this.headers = headers;
  }
}

const invalidRequest = (description: string) => new GrantError(400, "invalid_request", description);

/**
 * The client credentials grant (RFC 6749 §4.4) with client_secret_basic or client_secret_post
 * (§2.3.1), answering per §5.1 / §5.2. A wrong or unknown client counts as a failed attempt of
 * the address; past the limit the address gets 429 before its secret is even looked at.
 */
export async function grantToken(req: TokenRequest, authn: Authenticator): Promise<TokenAnswer> {
  try {
    return await grant(req, authn);
  } catch (err) {
    if (err instanceof GrantError) {
      return { status: err.status, body: { error: err.error, error_description: err.message }, headers: { ...NO_STORE, ...err.headers } };
    }
    if (err instanceof AuthFailure) {
      const headers: Record<string, string> = { ...NO_STORE };
      if (err.retryAfter !== undefined) headers["retry-after"] = String(err.retryAfter);
      return { status: err.status, body: { error: err.code, error_description: err.message }, headers };
    }
    throw err;
  }
}

async function grant(req: TokenRequest, authn: Authenticator): Promise<TokenAnswer> {
  const mediaType = req.headers["content-type"]?.split(";")[0].trim().toLowerCase();
  if (mediaType !== "application/x-www-form-urlencoded") {
    throw invalidRequest("The token request must be sent as application/x-www-form-urlencoded");
  }
  const params = new URLSearchParams(req.body);
  // §3.2: parameters must not be repeated.
  for (const name of new Set(params.keys())) {
    if (params.getAll(name).length > 1) throw invalidRequest(`The parameter '${name}' is repeated`);
  }
  const grantType = params.get("grant_type");
  if (!grantType) throw invalidRequest("The parameter 'grant_type' is missing");
  if (grantType !== "client_credentials") {
    throw new GrantError(400, "unsupported_grant_type", `The grant type '${limit(grantType)}' is not supported: use client_credentials`);
  }

  const credentials = clientCredentials(req.headers.authorization, params);
  const retryAfter = authn.retryAfter(req.headers, req.peer);
  if (retryAfter > 0) {
    throw new AuthFailure(429, "too_many_requests", `Too many failed authentication attempts from this address: try again in ${retryAfter} s`, { retryAfter });
  }
  let entry = credentials && authn.authenticateClient(credentials.clientId, credentials.secret);
  if (credentials && !entry) {
    // A client created (or a secret rotated) on another instance a moment ago.
    await authn.catchUp();
    entry = authn.authenticateClient(credentials.clientId, credentials.secret);
  }
  if (!entry) {
    if (credentials) authn.recordFailure(req.headers, req.peer);
    // §5.2: 401 with a challenge for the scheme the client tried (Basic when it used none).
    const scheme = credentials?.method === "client_secret_post" ? "Bearer" : "Basic";
    throw new GrantError(401, "invalid_client", credentials ? "Client authentication failed" : "Client authentication is missing", {
      "www-authenticate": `${scheme} realm="portcullis"`,
    });
  }
  if (entry.client.disabledAt) throw new GrantError(400, "invalid_grant", "This client's authorization has been revoked: the client is disabled");

  const scopes = grantedScopes(params.get("scope"), entry.client.scopes);
  const { token, expiresIn } = await authn.issueAccessToken(entry, scopes);
  return {
    status: 200,
    body: { access_token: token, token_type: "Bearer", expires_in: expiresIn, scope: scopes.join(" ") },
    headers: { ...NO_STORE },
  };
}

interface ClientCredentials {
  method: "client_secret_basic" | "client_secret_post";
  clientId: string;
  secret: string;
}

/** The client's id and secret, from exactly one of the two methods. */
function clientCredentials(authorization: string | undefined, params: URLSearchParams): ClientCredentials | undefined {
  const postId = params.get("client_id");
  const postSecret = params.get("client_secret");
  const isBasic = authorization !== undefined && /^basic\s+/i.test(authorization);
  const basic = isBasic ? decodeBasic(authorization.replace(/^basic\s+/i, "")) : undefined;
  if (isBasic && !basic) throw invalidRequest("The Authorization header does not hold valid Basic credentials");
  if (basic) {
    if (postSecret !== null) throw invalidRequest("Use one client authentication method: either the Authorization header or client_secret in the body");
    if (postId !== null && postId !== basic.clientId) throw invalidRequest("client_id in the body differs from the one in the Authorization header");
    return { method: "client_secret_basic", ...basic };
  }
  if (postSecret !== null) {
    if (!postId) throw invalidRequest("The parameter 'client_id' is missing");
    return { method: "client_secret_post", clientId: postId, secret: postSecret };
  }
  return undefined;
}

/** §2.3.1: `base64(urlencode(id) ":" urlencode(secret))`; clients that do not encode are read as sent. */
function decodeBasic(encoded: string): { clientId: string; secret: string } | undefined {
  const text = Buffer.from(encoded.trim(), "base64").toString("utf8");
  const colon = text.indexOf(":");
  if (colon <= 0) return undefined;
  return { clientId: formDecode(text.slice(0, colon)), secret: formDecode(text.slice(colon + 1)) };
}

function formDecode(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, " "));
  } catch {
    return value;
  }
}

/** §3.3: the requested scopes, each known and allowed to the client; all the client's when none is asked for. */
function grantedScopes(requested: string | null, allowed: readonly string[]): string[] {
  if (requested === null) {
    if (allowed.length === 0) throw new GrantError(400, "invalid_scope", "This client may not be granted any scope");
    return [...allowed];
  }
  const scopes = [...new Set(requested.split(" ").filter(Boolean))];
  if (scopes.length === 0) throw new GrantError(400, "invalid_scope", "The parameter 'scope' is empty");
  for (const scope of scopes) {
    if (!KNOWN_SCOPES.includes(scope)) throw new GrantError(400, "invalid_scope", `Unknown scope '${limit(scope)}' (this server grants: ${KNOWN_SCOPES.join(" ")})`);
    if (!allowed.includes(scope)) throw new GrantError(400, "invalid_scope", `This client may not be granted the scope '${scope}'`);
  }
  return scopes;
}

/** Echoed values are cut short: an error must not become a reflection channel. */
function limit(value: string): string {
  return value.length > 64 ? `${value.slice(0, 64)}…` : value;
}
