import { kindForStatus, type CanonicalError, type ErrorKind } from "../../src/canonical/error.ts";
import type { JsonObject } from "../../src/canonical/extras.ts";
import { FORMAT, isObject } from "./cohere-extras.ts";

/**
 * Cohere error bodies: `{message}` or `{id, message}` on every status (400, 401, 402, 404, 422,
 * 429, 498, 499, 500, 503, 504 — https://docs.cohere.com/reference/errors). The status says the
 * kind; Cohere sends no type or code. 498 (a deny-listed token in the request or response) is the
 * request's fault; 499 (request cancelled) is reported as an upstream failure with its status kept.
 */
const KIND: Record<number, ErrorKind> = {
  498: "invalid_request",
  499: "upstream",
};

const MAX_MESSAGE = 1000;

export function decodeCohereError(status: number, body: unknown): CanonicalError {
  const error: CanonicalError = { status, kind: KIND[status] ?? kindForStatus(status), message: messageOf(status, body) };
  if (isObject(body) && typeof body.message === "string") error.native = { format: FORMAT, body };
  return error;
}

/** A Cohere client gets Cohere's own body back; any other error is `{message}`. */
export function encodeCohereError(error: CanonicalError): JsonObject {
  if (error.native?.format === FORMAT && typeof error.native.body.message === "string") return error.native.body;
  return { message: error.message };
}

function messageOf(status: number, body: unknown): string {
  let text: string | undefined;
  if (isObject(body)) {
    if (typeof body.message === "string") text = body.message;
    // Gateways in front of Cohere answer in OpenAI's shape.
    else if (isObject(body.error) && typeof body.error.message === "string") text = body.error.message;
  } else if (typeof body === "string" && !body.trimStart().startsWith("<")) {
    text = body.trim();
  }
  if (!text) return `Cohere answered with HTTP ${status}`;
  return text.length > MAX_MESSAGE ? `${text.slice(0, MAX_MESSAGE)}…` : text;
}
