import type { JsonObject } from "../../src/canonical/extras.ts";
import type { CanonicalRequest } from "../../src/canonical/request.ts";
import { ANTHROPIC, isObject, own, spreadNative } from "./anthropic-extras.ts";
import { anthropicModelCapabilities } from "./anthropic-model-capabilities.ts";
import { prepareNativeTools, prepareRoutedTools } from "./anthropic-prepare-tools.ts";
import { toAnthropicStrictSchema } from "./anthropic-strict-schema.ts";
import { encodeNativeThinking } from "./anthropic-thinking.ts";
import { convertToAnthropicMessages, type AnthropicPrompt } from "./convert-to-anthropic-messages.ts";
import { planAnthropicThinking } from "./plan-anthropic-thinking.ts";

/**
 * Whether the request was decoded from this format: its parts carry Anthropic origins. Such a
 * request is written back as the client wrote it (a passthrough body a stage edited); any other is
 * translated into what the Messages API and the model accept.
 */
export function isNativeAnthropicRequest(req: CanonicalRequest): boolean {
  if (req.extras?.anthropic !== undefined) return true;
  // The first part that has an origin decides (a stage may have inserted parts without one).
  for (const m of req.messages) {
    for (const part of m.content) if (part.origin) return part.origin.format === ANTHROPIC;
  }
  return false;
}

export function encodeAnthropicRequest(req: CanonicalRequest): JsonObject {
  return isNativeAnthropicRequest(req) ? encodeNative(req) : encodeRouted(req);
}

/** `instructions` (Responses) lead the system prompt. */
function withInstructions(prompt: AnthropicPrompt, instructions: string | undefined): void {
  if (!instructions) return;
  const system = prompt.system;
  if (system === undefined) prompt.system = instructions;
  else if (typeof system === "string") prompt.system = [{ type: "text", text: instructions }, { type: "text", text: system }];
  else system.unshift({ type: "text", text: instructions });
}

function encodeNative(req: CanonicalRequest): JsonObject {
  const x = own(req);
  // Fields kept verbatim (unknown ones, and known ones sent as null) go first; computed ones win.
  const body = spreadNative({}, x);
  body.model = req.model;
  if (req.maxOutputTokens !== undefined) body.max_tokens = req.maxOutputTokens;
  const prompt = convertToAnthropicMessages(req.messages, true);
  withInstructions(prompt, req.instructions);
  if (prompt.system !== undefined) body.system = prompt.system;
  body.messages = prompt.messages;
  const { tools, tool_choice } = prepareNativeTools(req);
  if (tools) body.tools = tools;
  if (tool_choice !== undefined) body.tool_choice = tool_choice;
  const thinkingRest = isObject(x.thinking) ? x.thinking : undefined;
  const outputRest = isObject(x.output_config) ? x.output_config : undefined;
  const { thinking, output_config } = encodeNativeThinking(req.reasoning, req.responseFormat, thinkingRest, outputRest);
  if (thinking) body.thinking = thinking;
  else if (thinkingRest) delete body.thinking;
  if (output_config) body.output_config = output_config;
  else if (outputRest) delete body.output_config;
  if (req.temperature !== undefined) body.temperature = req.temperature;
  if (req.topP !== undefined) body.top_p = req.topP;
  if (req.topK !== undefined) body.top_k = req.topK;
  if (req.stop !== undefined) body.stop_sequences = req.stop;
  if (req.user !== undefined) body.metadata = { ...(isObject(x.metadata) ? x.metadata : undefined), user_id: req.user };
  if (req.stream) body.stream = true;
  return body;
}

const hasText = (s: string) => /\S/.test(s);

/** Whether the last assistant turn calls tools without opening with thinking (thinking would be refused). */
function lastToolTurnWithoutThinking(messages: JsonObject[]): boolean {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i];
    if (m.role !== "assistant") continue;
    if (!Array.isArray(m.content)) return false;
    const blocks = m.content as JsonObject[];
    if (!blocks.some((b) => b.type === "tool_use")) return false;
    return blocks[0]?.type !== "thinking" && blocks[0]?.type !== "redacted_thinking";
  }
  return false;
}

/**
 * A request from another format. `max_tokens` is required: without a client limit it is the
 * model's output maximum capped at 32k (see defaultMaxTokens). Sampling parameters the model
 * refuses are left out (Opus 4.7+, and temperature / top_k whenever thinking is on); OpenAI's
 * temperature range (0–2) is clamped to Anthropic's (0–1); stop sequences of whitespace only,
 * which Anthropic refuses, are left out.
 */
function encodeRouted(req: CanonicalRequest): JsonObject {
  const caps = anthropicModelCapabilities(req.model);
  const prompt = convertToAnthropicMessages(req.messages, false);
  withInstructions(prompt, req.instructions);
  if (req.responseFormat?.type === "json_object") {
    const hint = { type: "text", text: "Respond only with a valid JSON object." };
    if (prompt.system === undefined) prompt.system = hint.text;
    else if (typeof prompt.system === "string") prompt.system = [{ type: "text", text: prompt.system }, hint];
    else prompt.system.push(hint);
  }
  const tools = prepareRoutedTools(req, caps);
  const plan = planAnthropicThinking(req.reasoning, req.maxOutputTokens, caps, {
    forcedToolUse: tools.forced,
    lastToolTurnWithoutThinking: lastToolTurnWithoutThinking(prompt.messages),
  });

  const body: JsonObject = { model: req.model, max_tokens: plan.maxTokens };
  if (prompt.system !== undefined) body.system = prompt.system;
  body.messages = prompt.messages;
  if (tools.tools) body.tools = tools.tools;
  if (tools.tool_choice) body.tool_choice = tools.tool_choice;
  if (plan.thinking) body.thinking = plan.thinking;
  const outputConfig: JsonObject = {};
  if (plan.effort !== undefined) outputConfig.effort = plan.effort;
  if (req.responseFormat?.type === "json_schema" && caps.structuredOutput) {
    outputConfig.format = { type: "json_schema", schema: toAnthropicStrictSchema(req.responseFormat.schema) };
  }
  if (outputConfig.effort !== undefined || outputConfig.format !== undefined) body.output_config = outputConfig;

  if (!caps.rejectsSampling) {
    if (plan.thinkingOn) {
      if (req.topP !== undefined && req.topP >= 0.95) body.top_p = req.topP;
    } else {
      if (req.temperature !== undefined) body.temperature = Math.min(Math.max(req.temperature, 0), 1);
      if (req.topP !== undefined) body.top_p = req.topP;
      if (req.topK !== undefined) body.top_k = req.topK;
    }
  }
  const stop = req.stop?.filter(hasText);
  if (stop && stop.length > 0) body.stop_sequences = stop;
  if (req.user !== undefined) body.metadata = { user_id: req.user };
  if (req.stream) body.stream = true;
  return body;
}
