import type { JsonObject, WireFormat } from "./extras.ts";

/** Error kinds every format can name; each adapter maps them to its own type strings. */
export type ErrorKind =
  | "invalid_request"
  | "authentication"
  | "permission"
  | "not_found"
  | "payload_too_large"
  | "over_budget"
  | "rate_limit"
  | "upstream"
  | "overloaded"
  | "timeout"
  | "internal";

export interface CanonicalError {
  status: number;
  kind: ErrorKind;
  message: string;
  /** Machine-readable code (`invalid_api_key`, `model_not_found`, `insufficient_quota`, …). */
  code?: string;
  /** The request field at fault, as a path (`messages[0].content`). */
  param?: string;
  /** Seconds, for 429/503 answers. */
  retryAfter?: number;
  /** Extra response headers (rate-limit headers kept from upstream). */
  headers?: Record<string, string>;
  /** The upstream's own error body, forwarded as-is when the client speaks the same format. */
  native?: { format: WireFormat; body: JsonObject };
}

const STATUS_KIND: Record<number, ErrorKind> = {
  400: "invalid_request",
  401: "authentication",
  402: "over_budget",
  403: "permission",
  404: "not_found",
  408: "timeout",
  413: "payload_too_large",
  422: "invalid_request",
  429: "rate_limit",
  500: "upstream",
  502: "upstream",
  503: "overloaded",
  504: "timeout",
  529: "overloaded",
};

/** The error kind a status implies, for upstream errors whose body says nothing better. */
export function kindForStatus(status: number): ErrorKind {
  return STATUS_KIND[status] ?? (status >= 500 ? "upstream" : "invalid_request");
}

/** A thrown error carrying a canonical error; stages and routes throw it, routes encode it. */
export class ProxyError extends Error {
  readonly error: CanonicalError;
  constructor(error: CanonicalError) {
    super(error.message);
    this.name = "ProxyError";
    this.error = error;
  }
}

export function proxyError(status: number, message: string, fields: Partial<CanonicalError> = {}): ProxyError {
  return new ProxyError({ status, kind: fields.kind ?? kindForStatus(status), message, ...fields });
}
