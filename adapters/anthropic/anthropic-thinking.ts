import type { JsonObject } from "../../src/canonical/extras.ts";
import type { ReasoningConfig, ReasoningEffort, ResponseFormat } from "../../src/canonical/request.ts";
import { isObject, restOfKnown } from "./anthropic-extras.ts";

/**
 * `thinking` and `output_config` (effort, JSON output format) to and from the canonical reasoning
 * config and response format. What the canonical model has no field for (`adaptive` /
 * `between_tools` thinking, `display`, effort `max`) stays in `extras.thinking` /
 * `extras.output_config`, partial objects merged back on encode.
 */
export interface DecodedThinking {
  reasoning?: ReasoningConfig;
  responseFormat?: ResponseFormat;
  thinkingRest?: JsonObject;
  outputConfigRest?: JsonObject;
}

const ENABLED_KEYS: ReadonlySet<string> = new Set(["type", "budget_tokens"]);
const DISABLED_KEYS: ReadonlySet<string> = new Set(["type"]);
const OUTPUT_CONFIG_KEYS: ReadonlySet<string> = new Set(["effort", "format"]);
const FORMAT_KEYS: ReadonlySet<string> = new Set(["type", "schema"]);
const EFFORTS: ReadonlySet<string> = new Set(["low", "medium", "high", "xhigh"]);

/** The name canonical json_schema formats carry when the format has none (Anthropic's has no name). */
export const RESPONSE_FORMAT_NAME = "response";

export function decodeAnthropicThinking(thinking: JsonObject | undefined, outputConfig: JsonObject | undefined): DecodedThinking {
  const out: DecodedThinking = {};
  let reasoning: ReasoningConfig | undefined;
  if (thinking) {
    if (thinking.type === "enabled" && typeof thinking.budget_tokens === "number") {
      reasoning = { budgetTokens: thinking.budget_tokens };
      out.thinkingRest = restOfKnown(thinking, ENABLED_KEYS);
    } else if (thinking.type === "disabled") {
      reasoning = { disabled: true };
      out.thinkingRest = restOfKnown(thinking, DISABLED_KEYS);
    } else {
      // adaptive, between_tools, or a shape we do not know: the model decides, keep it all.
      out.thinkingRest = thinking;
    }
  }
  if (outputConfig) {
    let rest = restOfKnown(outputConfig, OUTPUT_CONFIG_KEYS);
    const effort = outputConfig.effort;
    if (typeof effort === "string" && EFFORTS.has(effort)) (reasoning ??= {}).effort = effort as ReasoningEffort;
    else if (effort === "max") {
      (reasoning ??= {}).effort = "xhigh";
      (rest ??= {}).effort = "max";
    } else if ("effort" in outputConfig) (rest ??= {}).effort = effort;
    const format = outputConfig.format;
    if (isObject(format) && format.type === "json_schema" && isObject(format.schema)) {
      out.responseFormat = { type: "json_schema", name: RESPONSE_FORMAT_NAME, schema: format.schema };
      const formatRest = restOfKnown(format, FORMAT_KEYS);
      if (formatRest) (rest ??= {}).format = formatRest;
    } else if ("format" in outputConfig) (rest ??= {}).format = format;
    // An empty output_config still has to come back.
    out.outputConfigRest = rest ?? (reasoning?.effort === undefined && !out.responseFormat ? {} : undefined);
  }
  if (reasoning) out.reasoning = reasoning;
  return out;
}

/** Canonical effort to Anthropic's `output_config.effort` (which has no `minimal`; `max` above `high` where `xhigh` is missing). */
export function toAnthropicEffort(effort: ReasoningEffort, xhighSupported: boolean): string | undefined {
  switch (effort) {
    case "none":
      return undefined;
    case "minimal":
      return "low";
    case "xhigh":
      return xhighSupported ? "xhigh" : "max";
    default:
      return effort;
  }
}

/** `thinking` and `output_config` for a request decoded from this format (stage edits applied). */
export function encodeNativeThinking(
  reasoning: ReasoningConfig | undefined,
  responseFormat: ResponseFormat | undefined,
  thinkingRest: JsonObject | undefined,
  outputConfigRest: JsonObject | undefined,
): { thinking?: JsonObject; output_config?: JsonObject } {
  const out: { thinking?: JsonObject; output_config?: JsonObject } = {};
  if (reasoning?.budgetTokens !== undefined) out.thinking = { type: "enabled", ...thinkingRest, budget_tokens: reasoning.budgetTokens };
  else if (reasoning?.disabled) out.thinking = { type: "disabled", ...thinkingRest };
  else if (thinkingRest) out.thinking = thinkingRest;

  let config: JsonObject | undefined = outputConfigRest ? { ...outputConfigRest } : undefined;
  if (config) delete config.effort;
  if (reasoning?.effort !== undefined) {
    const effort = reasoning.effort === "xhigh" && outputConfigRest?.effort === "max" ? "max" : toAnthropicEffort(reasoning.effort, true);
    if (effort !== undefined) (config ??= {}).effort = effort;
  } else if (outputConfigRest && "effort" in outputConfigRest && outputConfigRest.effort !== "max") (config ??= {}).effort = outputConfigRest.effort;
  if (responseFormat?.type === "json_schema") {
    const formatRest = isObject(outputConfigRest?.format) ? outputConfigRest.format : undefined;
    (config ??= {}).format = { ...formatRest, type: "json_schema", schema: responseFormat.schema };
  }
  if (config) out.output_config = config;
  return out;
}
