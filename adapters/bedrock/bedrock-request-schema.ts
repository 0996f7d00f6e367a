import { z } from "zod";

/**
 * A loose check of a Converse request body: the structure the decoder walks (arrays where it
 * iterates, objects where it reads fields, strings where it copies text). Unknown fields pass;
 * the values Bedrock itself validates (formats, ranges, names) are left to Bedrock.
 */
const block = z.looseObject({});
const text = z.string();

const message = z.looseObject({
  role: z.enum(["user", "assistant"]),
  content: z.array(
    z.looseObject({
      text: text.optional(),
      toolUse: z.looseObject({ toolUseId: z.string(), name: z.string() }).optional(),
      toolResult: z.looseObject({ toolUseId: z.string(), content: z.array(block).optional() }).optional(),
    }),
  ),
});

export const bedrockRequestSchema = z.looseObject({
  messages: z.array(message).optional(),
  system: z.array(z.looseObject({ text: text.optional() })).optional(),
  inferenceConfig: z
    .looseObject({
      maxTokens: z.number().int().optional(),
      temperature: z.number().optional(),
      topP: z.number().optional(),
      stopSequences: z.array(z.string()).optional(),
    })
    .optional(),
  toolConfig: z
    .looseObject({
      tools: z.array(block),
      toolChoice: block.optional(),
    })
    .optional(),
  additionalModelRequestFields: z.looseObject({}).optional(),
  requestMetadata: z.record(z.string(), z.string()).optional(),
  outputConfig: z.looseObject({}).optional(),
});
