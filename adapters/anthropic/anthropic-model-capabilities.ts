/**
 * What a Claude model accepts, for requests translated from another format (a native Anthropic
 * request is forwarded as the client wrote it). Matched on substrings, most specific first, so
 * dated ids (`claude-sonnet-4-5-20250929`), Vertex ids (`claude-opus-4-6@20260101`) and Bedrock ids
 * (`us.anthropic.claude-…-v1:0`) resolve to their family.
 */
export interface AnthropicModelCapabilities {
  /** The most output tokens the model produces in one response. */
  maxOutputTokens: number;
  /**
   * Thinking forms the model accepts: `none`; `budget` (`enabled` + `budget_tokens` only);
   * `both` (`adaptive` with `output_config.effort`, or a budget); `adaptive` (a budget is rejected).
   */
  thinking: "none" | "budget" | "both" | "adaptive";
  /** `output_config.format` (JSON schema outputs) and `strict` tools. */
  structuredOutput: boolean;
  /** `temperature`, `top_p` and `top_k` are rejected (Opus 4.7 and later). */
  rejectsSampling: boolean;
  /** `output_config.effort: "xhigh"` exists; older adaptive models top out at `max`. */
  xhighEffort: boolean;
  /** `thinking: {type: "disabled"}` is rejected: the model always thinks adaptively. */
  rejectsThinkingDisabled: boolean;
  /** `tool_choice` `any` / `tool` is rejected. */
  rejectsForcedToolUse: boolean;
  known: boolean;
}

type Row = [patterns: string[], caps: AnthropicModelCapabilities];

const caps = (
  maxOutputTokens: number,
  thinking: AnthropicModelCapabilities["thinking"],
  structuredOutput: boolean,
  flags: Partial<Pick<AnthropicModelCapabilities, "rejectsSampling" | "xhighEffort" | "rejectsThinkingDisabled" | "rejectsForcedToolUse">> = {},
  known = true,
): AnthropicModelCapabilities => ({
  maxOutputTokens,
  thinking,
  structuredOutput,
  rejectsSampling: flags.rejectsSampling ?? false,
  xhighEffort: flags.xhighEffort ?? false,
  rejectsThinkingDisabled: flags.rejectsThinkingDisabled ?? false,
  rejectsForcedToolUse: flags.rejectsForcedToolUse ?? false,
  known,
});

const ALWAYS_ADAPTIVE = { rejectsSampling: true, xhighEffort: true, rejectsThinkingDisabled: true } as const;
const ADAPTIVE_GENERATION = { rejectsSampling: true, xhighEffort: true } as const;

const ROWS: Row[] = [
  [["claude-sonnet-5-5", "claude-opus-5-5", "claude-haiku-5-5", "claude-fable-5-1", "claude-fable-5-2", "claude-mythos-5-1", "claude-mythos-5-2"], caps(128_000, "adaptive", true, { ...ALWAYS_ADAPTIVE, rejectsForcedToolUse: true })],
  [["claude-fable-5", "claude-mythos-5"], caps(128_000, "adaptive", true, ALWAYS_ADAPTIVE)],
  [["claude-opus-5", "claude-sonnet-5", "claude-opus-4-8", "claude-opus-4-7", "claude-mythos-preview"], caps(128_000, "adaptive", true, ADAPTIVE_GENERATION)],
  [["claude-opus-4-6", "claude-sonnet-4-6"], caps(128_000, "both", true)],
  [["claude-sonnet-4-5", "claude-opus-4-5", "claude-haiku-4-5"], caps(64_000, "budget", true)],
  [["claude-opus-4-1"], caps(32_000, "budget", true)],
  [["claude-sonnet-4-", "claude-sonnet-4@", "claude-3-7-sonnet"], caps(64_000, "budget", false)],
  [["claude-opus-4-", "claude-opus-4@"], caps(32_000, "budget", false)],
  [["claude-3-5-sonnet", "claude-3-5-haiku"], caps(8_192, "none", false)],
  [["claude-3-", "claude-2", "claude-instant"], caps(4_096, "none", false)],
];

/** An unknown Claude id is a model newer than this table: assume the current generation. */
const UNKNOWN_CLAUDE = caps(128_000, "adaptive", true, ADAPTIVE_GENERATION, false);
/** Anthropic-compatible servers (other vendors' models): nothing beyond the basics. */
const UNKNOWN_OTHER = caps(8_192, "none", false, {}, false);

const cache = new Map<string, AnthropicModelCapabilities>();

export function anthropicModelCapabilities(model: string): AnthropicModelCapabilities {
  let found = cache.get(model);
  if (found) return found;
  const id = model.toLowerCase();
  found = ROWS.find(([patterns]) => patterns.some((p) => id.includes(p)))?.[1] ?? (id.includes("claude") ? UNKNOWN_CLAUDE : UNKNOWN_OTHER);
  if (cache.size < 1000) cache.set(model, found);
  return found;
}

/**
 * `max_tokens` when the client set no limit (Anthropic requires one). The model's own maximum,
 * capped at 32,000 (Claude Code's default): an OpenAI client that sets no limit expects the answer
 * not to be cut short, while a huge reservation slows non-streaming calls and counts against the
 * output-tokens-per-minute limit as the request starts.
 */
export const DEFAULT_MAX_TOKENS_CAP = 32_000;

export function defaultMaxTokens(model: string): number {
  return Math.min(anthropicModelCapabilities(model).maxOutputTokens, DEFAULT_MAX_TOKENS_CAP);
}
