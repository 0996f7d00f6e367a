import type { ServerResponse } from "node:http";
import type { WireCodec } from "../../adapters/types.ts";
import { ProxyError, type CanonicalError } from "../canonical/error.ts";

/** Any thrown value as a canonical error (unexpected ones are 500s that reveal nothing inside). */
export function toCanonicalError(err: unknown): CanonicalError {
  if (err instanceof ProxyError) return err.error;
  return { status: 500, kind: "internal", message: "Internal proxy error", code: "internal_error" };
}

/** Writes an error answer in the client's format, the upstream's own body when formats match. */
export function writeError(res: ServerResponse, codec: WireCodec, error: CanonicalError, extraHeaders: Record<string, string> = {}): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const body = error.native && error.native.format === codec.format ? error.native.body : codec.encodeError(error);
  const text = JSON.stringify(body);
  const headers: Record<string, string | number> = {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
    ...extraHeaders,
    ...error.headers,
    ...codec.errorHeaders?.(error),
  };
  if (error.retryAfter !== undefined) headers["retry-after"] = String(Math.ceil(error.retryAfter));
  res.writeHead(error.status === 499 ? 400 : error.status, headers);
  res.end(text);
}
