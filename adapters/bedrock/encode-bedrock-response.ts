import type { AssistantPart, TextPart } from "../../src/canonical/content.ts";
import { extrasOf, type JsonObject } from "../../src/canonical/extras.ts";
import type { CanonicalResponse } from "../../src/canonical/response.ts";
import type { EncodeContext } from "../types.ts";
import { JSON_RESPONSE_TOOL } from "./bedrock-prepare-tools.ts";
import type { BedrockContentBlock, BedrockConverseResponse } from "./bedrock-wire-types.ts";
import { encodeBedrockUsage } from "./convert-bedrock-usage.ts";
import { encodeAssistantPart } from "./encode-bedrock-content.ts";
import { bedrockStopReasonFor } from "./map-bedrock-stop-reason.ts";

/**
 * A canonical response as a Converse answer. For one that came from another provider: other
 * providers' reasoning and native parts are left out, `metrics.latencyMs` is 0 (the
 * proxy does not know the upstream's), and a missing usage is written as zeros since Bedrock
 * clients expect it.
 */
export function encodeBedrockResponse(response: CanonicalResponse, _context: EncodeContext): BedrockConverseResponse {
  const x = extrasOf(response, "bedrock");
  const content: BedrockContentBlock[] = [];
  response.content.forEach((part, i) => {
    const block = encodeResponsePart(part, `content[${i}]`);
    if (block) content.push(block);
  });
  const body: BedrockConverseResponse = {
    metrics: { latencyMs: 0 },
    ...stripped(x),
    output: { ...(x.$output as JsonObject | undefined), message: { ...(x.$message as JsonObject | undefined), role: "assistant", content } },
    stopReason: bedrockStopReasonFor(response.finish),
    usage: response.usage ? encodeBedrockUsage(response.usage) : { inputTokens: 0, outputTokens: 0, totalTokens: 0 },
  };
  if (x.$noUsage === true) delete (body as Partial<BedrockConverseResponse>).usage;
  return body;
}

function stripped(x: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const key in x) if (key[0] !== "$") out[key] = x[key];
  return out;
}

/** A response part as a block; text that was our structured-output tool becomes that call again. */
export function encodeResponsePart(part: AssistantPart, param: string): BedrockContentBlock | undefined {
  if (part.type === "text") {
    const e = extrasOf(part, "bedrock");
    if (typeof e.jsonTool === "string") return { toolUse: { toolUseId: e.jsonTool, name: JSON_RESPONSE_TOOL, input: parseOr(part.text) } };
    if (e.citationsContent) return citationsBlock(part, e.citationsContent as JsonObject, e.noCitations === true);
  }
  return encodeAssistantPart(part, param);
}

function citationsBlock(part: TextPart, kept: JsonObject, noCitations: boolean): BedrockContentBlock {
  const citations = (part.citations ?? []).flatMap((c) => (c.native?.format === "bedrock" ? [c.native.value] : []));
  const block: JsonObject = { ...kept, content: (kept.content as Array<{ text?: string }>) ?? [{ text: part.text }] };
  if (!(noCitations && citations.length === 0)) block.citations = citations;
  return { citationsContent: block };
}

function parseOr(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
