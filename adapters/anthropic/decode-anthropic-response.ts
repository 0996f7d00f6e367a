import type { AssistantPart } from "../../src/canonical/content.ts";
import { proxyError } from "../../src/canonical/error.ts";
import type { JsonObject } from "../../src/canonical/extras.ts";
import type { CanonicalResponse } from "../../src/canonical/response.ts";
import { anthropicExtras, isObject, restOfKnown } from "./anthropic-extras.ts";
import { isJsonFallbackTool, jsonFallbackText } from "./anthropic-json-fallback.ts";
import { decodeAnthropicUsage } from "./convert-anthropic-usage.ts";
import { decodeAssistantBlock, nativePart } from "./decode-anthropic-content.ts";
import { isAnthropicStopReason, mapAnthropicStopReason } from "./map-anthropic-stop-reason.ts";

const KNOWN: ReadonlySet<string> = new Set(["id", "type", "role", "model", "content", "stop_reason", "stop_sequence", "usage"]);

/**
 * A Message to the canonical response. The provider's shape is trusted, never validated: a field
 * of a surprising type is kept verbatim rather than failing the call.
 */
export function decodeAnthropicResponse(body: JsonObject): CanonicalResponse {
  if (!isObject(body)) throw proxyError(502, "The upstream returned a response that is not a JSON object", { kind: "upstream", code: "bad_upstream_response" });
  let rest = restOfKnown(body, KNOWN);
  const content: AssistantPart[] = [];
  let jsonAnswerOnly = false;
  let realToolUse = false;
  if (Array.isArray(body.content)) {
    for (const b of body.content) {
      if (!isObject(b)) {
        content.push(nativePart(b as JsonObject));
        continue;
      }
      if (b.type === "tool_use" && isJsonFallbackTool(b.name)) {
        // Our JSON-output tool (models without structured outputs): the client asked for text.
        content.push({ type: "text", text: jsonFallbackText(b.name, JSON.stringify(b.input ?? {})) });
        jsonAnswerOnly = true;
        continue;
      }
      if (b.type === "tool_use") realToolUse = true;
      content.push(decodeAssistantBlock(b));
    }
  } else if ("content" in body) (rest ??= {}).content = body.content;

  const finish = mapAnthropicStopReason(body.stop_reason, body.stop_sequence);
  if (jsonAnswerOnly && !realToolUse && finish.reason === "tool_calls") finish.reason = "stop";
  if (body.stop_sequence === undefined) (rest ??= {}).$noStopSequence = true;
  else if (typeof body.stop_sequence !== "string" && body.stop_sequence !== null) (rest ??= {}).stop_sequence = body.stop_sequence;
  // A reason this table does not know (or null) is written back as it came.
  if (!isAnthropicStopReason(body.stop_reason)) (rest ??= {}).stop_reason = body.stop_reason;
  if ("type" in body && body.type !== "message") (rest ??= {}).type = body.type;
  if ("role" in body && body.role !== "assistant") (rest ??= {}).role = body.role;

  const response: CanonicalResponse = {
    id: typeof body.id === "string" ? body.id : "",
    model: typeof body.model === "string" ? body.model : "",
    content,
    finish,
  };
  if ("id" in body && typeof body.id !== "string") (rest ??= {}).id = body.id;
  if ("model" in body && typeof body.model !== "string") (rest ??= {}).model = body.model;
  if (isObject(body.usage)) response.usage = decodeAnthropicUsage(body.usage);
  else if ("usage" in body) (rest ??= {}).usage = body.usage;
  const extras = anthropicExtras(rest);
  if (extras) response.extras = extras;
  return response;
}
