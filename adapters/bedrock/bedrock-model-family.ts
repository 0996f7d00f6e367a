/**
 * What a Bedrock model id says about the model behind it. Converse is uniform, but a few things
 * travel in `additionalModelRequestFields`, whose keys each model family names its own way
 * (Claude's `thinking` and `top_k`, Nova's `reasoningConfig`, OpenAI's `reasoning_effort`).
 * Model ids come bare (`anthropic.claude-…`), with a cross-region prefix (`us.anthropic.…`) or as
 * ARNs; matching on the family word covers all three.
 */
export type BedrockModelFamily = "anthropic" | "nova" | "openai" | "other";

export function bedrockModelFamily(modelId: string): BedrockModelFamily {
  const id = modelId.toLowerCase();
  if (id.includes("anthropic.") || id.includes("claude")) return "anthropic";
  if (id.includes("amazon.nova") || id.includes(".nova-")) return "nova";
  if (id.includes("openai.")) return "openai";
  return "other";
}

/** Claude models before 3.7 have no extended thinking; asking for it is a validation error. */
const NO_THINKING = /claude-(instant|v2|3-(haiku|sonnet|opus)|3-5-)/;

export function supportsThinking(modelId: string): boolean {
  return bedrockModelFamily(modelId) === "anthropic" && !NO_THINKING.test(modelId.toLowerCase());
}
