/** A JWT's header and claims read without verifying anything: only to decide who must verify it. */
export interface PeekedJwt {
  header: { alg?: unknown; kid?: unknown; typ?: unknown };
  payload: { iss?: unknown; [claim: string]: unknown };
}

const MAX_TOKEN_LENGTH = 16 * 1024;

/**
 * Splits a compact JWS and parses its header and payload; undefined for anything else (a provider
 * key, garbage). Cheap: one pass over the dots and two small JSON parses, no crypto.
 */
export function peekJwt(token: string): PeekedJwt | undefined {
  // Every JOSE header starts with `{"`, which base64url-encodes to `ey`.
  if (token.length > MAX_TOKEN_LENGTH || token.charCodeAt(0) !== 101 || token.charCodeAt(1) !== 121) return undefined;
  const first = token.indexOf(".");
  const second = first < 0 ? -1 : token.indexOf(".", first + 1);
  if (second < 0 || token.indexOf(".", second + 1) >= 0) return undefined;
  const header = parseSegment(token.slice(0, first));
  const payload = header && parseSegment(token.slice(first + 1, second));
  if (!header || !payload) return undefined;
  return { header, payload };
}

function parseSegment(segment: string): Record<string, unknown> | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(segment)) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, "base64url").toString("utf8"));
    return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
