import type { JsonObject } from "../../../src/canonical/extras.ts";
import type { CanonicalRequest } from "../../../src/canonical/request.ts";
import { encodeToolChoice, encodeTools } from "./encode-responses-tools.ts";
import { isObject, RESPONSES } from "./responses-extras.ts";

/**
 * The request parameters a `Response` echoes, as OpenAI fills them in: what the client asked,
 * else OpenAI's defaults. Computed once per response (a stream repeats them in every lifecycle
 * event).
 */
export function echoRequest(request: CanonicalRequest): JsonObject {
  const x = request.extras?.[RESPONSES] ?? {};
  const text: JsonObject = isObject(x.text) ? { ...x.text } : {};
  text.format = request.responseFormat ? formatOf(request) : isObject(text.format) ? text.format : { type: "text" };
  text.verbosity ??= "medium";
  const safety = x.userField === "safety_identifier";
  return {
    instructions: request.instructions ?? x.instructions ?? null,
    max_output_tokens: request.maxOutputTokens ?? null,
    max_tool_calls: x.max_tool_calls ?? null,
    parallel_tool_calls: request.parallelToolCalls ?? true,
    previous_response_id: x.previous_response_id ?? null,
    prompt_cache_key: x.prompt_cache_key ?? null,
    prompt_cache_retention: x.prompt_cache_retention ?? null,
    reasoning: { effort: request.reasoning?.effort ?? null, summary: request.reasoning?.summary ?? null },
    safety_identifier: (safety ? request.user : x.safety_identifier) ?? null,
    service_tier: typeof x.service_tier === "string" && x.service_tier !== "auto" ? x.service_tier : "default",
    store: x.store ?? true,
    temperature: request.temperature ?? 1,
    text,
    tool_choice: encodeToolChoice(request.toolChoice, x.tool_choice, request.tools) ?? "auto",
    tools: request.tools ? encodeTools(request.tools) : [],
    top_logprobs: x.top_logprobs ?? 0,
    top_p: request.topP ?? 1,
    truncation: x.truncation ?? "disabled",
    user: (safety ? undefined : request.user) ?? null,
    metadata: request.metadata ?? {},
  };
}

function formatOf(request: CanonicalRequest): JsonObject {
  const f = request.responseFormat!;
  if (f.type !== "json_schema") return { type: f.type };
  const out: JsonObject = { type: "json_schema", name: f.name, schema: f.schema };
  if (f.description !== undefined) out.description = f.description;
  out.strict = f.strict ?? false;
  return out;
}

export interface EnvelopeFields {
  id: string;
  createdAt: number;
  model: string;
  status: string;
  output: JsonObject[];
  usage: JsonObject | null;
  incompleteReason?: string;
  error?: JsonObject | null;
}

/** A whole `Response` object around generated output, with the request echoed. */
export function responseEnvelope(echo: JsonObject, f: EnvelopeFields): JsonObject {
  return {
    id: f.id,
    object: "response",
    created_at: f.createdAt,
    status: f.status,
    background: false,
    completed_at: f.status === "completed" ? Math.floor(Date.now() / 1000) : null,
    error: f.error ?? null,
    incomplete_details: f.status === "incomplete" ? (f.incompleteReason ? { reason: f.incompleteReason } : {}) : null,
    model: f.model,
    output: f.output,
    ...echo,
    usage: f.usage,
  };
}
