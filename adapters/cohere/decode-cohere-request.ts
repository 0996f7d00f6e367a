import type { JsonObject } from "../../src/canonical/extras.ts";
import type { CanonicalRequest, ReasoningConfig, ResponseFormat } from "../../src/canonical/request.ts";
import { validateBody } from "../shared/validate.ts";
import { decodeCohereToolChoice, decodeCohereTools } from "./cohere-prepare-tools.ts";
import { cohereRequestSchema, type CohereRequestBody } from "./cohere-request-schema.ts";
import { cohereExtras, nativeRest } from "./cohere-extras.ts";
import { decodeCohereMessages } from "./decode-cohere-messages.ts";

const KNOWN = new Set([
  "model",
  "messages",
  "stream",
  "tools",
  "strict_tools",
  "tool_choice",
  "max_tokens",
  "stop_sequences",
  "temperature",
  "seed",
  "frequency_penalty",
  "presence_penalty",
  "k",
  "p",
  "response_format",
  "thinking",
]);

/**
 * A Cohere `/v2/chat` body as a canonical request. What the canonical model has no field for —
 * `documents`, `citation_options`, `safety_mode`, `logprobs`, `priority`, unknown fields — is kept
 * in `extras.cohere` and written back unchanged.
 */
export function decodeCohereRequest(raw: JsonObject): CanonicalRequest {
  const body: CohereRequestBody = validateBody(cohereRequestSchema, raw);
  const req: CanonicalRequest = {
    model: body.model,
    messages: decodeCohereMessages(body.messages),
    stream: body.stream === true,
  };
  let rest = nativeRest(body, KNOWN);
  if (body.stream === false) (rest ??= {}).stream = false;
  if (body.tools !== undefined) req.tools = decodeCohereTools(body.tools, body.strict_tools);
  else if (body.strict_tools !== undefined) (rest ??= {}).strict_tools = body.strict_tools;
  const choice = decodeCohereToolChoice(body.tool_choice);
  if (choice) req.toolChoice = choice;
  if (body.max_tokens !== undefined) req.maxOutputTokens = body.max_tokens;
  if (body.stop_sequences !== undefined) req.stop = body.stop_sequences;
  if (body.temperature !== undefined) req.temperature = body.temperature;
  if (body.seed !== undefined) req.seed = body.seed;
  if (body.frequency_penalty !== undefined) req.frequencyPenalty = body.frequency_penalty;
  if (body.presence_penalty !== undefined) req.presencePenalty = body.presence_penalty;
  if (body.k !== undefined) req.topK = body.k;
  if (body.p !== undefined) req.topP = body.p;
  if (body.response_format) req.responseFormat = decodeResponseFormat(body.response_format);
  if (body.thinking) req.reasoning = decodeThinking(body.thinking);
  const extras = cohereExtras(rest);
  if (extras) req.extras = extras;
  return req;
}

/** Cohere names no schema: `json_object` with `json_schema` is a schema called "response". */
function decodeResponseFormat(f: NonNullable<CohereRequestBody["response_format"]>): ResponseFormat {
  if (f.type === "text") return { type: "text" };
  if (f.json_schema) return { type: "json_schema", name: "response", schema: f.json_schema };
  return { type: "json_object" };
}

function decodeThinking(t: NonNullable<CohereRequestBody["thinking"]>): ReasoningConfig {
  if (t.type === "disabled") return { disabled: true };
  return t.token_budget !== undefined ? { budgetTokens: t.token_budget } : {};
}
