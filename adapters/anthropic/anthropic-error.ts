import type { ErrorType } from "@anthropic-ai/sdk/resources/shared";
import { kindForStatus, type CanonicalError, type ErrorKind } from "../../src/canonical/error.ts";
import type { JsonObject } from "../../src/canonical/extras.ts";
import { ANTHROPIC, isObject } from "./anthropic-extras.ts";

/** Anthropic error types and the canonical kinds (and statuses) they stand for. */
const TYPE_KIND: Record<string, ErrorKind> = {
  invalid_request_error: "invalid_request",
  authentication_error: "authentication",
  billing_error: "over_budget",
  permission_error: "permission",
  not_found_error: "not_found",
  request_too_large: "payload_too_large",
  rate_limit_error: "rate_limit",
  timeout_error: "timeout",
  api_error: "upstream",
  overloaded_error: "overloaded",
};

const KIND_TYPE: Record<ErrorKind, ErrorType | "request_too_large"> = {
  invalid_request: "invalid_request_error",
  authentication: "authentication_error",
  permission: "permission_error",
  not_found: "not_found_error",
  payload_too_large: "request_too_large",
  over_budget: "billing_error",
  rate_limit: "rate_limit_error",
  upstream: "api_error",
  overloaded: "overloaded_error",
  timeout: "timeout_error",
  internal: "api_error",
};

/** Statuses for errors that arrive without one (stream `error` events). */
const TYPE_STATUS: Record<string, number> = {
  invalid_request_error: 400,
  authentication_error: 401,
  billing_error: 402,
  permission_error: 403,
  not_found_error: 404,
  request_too_large: 413,
  rate_limit_error: 429,
  api_error: 500,
  timeout_error: 504,
  overloaded_error: 529,
};

export function statusForAnthropicErrorType(type: unknown): number {
  return (typeof type === "string" && TYPE_STATUS[type]) || 500;
}

/** An upstream error body (`{type: "error", error: {type, message}, request_id}`) with its status. */
export function decodeAnthropicError(status: number, body: unknown): CanonicalError {
  const error = isObject(body) && isObject(body.error) ? body.error : undefined;
  const type = typeof error?.type === "string" ? error.type : undefined;
  const message =
    typeof error?.message === "string" ? error.message : typeof body === "string" && body !== "" ? body.slice(0, 500) : `The upstream returned HTTP ${status}`;
  const out: CanonicalError = { status, kind: (type && TYPE_KIND[type]) || kindForStatus(status), message };
  const code = isObject(error?.details) ? error.details.error_code : undefined;
  if (typeof code === "string") out.code = code;
  if (isObject(body) && error) out.native = { format: ANTHROPIC, body };
  return out;
}

/** An error in this format: the upstream's own body when it was Anthropic's, otherwise built from the kind. */
export function encodeAnthropicError(error: CanonicalError): JsonObject {
  if (error.native?.format === ANTHROPIC) return error.native.body;
  return { type: "error", error: { type: KIND_TYPE[error.kind] ?? "api_error", message: error.message } };
}
