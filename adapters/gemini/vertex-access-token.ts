import { importPKCS8, SignJWT } from "jose";
import { proxyError } from "../../src/canonical/error.ts";

/**
 * Vertex AI with a service account: the credential's apiKey holds the service account JSON key.
 * A JWT signed with its private key is exchanged at its `token_uri` (RFC 7523 jwt-bearer grant)
 * for an OAuth2 access token, which is cached until shortly before it expires. Concurrent
 * requests share one exchange. This is the one place the adapter does I/O of its own.
 */
export interface ServiceAccountKey {
  type?: string;
  client_email: string;
  private_key: string;
  private_key_id?: string;
  token_uri?: string;
  project_id?: string;
}

const SCOPE = "https://www.googleapis.com/auth/cloud-platform";
const DEFAULT_TOKEN_URI = "https://oauth2.googleapis.com/token";
/** Refresh this long before expiry, so a token never dies in flight. */
const MARGIN_MS = 5 * 60_000;

/** The credential's key as a service account, or undefined when it is a plain API key. */
export function parseServiceAccount(apiKey: string | undefined): ServiceAccountKey | undefined {
  if (!apiKey || !apiKey.trimStart().startsWith("{")) return undefined;
  let parsed: Partial<ServiceAccountKey>;
  try {
    parsed = JSON.parse(apiKey) as Partial<ServiceAccountKey>;
  } catch {
    throw proxyError(401, "The Vertex AI credential looks like a service account JSON key but is not valid JSON", { code: "invalid_credential", kind: "authentication" });
  }
  if (typeof parsed.client_email !== "string" || typeof parsed.private_key !== "string") {
    throw proxyError(401, "The Vertex AI service account key lacks client_email or private_key", { code: "invalid_credential", kind: "authentication" });
  }
  return parsed as ServiceAccountKey;
}

interface Entry {
  token?: string;
  expiresAt?: number;
  pending?: Promise<{ token: string; expiresAt: number }>;
}

const cache = new Map<string, Entry>();

export async function vertexAccessToken(key: ServiceAccountKey, tokenUri = key.token_uri ?? DEFAULT_TOKEN_URI): Promise<string> {
  const id = `${key.client_email}\n${key.private_key_id ?? ""}\n${tokenUri}`;
  const cached = cache.get(id);
  if (cached?.token && cached.expiresAt! - MARGIN_MS > Date.now()) return cached.token;
  if (cached?.pending) return (await cached.pending).token;
  const entry: Entry = { pending: exchange(key, tokenUri) };
  cache.set(id, entry);
  try {
    const got = await entry.pending!;
    entry.token = got.token;
    entry.expiresAt = got.expiresAt;
    entry.pending = undefined;
    return got.token;
  } catch (err) {
    if (cache.get(id) === entry) cache.delete(id);
    throw err;
  }
}

/** Forgets cached tokens (tests; a rotated key). */
export function clearVertexTokenCache(): void {
  cache.clear();
}

async function exchange(key: ServiceAccountKey, tokenUri: string): Promise<{ token: string; expiresAt: number }> {
  let assertion: string;
  try {
    const now = Math.floor(Date.now() / 1000);
    assertion = await new SignJWT({ scope: SCOPE })
      .setProtectedHeader({ alg: "RS256", typ: "JWT", ...(key.private_key_id && { kid: key.private_key_id }) })
      .setIssuer(key.client_email)
      .setAudience(tokenUri)
      .setIssuedAt(now)
      .setExpirationTime(now + 3600)
      .sign(await importPKCS8(key.private_key, "RS256"));
  } catch (err) {
    throw proxyError(401, `The Vertex AI service account private key cannot sign: ${(err as Error).message}`, { code: "invalid_credential", kind: "authentication" });
  }
  let res: Response;
  try {
    res = await fetch(tokenUri, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: "urn:ietf:params:oauth:grant-type:jwt-bearer", assertion }).toString(),
      signal: AbortSignal.timeout(30_000),
    });
  } catch (err) {
    throw proxyError(502, `Could not reach the Google token endpoint ${new URL(tokenUri).host}: ${(err as Error).message}`, { code: "upstream_unreachable", kind: "upstream" });
  }
  const text = await res.text();
  let body: { access_token?: string; expires_in?: number; error?: string; error_description?: string } = {};
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    // Reported below with the status.
  }
  if (!res.ok || typeof body.access_token !== "string") {
    const why = body.error_description ?? body.error ?? text.slice(0, 200);
    const rejected = res.status === 400 || res.status === 401 || res.status === 403;
    throw proxyError(rejected ? 401 : 502, `Google rejected the Vertex AI service account (token endpoint answered ${res.status}): ${why}`, {
      code: "vertex_token_exchange_failed",
      kind: rejected ? "authentication" : "upstream",
    });
  }
  return { token: body.access_token, expiresAt: Date.now() + (body.expires_in ?? 3600) * 1000 };
}
