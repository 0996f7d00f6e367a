import type { AssistantPart } from "../../src/canonical/content.ts";
import type { JsonObject, Origin } from "../../src/canonical/extras.ts";
import type { CanonicalResponse } from "../../src/canonical/response.ts";
import type { CohereCitation, CohereUsage } from "./cohere-api-types.ts";
import { cohereExtras, FORMAT, isObject, nativeRest } from "./cohere-extras.ts";
import { decodeCohereUsage } from "./convert-cohere-usage.ts";
import { attachCitations, decodeAssistantItem, decodePlan, readToolCall } from "./decode-cohere-messages.ts";
import { mapCohereStopReason } from "./map-cohere-stop-reason.ts";
import { ANSWER_TOOL, answeredFinish, answerText } from "./cohere-structured-output.ts";

const RESPONSE_KEYS = new Set(["id", "finish_reason", "message", "usage"]);
const MESSAGE_KEYS = new Set(["role", "content", "tool_plan", "tool_calls", "citations"]);
const ORIGIN: Origin = { format: FORMAT, index: 0 };

/**
 * A Cohere `/v2/chat` response as canonical. Parts come in the order Cohere produces them:
 * content blocks (thinking, text), the tool plan (reasoning), the tool calls (a call of the
 * structured-output answer tool being the answer's text). Cohere names no model in its
 * response: `model` is left empty for the router, which knows it. A block or call of a surprising
 * shape becomes a native part or is skipped, never a crash.
 */
export function decodeCohereResponse(body: JsonObject): CanonicalResponse {
  const message: JsonObject = isObject(body.message) ? body.message : {};
  const content: AssistantPart[] = [];
  if (Array.isArray(message.content)) {
    for (const item of message.content) {
      if (isObject(item)) content.push(readItem(item));
    }
  } else if (typeof message.content === "string" && message.content !== "") {
    content.push({ type: "text", text: message.content, origin: ORIGIN });
  }
  const contentCount = content.length;
  const plan = decodePlan(message.tool_plan, ORIGIN);
  if (plan) content.push(plan);
  let answered = false;
  if (Array.isArray(message.tool_calls)) {
    for (const call of message.tool_calls) {
      const part = readToolCall(call, ORIGIN);
      if (part?.name === ANSWER_TOOL) {
        content.push(answerText(part));
        answered = true;
      } else if (part) content.push(part);
    }
  }
  if (Array.isArray(message.citations)) attachCitations(message.citations.filter(isObject) as CohereCitation[], content, contentCount, plan);

  const finishReason = typeof body.finish_reason === "string" ? body.finish_reason : undefined;
  const res: CanonicalResponse = {
    id: typeof body.id === "string" ? body.id : "",
    model: "",
    content,
    finish: answeredFinish(mapCohereStopReason(finishReason), content, answered),
  };
  if (isObject(body.usage)) res.usage = decodeCohereUsage(body.usage as CohereUsage);
  const messageRest = nativeRest(message, keptKnown(message));
  const extras = cohereExtras(nativeRest(body, RESPONSE_KEYS), messageRest ? { $message: messageRest } : undefined);
  if (extras) res.extras = extras;
  return res;
}

function readItem(item: JsonObject): AssistantPart {
  try {
    return decodeAssistantItem(item, ORIGIN, "message.content");
  } catch {
    return { type: "native", format: FORMAT, value: item, origin: ORIGIN };
  }
}

/** Known fields whose empty value made no part stay native, so `content: []` round trips. */
function keptKnown(message: JsonObject): ReadonlySet<string> {
  const empty = (k: string) => {
    const v = message[k];
    return v === "" || (Array.isArray(v) && v.length === 0);
  };
  if (!empty("content") && !empty("tool_plan") && !empty("tool_calls") && !empty("citations")) return MESSAGE_KEYS;
  const known = new Set(MESSAGE_KEYS);
  for (const k of ["content", "tool_plan", "tool_calls", "citations"]) if (empty(k)) known.delete(k);
  return known;
}
