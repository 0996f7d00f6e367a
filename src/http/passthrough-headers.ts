import type { IncomingHttpHeaders } from "node:http";

/** RFC 9110 §7.6.1 hop-by-hop headers, and others that describe this connection, not the message. */
const HOP_BY_HOP = ["connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade", "host", "content-length"];
/** The client's network and our own headers: not the provider's business. */
const OURS = ["forwarded", "x-forwarded-for", "x-forwarded-host", "x-forwarded-proto", "x-real-ip", "cookie"];
/** Where clients put keys: replaced by the credential unless the client's own key passes through. */
export const AUTH_HEADERS = ["authorization", "x-api-key", "x-goog-api-key", "api-key"];
/** A client's SigV4 signature, which the proxy replaces with its own. */
const SIGV4 = ["x-amz-date", "x-amz-security-token", "x-amz-content-sha256", "amz-sdk-invocation-id", "amz-sdk-request"];

const DROPPED_REQUEST = new Set([...HOP_BY_HOP, ...OURS, ...SIGV4]);

export interface RequestHeaderOptions {
  /** Keep the client's auth headers (its own provider key passes through as it came). */
  keepAuth: boolean;
  /** The proxy reads the answer: ask for it uncompressed. */
  identityEncoding: boolean;
}

/** The client's headers as they go to the provider: provider headers kept, ours and hop-by-hop dropped. */
export function passthroughRequestHeaders(headers: IncomingHttpHeaders, options: RequestHeaderOptions): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name in headers) {
    if (DROPPED_REQUEST.has(name) || name.startsWith("x-archestra-") || name.startsWith("x-portcullis-")) continue;
    if (!options.keepAuth && AUTH_HEADERS.includes(name)) continue;
    const v = headers[name];
    if (v !== undefined) out[name] = Array.isArray(v) ? v.join(", ") : v;
  }
  if (options.identityEncoding) out["accept-encoding"] = "identity";
  return out;
}

const DROPPED_RESPONSE = new Set([...HOP_BY_HOP, "set-cookie", "content-encoding", "date", "server"]);

/** The provider's response headers worth passing to a native client (request ids, rate limits, …). */
export function passthroughResponseHeaders(headers: Record<string, string | string[] | undefined>, options: { keepEncoding?: boolean } = {}): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name in headers) {
    if (DROPPED_RESPONSE.has(name) && !(options.keepEncoding && name === "content-encoding")) continue;
    if (name === "content-type") continue;
    const v = headers[name];
    if (v !== undefined) out[name] = Array.isArray(v) ? v.join(", ") : v;
  }
  return out;
}
