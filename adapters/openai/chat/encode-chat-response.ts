import type { ChatCompletion } from "openai/resources/chat/completions";
import type { JsonObject } from "../../../src/canonical/extras.ts";
import type { CanonicalResponse } from "../../../src/canonical/response.ts";
import type { EncodeContext } from "../../types.ts";
import { chatExtrasOf, copyNative, isObject, mainChoice, objectAt } from "./chat-extras.ts";
import { chatCompletionId, unixNow } from "./chat-ids.ts";
import { encodeAssistantMessage } from "./convert-chat-assistant-message.ts";
import { encodeChatUsage } from "./convert-chat-usage.ts";
import { encodeChatFinishReason } from "./map-chat-finish-reason.ts";

/**
 * A canonical response as a Chat completion for a client. One decoded from Chat comes back as it
 * was; one from another provider becomes a clean, standard completion: `chatcmpl-` id, one
 * choice, `content: null` without text, `refusal`, tool calls, the reasoning as
 * `reasoning_content` (and signatures as `reasoning_details`), usage in OpenAI form.
 */
export function encodeChatResponse(response: CanonicalResponse, context: EncodeContext): JsonObject {
  const skeleton = chatExtrasOf(response);
  const choices = skeleton?.choices;
  if (skeleton !== undefined && Array.isArray(choices)) {
    const main = mainChoice(choices);
    if (main >= 0 || response.content.length === 0) return encodeOwn(response, skeleton, choices, main);
  }
  const out: ChatCompletion & JsonObject = {
    id: chatCompletionId(response.id),
    object: "chat.completion",
    created: response.created ?? unixNow(),
    model: response.model || context.model,
    choices: [
      {
        index: 0,
        message: encodeAssistantMessage(response.content, undefined, true) as unknown as ChatCompletion.Choice["message"],
        logprobs: null,
        finish_reason: encodeChatFinishReason(response.finish, false) as ChatCompletion.Choice["finish_reason"],
      },
    ],
  };
  if (response.usage) out.usage = encodeChatUsage(response.usage, false);
  return out;
}

function encodeOwn(response: CanonicalResponse, skeleton: JsonObject, choices: unknown[], main: number): JsonObject {
  const out: JsonObject = { id: response.id, model: response.model };
  if (response.created !== undefined) out.created = response.created;
  if (response.usage) out.usage = encodeChatUsage(response.usage, true);
  out.choices = choices.map((c, i) => {
    if (i !== main || !isObject(c)) return c;
    const choice: JsonObject = { message: encodeAssistantMessage(response.content, objectAt(c, "message"), true) };
    if (response.finish.native !== undefined || !("finish_reason" in c)) choice.finish_reason = encodeChatFinishReason(response.finish, true);
    return copyNative(c, choice);
  });
  return copyNative(skeleton, out);
}
