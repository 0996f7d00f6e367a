import type { ContentPart } from "./decode-responses-content.ts";
import type { JsonObject } from "../../../src/canonical/extras.ts";
import type { StreamEvent } from "../../../src/canonical/stream.ts";
import { encodeOpenAiError } from "../openai-error.ts";
import { encodeResponsesUsage } from "./convert-responses-usage.ts";
import { encodeAnnotation, encodeContentPart } from "./encode-responses-content.ts";
import { encodeAssistantParts } from "./encode-responses-item.ts";

/**
 * Rebuilds one Responses event from a chunk this codec's decoder made: the payload kept in the
 * chunk's extras, with the fields the canonical events carry put back from those events (so a
 * stage that changed a delta or a call changes the event). The inverse of ResponsesStreamDecoder.
 */
export function encodeOwnEvent(kept: JsonObject, events: readonly StreamEvent[]): JsonObject {
  const data: JsonObject = { ...kept };
  for (const e of events) {
    switch (e.type) {
      case "start": {
        const response: JsonObject = { ...(kept.response as JsonObject) };
        if (e.id !== undefined) response.id = e.id;
        if (e.model !== undefined) response.model = e.model;
        if (e.created !== undefined) response.created_at = e.created;
        data.response = response;
        break;
      }
      case "part-start":
      case "part-end":
        if (kept.type === "response.content_part.added" || kept.type === "response.content_part.done") {
          const part = encodeContentPart(e.part as ContentPart, "assistant", "output");
          if (part) data.part = part;
        } else {
          const item = encodeAssistantParts([e.part], { mode: "output", summaryWanted: false })[0];
          if (item) data.item = item;
        }
        break;
      case "text-delta":
      case "tool-args-delta":
        data.delta = e.delta;
        break;
      case "reasoning-delta":
        data.delta = e.delta;
        if (e.summaryIndex !== undefined) data.summary_index = e.summaryIndex;
        break;
      case "citation":
        data.annotation = encodeAnnotation(e.citation, 0) ?? null;
        break;
      case "finish":
        if (e.usage) data.response = { ...(kept.response as JsonObject), usage: encodeResponsesUsage(e.usage) };
        break;
      case "error":
        // A flat error event was kept whole; a nested one gets its error object back.
        if (!("message" in kept) && !("response" in kept)) data.error = encodeOpenAiError(e.error).error;
        break;
    }
  }
  return data;
}
