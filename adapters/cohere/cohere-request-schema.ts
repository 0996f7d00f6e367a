import { z } from "zod";

/**
 * A loose check of a Cohere `/v2/chat` body (https://docs.cohere.com/reference/chat): the types
 * of the fields the codec reads, nothing more. Unknown fields and unknown block types pass, to be
 * carried. Built once at module load.
 */
const content = z.union([z.string(), z.array(z.looseObject({ type: z.string() }))]);

const toolCall = z.looseObject({
  id: z.string(),
  type: z.string().optional(),
  function: z.looseObject({ name: z.string(), arguments: z.string().optional() }),
});

const message = z.discriminatedUnion("role", [
  z.looseObject({ role: z.literal("system"), content }),
  z.looseObject({ role: z.literal("user"), content }),
  z.looseObject({
    role: z.literal("assistant"),
    content: content.optional(),
    tool_plan: z.string().optional(),
    tool_calls: z.array(toolCall).optional(),
    citations: z.array(z.looseObject({})).optional(),
  }),
  z.looseObject({ role: z.literal("tool"), tool_call_id: z.string(), content }),
]);

const tool = z.looseObject({
  type: z.string(),
  function: z
    .looseObject({
      name: z.string(),
      description: z.string().optional(),
      parameters: z.record(z.string(), z.unknown()).optional(),
    })
    .optional(),
});

export const cohereRequestSchema = z.looseObject({
  model: z.string(),
  messages: z.array(message),
  stream: z.boolean().optional(),
  tools: z.array(tool).optional(),
  strict_tools: z.boolean().optional(),
  tool_choice: z.enum(["REQUIRED", "NONE"]).optional(),
  max_tokens: z.number().int().nonnegative().optional(),
  stop_sequences: z.array(z.string()).optional(),
  temperature: z.number().optional(),
  seed: z.number().int().optional(),
  frequency_penalty: z.number().optional(),
  presence_penalty: z.number().optional(),
  k: z.number().optional(),
  p: z.number().optional(),
  response_format: z
    .looseObject({ type: z.enum(["text", "json_object"]), json_schema: z.record(z.string(), z.unknown()).optional() })
    .optional(),
  thinking: z.looseObject({ type: z.enum(["enabled", "disabled"]), token_budget: z.number().int().positive().optional() }).optional(),
});

export type CohereRequestBody = z.output<typeof cohereRequestSchema>;
