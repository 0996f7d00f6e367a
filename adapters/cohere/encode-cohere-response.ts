import type { JsonObject } from "../../src/canonical/extras.ts";
import type { CanonicalResponse } from "../../src/canonical/response.ts";
import type { EncodeContext } from "../types.ts";
import type { CohereChatResponse } from "./cohere-api-types.ts";
import { cohereOf, isObject, spreadNative } from "./cohere-extras.ts";
import { encodeCohereUsage } from "./convert-cohere-usage.ts";
import { encodeCohereAssistant } from "./encode-cohere-assistant.ts";
import { toCohereStopReason } from "./map-cohere-stop-reason.ts";

/**
 * A canonical response as Cohere's. A response of another origin reads as Cohere would have
 * written it: reasoning as thinking blocks, text beside tool calls as the tool plan, a UUID id.
 */
export function encodeCohereResponse(response: CanonicalResponse, _context: EncodeContext): JsonObject {
  const ex = cohereOf(response);
  const messageEx = isObject(ex.$message) ? ex.$message : {};
  const out = spreadNative<CohereChatResponse>(
    {
      id: response.id || crypto.randomUUID(),
      message: encodeCohereAssistant(response.content, messageEx, true) as CohereChatResponse["message"],
      finish_reason: toCohereStopReason(response.finish),
    },
    ex,
  );
  if (response.usage) out.usage = encodeCohereUsage(response.usage);
  return out as unknown as JsonObject;
}
