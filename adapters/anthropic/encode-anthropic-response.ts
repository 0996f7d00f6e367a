import type { AssistantPart } from "../../src/canonical/content.ts";
import type { JsonObject } from "../../src/canonical/extras.ts";
import type { CanonicalResponse } from "../../src/canonical/response.ts";
import type { EncodeContext } from "../types.ts";
import { own, spreadNative } from "./anthropic-extras.ts";
import { encodeAnthropicUsage } from "./convert-anthropic-usage.ts";
import { encodeAssistantPart } from "./encode-anthropic-content.ts";
import { toAnthropicStopReason } from "./map-anthropic-stop-reason.ts";

/** Ids of another provider's responses get Anthropic's `msg_` prefix (clients and SDKs expect it). */
export function anthropicMessageId(id: string | undefined): string {
  if (id?.startsWith("msg_")) return id;
  return id ? `msg_${id}` : `msg_${crypto.randomUUID().replaceAll("-", "")}`;
}

export function encodeAnthropicContent(parts: readonly AssistantPart[]): JsonObject[] {
  const content: JsonObject[] = [];
  for (const part of parts) {
    const block = encodeAssistantPart(part, "response");
    if (block) content.push(block);
  }
  return content;
}

/** A canonical response (of any origin) as a Message. */
export function encodeAnthropicResponse(response: CanonicalResponse, context: EncodeContext): JsonObject {
  const x = own(response);
  const native = response.extras?.anthropic !== undefined;
  const body: JsonObject = {
    id: native ? response.id : anthropicMessageId(response.id),
    type: "message",
    role: "assistant",
    model: response.model || context.model,
    content: encodeAnthropicContent(response.content),
    stop_reason: toAnthropicStopReason(response.finish),
  };
  if (!x.$noStopSequence) body.stop_sequence = response.finish.stopSequence ?? null;
  body.usage = response.usage ? encodeAnthropicUsage(response.usage) : { input_tokens: 0, output_tokens: 0 };
  return spreadNative(body, x);
}
