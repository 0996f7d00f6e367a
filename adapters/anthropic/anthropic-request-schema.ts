import { z } from "zod";

/**
 * The loose shape of a Messages request: what the decoder relies on, nothing more. Unknown fields
 * pass (Claude Code sends many, and rejecting one makes it retry without betas); blocks are
 * checked one by one by the decoder, which names the bad one. Known optional fields may be `null`
 * (kept verbatim for the upstream to judge).
 */
const content = z.union([z.string(), z.array(z.unknown())]);

export const anthropicRequestSchema = z.looseObject({
  model: z.string().min(1),
  messages: z.array(
    z.looseObject({
      role: z.enum(["user", "assistant", "system"]),
      content,
    }),
  ),
  max_tokens: z.number().int().nonnegative().nullish(),
  system: content.nullish(),
  tools: z.array(z.looseObject({})).nullish(),
  tool_choice: z.looseObject({ type: z.string() }).nullish(),
  thinking: z.looseObject({ type: z.string() }).nullish(),
  temperature: z.number().nullish(),
  top_p: z.number().nullish(),
  top_k: z.number().nullish(),
  stop_sequences: z.array(z.string()).nullish(),
  metadata: z.looseObject({}).nullish(),
  stream: z.boolean().nullish(),
  output_config: z.looseObject({}).nullish(),
});
