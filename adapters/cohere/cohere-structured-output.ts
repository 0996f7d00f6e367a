import type { AssistantPart, TextPart, ToolCallPart } from "../../src/canonical/content.ts";
import type { CanonicalRequest, ResponseFormat } from "../../src/canonical/request.ts";
import type { Finish } from "../../src/canonical/response.ts";
import type { CohereTool } from "./cohere-api-types.ts";
import { isCohereRequest } from "./cohere-extras.ts";

/**
 * Cohere's structured output (`response_format` with `json_schema`) "is not supported when used
 * in combination with the documents or tools parameters". A request that offers tools and wants
 * a JSON schema answer (an agent with a typed final output) gets the schema as one more tool
 * instead; a call of it comes back as the answer's text, and a turn whose only call it was
 * finishes as `stop`.
 */
export const ANSWER_TOOL = "portcullis_final_answer";

export function needsAnswerTool(request: CanonicalRequest, offeredTools: number): boolean {
  return request.responseFormat?.type === "json_schema" && offeredTools > 0 && !isCohereRequest(request);
}

export function answerTool(format: Extract<ResponseFormat, { type: "json_schema" }>): CohereTool {
  const about = format.description ? ` (${format.name}: ${format.description})` : ` (${format.name})`;
  return {
    type: "function",
    function: {
      name: ANSWER_TOOL,
      description: `Give your final answer to the user by calling this tool once, with the answer as its arguments${about}. Call it instead of answering in text; use the other tools first when you need them.`,
      parameters: format.schema,
    },
  };
}

/** The answer tool's call as the text of the answer. */
export function answerText(call: ToolCallPart): TextPart {
  const part: TextPart = { type: "text", text: call.arguments === "" ? "{}" : call.arguments };
  if (call.origin) part.origin = call.origin;
  return part;
}

/** `TOOL_CALL` whose only call was the answer is a finished answer. */
export function answeredFinish(finish: Finish, content: readonly AssistantPart[], answered: boolean): Finish {
  if (!answered || finish.reason !== "tool_calls" || content.some((p) => p.type === "tool-call")) return finish;
  return { ...finish, reason: "stop" };
}
