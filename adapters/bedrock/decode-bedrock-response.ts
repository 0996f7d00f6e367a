import { randomUUID } from "node:crypto";
import type { AssistantPart, Citation, TextPart } from "../../src/canonical/content.ts";
import { restOf, type JsonObject } from "../../src/canonical/extras.ts";
import type { CanonicalResponse, Finish } from "../../src/canonical/response.ts";
import { JSON_RESPONSE_TOOL } from "./bedrock-prepare-tools.ts";
import type { BedrockCitationsContent, BedrockContentBlock, BedrockConverseResponse } from "./bedrock-wire-types.ts";
import { decodeBedrockUsage } from "./convert-bedrock-usage.ts";
import { decodeAssistantBlock } from "./decode-bedrock-content.ts";
import { mapBedrockStopReason } from "./map-bedrock-stop-reason.ts";

const BODY_KNOWN = new Set(["output", "stopReason", "usage"]);
const MESSAGE_KNOWN = new Set(["role", "content"]);

/**
 * A Converse answer as a canonical response. The body has no id (Bedrock puts the request id in
 * the `x-amzn-requestid` header) and no model (it is in the URL): the id is made up here and the
 * model left empty. metrics, additionalModelResponseFields, trace, performanceConfig and
 * serviceTier travel as response extras; the stop sequence Claude reports in
 * additionalModelResponseFields (`/delta/stop_sequence`) is also read into `finish`.
 */
export function decodeBedrockResponse(body: JsonObject): CanonicalResponse {
  const res = body as BedrockConverseResponse;
  const message = res.output?.message;
  const blocks: BedrockContentBlock[] = Array.isArray(message?.content) ? message.content : [];
  let jsonAnswer = false;
  let realToolCall = false;
  const content = blocks.map((b): AssistantPart => {
    if (b.toolUse?.name === JSON_RESPONSE_TOOL && Object.keys(b).length === 1) {
      jsonAnswer = true;
      return jsonToolAsText(b.toolUse.toolUseId, b.toolUse.input);
    }
    if (b.citationsContent && Object.keys(b).length === 1) return decodeCitationsContent(b.citationsContent);
    const part = decodeAssistantBlock(b);
    if (part.type === "tool-call") realToolCall = true;
    return part;
  });

  const response: CanonicalResponse = {
    id: `bedrock-${randomUUID()}`,
    model: "",
    content,
    finish: decodeFinish(res.stopReason, res.additionalModelResponseFields, jsonAnswer && !realToolCall),
  };
  if (res.usage && typeof res.usage === "object") response.usage = decodeBedrockUsage(res.usage);

  const extras: JsonObject = restOf(res, BODY_KNOWN) ?? {};
  const outputRest = res.output ? restOf(res.output, new Set(["message"])) : undefined;
  if (outputRest) extras.$output = outputRest;
  const messageRest = message ? restOf(message, MESSAGE_KNOWN) : undefined;
  if (messageRest) extras.$message = messageRest;
  if (res.usage === undefined) extras.$noUsage = true;
  if (Object.keys(extras).length > 0) response.extras = { bedrock: extras };
  return response;
}

/** The forced structured-output tool's input is the answer: JSON text, as the client asked. */
export function jsonToolAsText(toolUseId: string, input: unknown): TextPart {
  return { type: "text", text: JSON.stringify(input ?? {}), extras: { bedrock: { jsonTool: toolUseId } } };
}

/**
 * When the only tool called was our structured-output tool, the model answered: `tool_use`
 * becomes `stop` (native kept, so Bedrock clients see their own word).
 */
export function decodeFinish(stopReason: string | undefined, fields: JsonObject | undefined, jsonAnswer: boolean): Finish {
  const finish: Finish = { reason: jsonAnswer && stopReason === "tool_use" ? "stop" : mapBedrockStopReason(stopReason) };
  if (typeof stopReason === "string") finish.native = stopReason;
  const seq = (fields?.delta as { stop_sequence?: unknown } | undefined)?.stop_sequence;
  if (typeof seq === "string") finish.stopSequence = seq;
  return finish;
}

/** A cited answer block: its generated text, with the citations kept as Bedrock wrote them. */
function decodeCitationsContent(cc: BedrockCitationsContent): TextPart {
  const pieces = Array.isArray(cc.content) ? cc.content : [];
  const part: TextPart = { type: "text", text: pieces.map((p) => p?.text ?? "").join("") };
  const citations = Array.isArray(cc.citations) ? cc.citations.map(decodeCitation) : [];
  if (citations.length > 0) part.citations = citations;
  const single = pieces.length === 1 && Object.keys(pieces[0] ?? {}).length === 1 && typeof pieces[0].text === "string";
  const { content: _content, citations: _citations, ...kept } = cc as JsonObject;
  if (!single) kept.content = cc.content;
  part.extras = { bedrock: { citationsContent: kept, ...(cc.citations === undefined && { noCitations: true }) } };
  return part;
}

/**
 * A Bedrock citation. Its location points into the cited source (character, page or chunk
 * ranges of a document, or a web page), not into the answer, so it fills no text range.
 */
export function decodeCitation(c: JsonObject): Citation {
  const web = (c.location as { web?: { url?: unknown } } | undefined)?.web;
  const citation: Citation = { type: web ? "url" : "document", native: { format: "bedrock", value: c } };
  if (typeof c.title === "string") citation.title = c.title;
  if (typeof web?.url === "string") citation.url = web.url;
  return citation;
}
