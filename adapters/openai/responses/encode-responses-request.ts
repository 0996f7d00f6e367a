import type { JsonObject } from "../../../src/canonical/extras.ts";
import type { CanonicalRequest, ReasoningConfig, ResponseFormat } from "../../../src/canonical/request.ts";
import { encodeInput } from "./encode-responses-input.ts";
import { encodeToolChoice, encodeTools } from "./encode-responses-tools.ts";
import { isObject, RESPONSES } from "./responses-extras.ts";

const MARKS = new Set(["inputString", "inputOmitted", "streamOmitted", "userField"]);

/**
 * The canonical request as a Responses request body (what goes to OpenAI). A request this codec
 * decoded comes back as it was, except reasoning another provider produced, which OpenAI cannot
 * take (see sendableToOpenAi). One of another origin gets `store: false`: Chat Completions and
 * the other formats do not keep conversations, and a proxy should not start doing so unasked.
 * Canonical fields Responses lacks (stop, seed, top_k, penalties) are not sent.
 */
export function encodeResponsesRequest(request: CanonicalRequest): JsonObject {
  const x = request.extras?.[RESPONSES];
  const body: JsonObject = { model: request.model };
  if (x) {
    for (const key in x) if (!MARKS.has(key)) body[key] = x[key];
  } else {
    body.store = false;
  }

  const single = request.messages.length === 1 ? request.messages[0] : undefined;
  if (x?.inputString && single?.role === "user" && single.content.length === 1 && single.content[0].type === "text") {
    body.input = single.content[0].text;
  } else if (!(x?.inputOmitted && request.messages.length === 0)) {
    body.input = encodeInput(request.messages, { mode: "input", summaryWanted: false, stateless: body.store === false });
  }

  if (request.instructions !== undefined) body.instructions = request.instructions;
  if (request.tools) body.tools = encodeTools(request.tools);
  const choice = encodeToolChoice(request.toolChoice, x?.tool_choice, request.tools);
  if (choice !== undefined) body.tool_choice = choice;
  if (request.parallelToolCalls !== undefined) body.parallel_tool_calls = request.parallelToolCalls;
  if (request.maxOutputTokens !== undefined) body.max_output_tokens = request.maxOutputTokens;
  if (request.temperature !== undefined) body.temperature = request.temperature;
  if (request.topP !== undefined) body.top_p = request.topP;
  if (request.reasoning) body.reasoning = encodeReasoning(request.reasoning, x?.reasoning);
  if (request.responseFormat) body.text = encodeText(request.responseFormat, x?.text);

  // `stream` comes back as the client wrote it: absent, null or a boolean.
  if (request.stream) body.stream = true;
  else if (!x?.streamOmitted && x?.stream !== null) body.stream = false;
  if (request.user !== undefined) body[x?.userField === "safety_identifier" ? "safety_identifier" : "user"] = request.user;
  if (request.metadata !== undefined) body.metadata = request.metadata;
  return body;
}

/**
 * Effort as given; a token budget from a format that speaks in budgets (Anthropic, Gemini,
 * Bedrock) becomes the nearest effort, since OpenAI takes no budget.
 */
function encodeReasoning(r: ReasoningConfig, kept: unknown): JsonObject {
  const out: JsonObject = isObject(kept) ? { ...kept } : {};
  const effort = r.effort ?? (r.disabled ? undefined : effortForBudget(r.budgetTokens));
  if (effort !== undefined) out.effort = effort;
  if (r.summary !== undefined) out.summary = r.summary;
  return out;
}

function effortForBudget(budget: number | undefined): string | undefined {
  if (budget === undefined) return undefined;
  if (budget <= 2048) return "low";
  if (budget <= 16384) return "medium";
  return "high";
}

function encodeText(format: ResponseFormat, kept: unknown): JsonObject {
  const out: JsonObject = isObject(kept) ? { ...kept } : {};
  const f: JsonObject = isObject(out.format) ? { ...out.format } : {};
  f.type = format.type;
  if (format.type === "json_schema") {
    f.name = format.name;
    f.schema = format.schema;
    if (format.strict !== undefined) f.strict = format.strict;
    if (format.description !== undefined) f.description = format.description;
  }
  out.format = f;
  return out;
}
