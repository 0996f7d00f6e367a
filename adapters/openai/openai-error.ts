import { kindForStatus, type CanonicalError, type ErrorKind } from "../../src/canonical/error.ts";
import { isObject, type JsonObject, type WireFormat } from "../../src/canonical/extras.ts";

/**
 * OpenAI error bodies (`{error:{message,type,param,code}}`), shared by the Chat Completions and
 * Responses codecs. OpenAI-wire providers answer in many other shapes too — Ollama
 * `{error:"…"}`, vLLM/FastAPI `{detail:…}`, Mistral's flat `{message,type,param,code}`, Gemini's
 * compatibility layer an array — so decoding accepts anything and never throws.
 */

/** OpenAI `type` strings whose meaning is sharper than the HTTP status alone. */
const TYPE_KIND: Record<string, ErrorKind> = {
  authentication_error: "authentication",
  permission_error: "permission",
  not_found_error: "not_found",
  rate_limit_error: "rate_limit",
  rate_limit_exceeded: "rate_limit",
  tokens: "rate_limit",
  requests: "rate_limit",
  insufficient_quota: "over_budget",
  overloaded_error: "overloaded",
  timeout_error: "timeout",
};

const KIND_TYPE: Record<ErrorKind, string> = {
  invalid_request: "invalid_request_error",
  authentication: "authentication_error",
  permission: "permission_error",
  not_found: "not_found_error",
  payload_too_large: "invalid_request_error",
  over_budget: "insufficient_quota",
  rate_limit: "rate_limit_error",
  upstream: "server_error",
  overloaded: "server_error",
  timeout: "timeout_error",
  internal: "server_error",
};

/** Status implied by an error that arrives inside a stream, where no HTTP status comes with it. */
const TYPE_STATUS: Record<string, number> = {
  invalid_request_error: 400,
  authentication_error: 401,
  permission_error: 403,
  not_found_error: 404,
  rate_limit_error: 429,
  rate_limit_exceeded: 429,
  insufficient_quota: 429,
  overloaded_error: 503,
  timeout_error: 504,
};

/** Longest upstream text quoted in a message (an HTML error page can be large). */
const MAX_MESSAGE = 1000;

interface Fields {
  message?: string;
  type?: string;
  param?: string;
  code?: string;
}

/**
 * An upstream error body, whatever its shape, as a canonical error with the status kept. A
 * standard OpenAI body is also kept as `native`, so a client of the same format gets it unchanged.
 */
export function decodeOpenAiError(status: number, body: unknown, format: WireFormat = "openai-chat"): CanonicalError {
  const fields = readFields(body, 0);
  const kind = (fields.code && TYPE_KIND[fields.code]) || (fields.type && TYPE_KIND[fields.type]) || kindForStatus(status);
  const error: CanonicalError = {
    status,
    kind,
    message: fields.message || `The upstream answered with HTTP ${status}`,
  };
  if (fields.code) error.code = fields.code;
  if (fields.param) error.param = fields.param;
  if (isStandardBody(body)) error.native = { format, body };
  return error;
}

/**
 * The HTTP status an in-stream error object stands for (OpenAI sends `{error:{…}}` mid-stream
 * without one; OpenRouter puts an HTTP status in a numeric `code`).
 */
export function openAiStreamErrorStatus(body: unknown): number {
  if (isObject(body) && typeof body.code === "number" && body.code >= 400 && body.code < 600) return body.code;
  const fields = readFields(body, 0);
  return (fields.code && TYPE_STATUS[fields.code]) || (fields.type && TYPE_STATUS[fields.type]) || 500;
}

/** `{error:{message,type,param,code}}` in OpenAI's words; an upstream's own OpenAI body as it was. */
export function encodeOpenAiError(error: CanonicalError): JsonObject {
  const native = error.native;
  if (native && (native.format === "openai-chat" || native.format === "openai-responses") && isStandardBody(native.body)) {
    return native.body;
  }
  return {
    error: {
      message: error.message,
      type: KIND_TYPE[error.kind] ?? "server_error",
      param: error.param ?? null,
      code: error.code ?? null,
    },
  };
}

function isStandardBody(body: unknown): body is JsonObject & { error: JsonObject } {
  if (!isObject(body)) return false;
  const inner = body.error;
  return isObject(inner) && typeof inner.message === "string";
}

function readFields(body: unknown, depth: number): Fields {
  if (typeof body === "string") return { message: textMessage(body) };
  if (Array.isArray(body)) return depth < 2 && body.length > 0 ? readFields(body[0], depth + 1) : {};
  if (!isObject(body)) return {};
  const inner = body.error;
  if (isObject(inner)) return fieldsOf(inner);
  if (typeof inner === "string") return { message: clip(inner), ...pickStrings(body) };
  if (body.detail !== undefined) return { message: describe(body.detail) };
  return fieldsOf(body);
}

/** The fields of an object shaped like OpenAI's `error` (or Mistral's flat body). */
function fieldsOf(obj: JsonObject): Fields {
  const out = pickStrings(obj);
  if (obj.message !== undefined) out.message = describe(obj.message);
  // Gemini's compatibility layer: `{code: 400, status: "INVALID_ARGUMENT"}`.
  if (!out.code && typeof obj.status === "string") out.code = obj.status;
  return out;
}

function pickStrings(obj: JsonObject): Fields {
  const out: Fields = {};
  if (typeof obj.type === "string") out.type = obj.type;
  if (typeof obj.param === "string") out.param = obj.param;
  if (typeof obj.code === "string") out.code = obj.code;
  return out;
}

/** A message from a field that may be a string, a FastAPI validation list, or an object. */
function describe(value: unknown): string {
  if (typeof value === "string") return clip(value);
  if (Array.isArray(value)) {
    const msgs = value.map((v) => (isObject(v) && typeof v.msg === "string" ? v.msg : undefined)).filter((m) => m !== undefined);
    if (msgs.length > 0) return clip(msgs.join("; "));
  }
  if (isObject(value) && typeof value.message === "string") return clip(value.message);
  try {
    return clip(JSON.stringify(value) ?? "");
  } catch {
    return "";
  }
}

function textMessage(text: string): string {
  const trimmed = text.trim();
  // An HTML page from a load balancer says nothing a client can use.
  if (trimmed.startsWith("<")) return "";
  return clip(trimmed);
}

function clip(s: string): string {
  return s.length > MAX_MESSAGE ? `${s.slice(0, MAX_MESSAGE)}…` : s;
}

