import { kindForStatus, type CanonicalError, type ErrorKind } from "../../src/canonical/error.ts";
import type { JsonObject } from "../../src/canonical/extras.ts";
import type { BedrockErrorBody } from "./bedrock-wire-types.ts";

/**
 * Bedrock errors: a JSON body `{message}` (`Message` in some answers) with the exception type in
 * the `x-amzn-errortype` header (`ValidationException:http://internal.amazon.com/coral/…`), or,
 * mid-stream, an exception message whose `:exception-type` is the type in camelCase.
 */
const EXCEPTIONS: Record<string, { status: number; kind: ErrorKind }> = {
  ValidationException: { status: 400, kind: "invalid_request" },
  ConflictException: { status: 400, kind: "invalid_request" },
  ServiceQuotaExceededException: { status: 400, kind: "rate_limit" },
  AccessDeniedException: { status: 403, kind: "permission" },
  UnrecognizedClientException: { status: 403, kind: "authentication" },
  InvalidSignatureException: { status: 403, kind: "authentication" },
  IncompleteSignatureException: { status: 403, kind: "authentication" },
  ExpiredTokenException: { status: 403, kind: "authentication" },
  ResourceNotFoundException: { status: 404, kind: "not_found" },
  ModelTimeoutException: { status: 408, kind: "timeout" },
  ModelErrorException: { status: 424, kind: "upstream" },
  ModelStreamErrorException: { status: 424, kind: "upstream" },
  ModelNotReadyException: { status: 429, kind: "overloaded" },
  ThrottlingException: { status: 429, kind: "rate_limit" },
  InternalServerException: { status: 500, kind: "upstream" },
  ServiceUnavailableException: { status: 503, kind: "overloaded" },
};

/** The exception type a status implies, for answers that name none. */
const BY_STATUS: Record<number, string> = {
  400: "ValidationException",
  401: "UnrecognizedClientException",
  403: "AccessDeniedException",
  404: "ResourceNotFoundException",
  408: "ModelTimeoutException",
  424: "ModelErrorException",
  429: "ThrottlingException",
  500: "InternalServerException",
  503: "ServiceUnavailableException",
};

/** The Bedrock exception type for a canonical error from anywhere. */
const BY_KIND: Record<ErrorKind, string> = {
  invalid_request: "ValidationException",
  authentication: "UnrecognizedClientException",
  permission: "AccessDeniedException",
  not_found: "ResourceNotFoundException",
  payload_too_large: "ValidationException",
  over_budget: "ServiceQuotaExceededException",
  rate_limit: "ThrottlingException",
  upstream: "InternalServerException",
  overloaded: "ServiceUnavailableException",
  timeout: "ModelTimeoutException",
  internal: "InternalServerException",
};

/** `ValidationException:http://…` → `ValidationException` (and `aws.protocols#…` prefixes dropped). */
function cleanType(raw: string): string {
  let t = raw.split(":")[0].split(",")[0];
  const hash = t.indexOf("#");
  if (hash >= 0) t = t.slice(hash + 1);
  return t.trim();
}

export function decodeBedrockError(status: number, body: unknown, headers?: Record<string, string | string[] | undefined>): CanonicalError {
  const obj = body && typeof body === "object" && !Array.isArray(body) ? (body as BedrockErrorBody) : undefined;
  const header = headers?.["x-amzn-errortype"];
  const rawType = (Array.isArray(header) ? header[0] : header) ?? (typeof obj?.__type === "string" ? obj.__type : typeof obj?.code === "string" ? obj.code : undefined);
  const type = rawType ? cleanType(rawType) : BY_STATUS[status];
  const message = obj?.message ?? obj?.Message ?? (typeof body === "string" && body !== "" ? body.slice(0, 1000) : `Amazon Bedrock answered HTTP ${status}`);
  const error: CanonicalError = {
    status,
    kind: type && Object.hasOwn(EXCEPTIONS, type) ? EXCEPTIONS[type].kind : kindForStatus(status),
    message: String(message),
  };
  if (type) error.code = type;
  if (obj) error.native = { format: "bedrock", body: obj as JsonObject };
  return error;
}

/** A mid-stream exception event (`throttlingException`, …) as a canonical error. */
export function decodeBedrockStreamException(eventName: string, data: JsonObject): CanonicalError {
  const type = eventName === "error" ? String(data.code ?? "InternalServerException") : eventName[0].toUpperCase() + eventName.slice(1);
  const known = Object.hasOwn(EXCEPTIONS, type) ? EXCEPTIONS[type] : { status: 500, kind: "upstream" as ErrorKind };
  return {
    status: known.status,
    kind: known.kind,
    message: typeof data.message === "string" ? data.message : `Amazon Bedrock stream failed: ${type}`,
    code: type,
    native: { format: "bedrock", body: data },
  };
}

/** The exception type to name in `x-amzn-errortype` (Bedrock's SDKs pick the exception class from it). */
export function bedrockErrorType(error: CanonicalError): string {
  if (error.native?.format === "bedrock" && error.code && Object.hasOwn(EXCEPTIONS, error.code)) return error.code;
  return BY_KIND[error.kind] ?? BY_STATUS[error.status] ?? "InternalServerException";
}

/** Response headers a Bedrock client needs with an error body. */
export function bedrockErrorHeaders(error: CanonicalError): Record<string, string> {
  return { "x-amzn-errortype": `${bedrockErrorType(error)}:http://internal.amazon.com/coral/com.amazon.bedrock/` };
}

export function encodeBedrockError(error: CanonicalError): JsonObject {
  return { message: error.message };
}

/** The exceptions ConverseStream can send mid-stream, by canonical kind. */
const STREAM_EXCEPTION: Record<ErrorKind, string> = {
  invalid_request: "validationException",
  authentication: "validationException",
  permission: "validationException",
  not_found: "validationException",
  payload_too_large: "validationException",
  over_budget: "throttlingException",
  rate_limit: "throttlingException",
  overloaded: "serviceUnavailableException",
  upstream: "modelStreamErrorException",
  timeout: "modelStreamErrorException",
  internal: "internalServerException",
};

/** An error after the stream began, as the exception event Bedrock would send. */
export function bedrockStreamException(error: CanonicalError): { event: string; data: JsonObject } {
  if (error.native?.format === "bedrock" && error.code) {
    const event = error.code[0].toLowerCase() + error.code.slice(1);
    if (Object.values(STREAM_EXCEPTION).includes(event)) return { event, data: error.native.body };
  }
  const event = STREAM_EXCEPTION[error.kind] ?? "internalServerException";
  const data: JsonObject = { message: error.message };
  if (event === "modelStreamErrorException") {
    data.originalStatusCode = error.status;
    data.originalMessage = error.message;
  }
  return { event, data };
}
