import { kindForStatus, type CanonicalError, type ErrorKind } from "../../src/canonical/error.ts";
import type { JsonObject } from "../../src/canonical/extras.ts";

/**
 * Google API errors: `{error: {code, message, status, details}}` with google.rpc status strings
 * and typed details (ErrorInfo `reason`, RetryInfo `retryDelay`, BadRequest field violations).
 * streamGenerateContent without `alt=sse` wraps the error in an array; both are accepted.
 */
const STATUS_KIND: Record<string, ErrorKind> = {
  INVALID_ARGUMENT: "invalid_request",
  FAILED_PRECONDITION: "invalid_request",
  OUT_OF_RANGE: "invalid_request",
  ALREADY_EXISTS: "invalid_request",
  UNIMPLEMENTED: "invalid_request",
  CANCELLED: "invalid_request",
  UNAUTHENTICATED: "authentication",
  PERMISSION_DENIED: "permission",
  NOT_FOUND: "not_found",
  RESOURCE_EXHAUSTED: "rate_limit",
  ABORTED: "upstream",
  INTERNAL: "upstream",
  UNKNOWN: "upstream",
  DATA_LOSS: "upstream",
  UNAVAILABLE: "overloaded",
  DEADLINE_EXCEEDED: "timeout",
};

/** ErrorInfo reasons that say more than their status (a bad key is a 400 INVALID_ARGUMENT). */
const REASON_KIND: Record<string, ErrorKind> = {
  API_KEY_INVALID: "authentication",
  API_KEY_EXPIRED: "authentication",
  ACCESS_TOKEN_EXPIRED: "authentication",
  ACCESS_TOKEN_TYPE_UNSUPPORTED: "authentication",
  SERVICE_DISABLED: "permission",
};

const HTTP_STATUS: Record<number, string> = {
  400: "INVALID_ARGUMENT",
  401: "UNAUTHENTICATED",
  402: "RESOURCE_EXHAUSTED",
  403: "PERMISSION_DENIED",
  404: "NOT_FOUND",
  408: "DEADLINE_EXCEEDED",
  409: "ABORTED",
  413: "INVALID_ARGUMENT",
  429: "RESOURCE_EXHAUSTED",
  499: "CANCELLED",
  500: "INTERNAL",
  501: "UNIMPLEMENTED",
  502: "UNAVAILABLE",
  503: "UNAVAILABLE",
  504: "DEADLINE_EXCEEDED",
};

const MAX_MESSAGE = 1000;

interface GoogleError {
  code?: number;
  message?: string;
  status?: string;
  details?: Array<{ "@type"?: string; reason?: string; retryDelay?: string }>;
}

export function decodeGeminiError(status: number, body: unknown): CanonicalError {
  const outer = Array.isArray(body) ? body[0] : body;
  const err = typeof outer === "object" && outer !== null ? ((outer as JsonObject).error as GoogleError | undefined) : undefined;
  if (typeof err !== "object" || err === null) {
    const text = typeof body === "string" && body.trim() ? body.trim().slice(0, MAX_MESSAGE) : `Gemini answered HTTP ${status}`;
    return { status, kind: kindForStatus(status), message: text };
  }
  const httpStatus = status || (typeof err.code === "number" ? err.code : 500);
  const details = Array.isArray(err.details) ? err.details : [];
  const reason = details.find((d) => d?.["@type"]?.endsWith("google.rpc.ErrorInfo"))?.reason;
  const retryDelay = details.find((d) => d?.["@type"]?.endsWith("google.rpc.RetryInfo"))?.retryDelay;
  const error: CanonicalError = {
    status: httpStatus,
    kind: (reason && REASON_KIND[reason]) || (err.status && STATUS_KIND[err.status]) || kindForStatus(httpStatus),
    message: typeof err.message === "string" && err.message ? err.message.slice(0, MAX_MESSAGE) : `Gemini answered HTTP ${httpStatus}`,
    native: { format: "gemini", body: outer as JsonObject },
  };
  const code = reason ?? err.status;
  if (code) error.code = code;
  const seconds = typeof retryDelay === "string" ? Number.parseFloat(retryDelay) : Number.NaN;
  if (Number.isFinite(seconds)) error.retryAfter = Math.ceil(seconds);
  return error;
}

/** Our error in Gemini's shape (Gemini's own body when it came from Gemini). */
export function encodeGeminiError(error: CanonicalError): JsonObject {
  if (error.native?.format === "gemini") return error.native.body;
  const details: JsonObject[] = [];
  if (error.param) details.push({ "@type": "type.googleapis.com/google.rpc.BadRequest", fieldViolations: [{ field: error.param, description: error.message }] });
  if (error.retryAfter !== undefined) details.push({ "@type": "type.googleapis.com/google.rpc.RetryInfo", retryDelay: `${error.retryAfter}s` });
  return {
    error: {
      code: error.status,
      message: error.message,
      status: HTTP_STATUS[error.status] ?? (error.status >= 500 ? "INTERNAL" : "INVALID_ARGUMENT"),
      ...(details.length > 0 && { details }),
    },
  };
}
