import type { JsonObject } from "../../../src/canonical/extras.ts";
import type { CanonicalRequest, ReasoningEffort, ResponseFormat } from "../../../src/canonical/request.ts";
import { validateBody } from "../../shared/validate.ts";
import { decodeInput } from "./decode-responses-input.ts";
import { decodeToolChoice, decodeTools } from "./decode-responses-tools.ts";
import { isObject, RESPONSES } from "./responses-extras.ts";
import { responsesRequestSchema } from "./responses-request-schema.ts";

/** Fields read into canonical ones; everything else (store, include, prompt_cache_key, …) is kept verbatim. */
const KNOWN = new Set([
  "model",
  "input",
  "instructions",
  "tools",
  "tool_choice",
  "parallel_tool_calls",
  "max_output_tokens",
  "temperature",
  "top_p",
  "reasoning",
  "text",
  "stream",
  "user",
  "safety_identifier",
  "metadata",
]);

const EFFORTS = new Set<string>(["none", "minimal", "low", "medium", "high", "xhigh"]);

/**
 * A Responses request as the canonical request. Request-level extras hold the unknown fields and
 * the parts of known ones the canonical model has no field for (`reasoning` and `text` leftovers,
 * a native `tool_choice`, nulls), plus the markers `inputString` and `streamOmitted`.
 */
export function decodeResponsesRequest(body: JsonObject): CanonicalRequest {
  validateBody(responsesRequestSchema, body);
  const extras: JsonObject = {};
  for (const key in body) if (!KNOWN.has(key)) extras[key] = body[key];

  const input = body.input;
  const request: CanonicalRequest = {
    model: body.model as string,
    messages: typeof input === "string" ? [{ role: "user", content: [{ type: "text", text: input }] }] : Array.isArray(input) ? decodeInput(input) : [],
    stream: body.stream === true,
  };
  if (typeof input === "string") extras.inputString = true;
  else if (input === undefined) extras.inputOmitted = true;
  if (body.stream === undefined) extras.streamOmitted = true;
  else if (body.stream === null) extras.stream = null;

  if (typeof body.instructions === "string") request.instructions = body.instructions;
  else if ("instructions" in body) extras.instructions = body.instructions;

  if (Array.isArray(body.tools)) request.tools = decodeTools(body.tools as JsonObject[]);
  else if ("tools" in body) extras.tools = body.tools;
  if ("tool_choice" in body) {
    const { choice, native } = decodeToolChoice(body.tool_choice);
    if (choice) request.toolChoice = choice;
    if (native !== undefined) extras.tool_choice = native;
  }

  numberOrExtra(body, "max_output_tokens", extras, (v) => (request.maxOutputTokens = v));
  numberOrExtra(body, "temperature", extras, (v) => (request.temperature = v));
  numberOrExtra(body, "top_p", extras, (v) => (request.topP = v));
  if (typeof body.parallel_tool_calls === "boolean") request.parallelToolCalls = body.parallel_tool_calls;
  else if ("parallel_tool_calls" in body) extras.parallel_tool_calls = body.parallel_tool_calls;

  decodeReasoning(body, request, extras);
  decodeText(body, request, extras);

  if (typeof body.user === "string") {
    request.user = body.user;
    if ("safety_identifier" in body) extras.safety_identifier = body.safety_identifier;
  } else if (typeof body.safety_identifier === "string") {
    // The newer name for the same thing; remembered so the client's own field comes back.
    request.user = body.safety_identifier;
    extras.userField = "safety_identifier";
  } else if ("safety_identifier" in body) {
    extras.safety_identifier = body.safety_identifier;
  }

  if (isObject(body.metadata)) request.metadata = body.metadata as Record<string, string>;
  else if ("metadata" in body) extras.metadata = body.metadata;

  for (const _ in extras) {
    request.extras = { [RESPONSES]: extras };
    break;
  }
  return request;
}

function numberOrExtra(body: JsonObject, key: string, extras: JsonObject, set: (v: number) => void): void {
  const v = body[key];
  if (typeof v === "number") set(v);
  else if (key in body) extras[key] = v;
}

function decodeReasoning(body: JsonObject, request: CanonicalRequest, extras: JsonObject): void {
  const r = body.reasoning;
  if (!isObject(r)) {
    if ("reasoning" in body) extras.reasoning = r;
    return;
  }
  const rest: JsonObject = {};
  request.reasoning = {};
  for (const key in r) {
    const v = r[key];
    if (key === "effort" && typeof v === "string" && EFFORTS.has(v)) request.reasoning.effort = v as ReasoningEffort;
    else if (key === "summary" && typeof v === "string") request.reasoning.summary = v;
    else rest[key] = v;
  }
  for (const _ in rest) {
    extras.reasoning = rest;
    break;
  }
}

function decodeText(body: JsonObject, request: CanonicalRequest, extras: JsonObject): void {
  const text = body.text;
  if (!isObject(text)) {
    if ("text" in body) extras.text = text;
    return;
  }
  const rest: JsonObject = {};
  for (const key in text) {
    if (key === "format" && isObject(text.format)) {
      const { format, leftover } = decodeFormat(text.format);
      if (format) request.responseFormat = format;
      if (leftover) rest.format = leftover;
    } else rest[key] = text[key];
  }
  // An empty `text` object still comes back as one.
  extras.text = rest;
}

const FORMAT_KNOWN: Record<string, ReadonlySet<string>> = {
  text: new Set(["type"]),
  json_object: new Set(["type"]),
  json_schema: new Set(["type", "name", "schema", "strict", "description"]),
};

/** `text.format` as a canonical response format, and its fields the canonical one lacks. */
function decodeFormat(f: JsonObject): { format?: ResponseFormat; leftover?: JsonObject } {
  let format: ResponseFormat | undefined;
  if (f.type === "text" || f.type === "json_object") format = { type: f.type };
  else if (f.type === "json_schema" && typeof f.name === "string" && isObject(f.schema)) {
    format = { type: "json_schema", name: f.name, schema: f.schema };
    if (typeof f.strict === "boolean") format.strict = f.strict;
    if (typeof f.description === "string") format.description = f.description;
  }
  if (!format) return { leftover: f };
  const known = FORMAT_KNOWN[format.type];
  let leftover: JsonObject | undefined;
  for (const key in f) {
    const keep = !known.has(key) || (key === "strict" && typeof f.strict !== "boolean") || (key === "description" && typeof f.description !== "string");
    if (keep) (leftover ??= {})[key] = f[key];
  }
  return { format, leftover };
}
