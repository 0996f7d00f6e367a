import type { AssistantPart } from "../../../src/canonical/content.ts";
import type { JsonObject } from "../../../src/canonical/extras.ts";
import type { CanonicalResponse } from "../../../src/canonical/response.ts";
import { decodeResponsesUsage } from "./convert-responses-usage.ts";
import { decodeAssistantItem } from "./decode-responses-item.ts";
import { decodeResponsesFinish } from "./map-responses-finish.ts";
import { isObject, originAt, RESPONSES } from "./responses-extras.ts";

const KNOWN = new Set(["id", "created_at", "model", "output", "status", "incomplete_details", "usage"]);

/**
 * A `Response` object as the canonical response: output items become parts (origin = output
 * index), status and incomplete_details the finish, and every echoed request parameter and
 * provider field (object, background, billing, tools, content_filters, …) is kept verbatim.
 * Decoded, not validated: the provider's shape is trusted, a surprising field is carried.
 */
export function decodeResponsesResponse(body: JsonObject): CanonicalResponse {
  const extras: JsonObject = {};
  for (const key in body) if (!KNOWN.has(key)) extras[key] = body[key];

  const content: AssistantPart[] = [];
  if (Array.isArray(body.output)) {
    for (let i = 0; i < body.output.length; i++) {
      const item = body.output[i];
      if (isObject(item)) content.push(...decodeAssistantItem(item, originAt(i)));
    }
  } else if ("output" in body) extras.output = body.output;

  const details = body.incomplete_details;
  const reason = isObject(details) ? details.reason : undefined;
  const response: CanonicalResponse = {
    id: typeof body.id === "string" ? body.id : "",
    model: typeof body.model === "string" ? body.model : "",
    content,
    finish: decodeResponsesFinish(body.status, reason, content.some((p) => p.type === "tool-call")),
  };
  if (typeof body.created_at === "number") response.created = body.created_at;
  else if ("created_at" in body) extras.created_at = body.created_at;
  if (typeof body.status !== "string" && "status" in body) extras.status = body.status;

  // incomplete_details is implied by the status (null, or {reason}); anything else is kept.
  const implied = body.status === "incomplete" ? isObject(details) && Object.keys(details).length === 1 && typeof reason === "string" : details === null;
  if (!implied && "incomplete_details" in body) extras.incomplete_details = details;

  if (isObject(body.usage)) response.usage = decodeResponsesUsage(body.usage);
  else if ("usage" in body) extras.usage = body.usage;

  // Known fields the body did not have at all, so they do not appear on the way back.
  let omitted: string[] | undefined;
  for (const key of KNOWN) if (!(key in body)) (omitted ??= []).push(key);
  if (omitted) extras.omitted = omitted;

  response.extras = { [RESPONSES]: extras };
  return response;
}
