import type { JsonObject } from "../../../src/canonical/extras.ts";
import type { CanonicalResponse } from "../../../src/canonical/response.ts";
import type { EncodeContext } from "../../types.ts";
import { encodeResponsesUsage } from "./convert-responses-usage.ts";
import { encodeAssistantParts, type ItemOptions } from "./encode-responses-item.ts";
import { encodeResponsesStatus } from "./map-responses-finish.ts";
import { echoRequest, responseEnvelope } from "./responses-envelope.ts";
import { RESPONSES } from "./responses-extras.ts";
import { responsesId } from "./responses-ids.ts";

export const ZERO_USAGE: JsonObject = Object.freeze({
  input_tokens: 0,
  input_tokens_details: { cached_tokens: 0 },
  output_tokens: 0,
  output_tokens_details: { reasoning_tokens: 0 },
  total_tokens: 0,
}) as JsonObject;

/** Whether the client asked for reasoning summaries, which decides where foreign reasoning text goes. */
export function summaryWanted(context: EncodeContext): boolean {
  return typeof context.request.reasoning?.summary === "string";
}

/**
 * The canonical response as a `Response` object. One this codec decoded comes back exactly; one
 * from another provider becomes a complete Response as OpenAI would write it: `resp_` id,
 * generated item ids, `status`, the request's parameters echoed, usage (zeros when the provider
 * gave none: strict clients require the object). No `output_text`: that is an SDK convenience.
 */
export function encodeResponsesResponse(response: CanonicalResponse, context: EncodeContext, newId?: ItemOptions["newId"]): JsonObject {
  const output = encodeAssistantParts(response.content, { mode: "output", summaryWanted: summaryWanted(context), newId });
  const x = response.extras?.[RESPONSES];
  if (x) return encodeOwn(response, x, output);
  const { status, reason } = encodeResponsesStatus(response.finish, false);
  return responseEnvelope(echoRequest(context.request), {
    id: response.id.startsWith("resp_") ? response.id : responsesId("resp"),
    createdAt: response.created ?? Math.floor(Date.now() / 1000),
    model: response.model || context.model,
    status,
    output,
    usage: response.usage ? encodeResponsesUsage(response.usage) : { ...ZERO_USAGE },
    incompleteReason: reason,
    error: status === "failed" ? { code: "server_error", message: "The upstream provider failed to complete the response." } : null,
  });
}

function encodeOwn(response: CanonicalResponse, x: JsonObject, output: JsonObject[]): JsonObject {
  const body: JsonObject = { id: response.id };
  if (response.created !== undefined) body.created_at = response.created;
  const { status, reason } = encodeResponsesStatus(response.finish, true);
  body.status = status;
  body.incomplete_details = status === "incomplete" ? (reason ? { reason } : {}) : null;
  body.model = response.model;
  body.output = output;
  if (response.usage) body.usage = encodeResponsesUsage(response.usage);
  for (const key in x) if (key !== "omitted") body[key] = x[key];
  const omitted = x.omitted as string[] | undefined;
  if (omitted) for (const key of omitted) delete body[key];
  return body;
}
