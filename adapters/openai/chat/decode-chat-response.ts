import type { ChatCompletion } from "openai/resources/chat/completions";
import type { AssistantPart } from "../../../src/canonical/content.ts";
import type { JsonObject } from "../../../src/canonical/extras.ts";
import type { CanonicalResponse, Finish } from "../../../src/canonical/response.ts";
import { CHAT, isObject, mainChoice, originAt, restExcept } from "./chat-extras.ts";
import { decodeAssistantMessage } from "./convert-chat-assistant-message.ts";
import { decodeChatUsage } from "./convert-chat-usage.ts";
import { decodeChatFinishReason } from "./map-chat-finish-reason.ts";

/**
 * A Chat completion from an upstream as a canonical response: choice 0's message becomes the
 * content, its finish reason and the usage are decoded. The rest of the body stays in extras as
 * its skeleton (the body without the decoded fields): `system_fingerprint`, `service_tier`,
 * Groq's `x_groq`, annotations, logprobs, the other choices of n>1, … Never throws: a provider's
 * surprising shape degrades to an empty answer.
 */
export function decodeChatResponse(body: ChatCompletion | JsonObject): CanonicalResponse {
  const b = body as JsonObject;
  const taken: string[] = [];
  const response: CanonicalResponse = { id: "", model: "", content: [], finish: { reason: "other" } };
  if (typeof b.id === "string") {
    response.id = b.id;
    taken.push("id");
  }
  if (typeof b.model === "string") {
    response.model = b.model;
    taken.push("model");
  }
  if (typeof b.created === "number") {
    response.created = b.created;
    taken.push("created");
  }
  if (isObject(b.usage)) {
    response.usage = decodeChatUsage(b.usage);
    taken.push("usage");
  }
  const skeleton = restExcept(b, taken) ?? {};
  const choices = b.choices;
  if (Array.isArray(choices)) {
    const main = mainChoice(choices);
    if (main >= 0) {
      const { content, finish, rest } = decodeChoice(choices[main] as JsonObject);
      response.content = content;
      if (finish) response.finish = finish;
      skeleton.choices = choices.map((c, i) => (i === main ? rest : c));
    }
  }
  response.extras = { [CHAT]: skeleton };
  return response;
}

function decodeChoice(choice: JsonObject): { content: AssistantPart[]; finish?: Finish; rest: JsonObject } {
  const taken: string[] = [];
  let finish: Finish | undefined;
  if (typeof choice.finish_reason === "string") {
    finish = decodeChatFinishReason(choice.finish_reason);
    taken.push("finish_reason");
  }
  let content: AssistantPart[] = [];
  let messageExtras: JsonObject | undefined;
  if (isObject(choice.message)) {
    const decoded = decodeAssistantMessage(choice.message, originAt(0), "choices[0].message", false);
    content = decoded.parts;
    messageExtras = decoded.extras;
    taken.push("message");
  }
  const rest = restExcept(choice, taken) ?? {};
  if (messageExtras) rest.message = messageExtras;
  return { content, finish, rest };
}
