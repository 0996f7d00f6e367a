import { z } from "zod";

/**
 * A loose schema of a Chat Completions request: the types of the fields this codec reads are
 * checked (so a 400 names the field, `messages[2].content`), every other field passes untouched.
 * Content parts are checked where they are decoded, with the same kind of path.
 */
const part = z.looseObject({ type: z.string() });
const text = z.union([z.string(), z.array(part)]);
const int = z.number().int().nullish();
const num = z.number().nullish();

const toolCall = z.looseObject({
  id: z.string(),
  type: z.string().optional(),
  function: z.looseObject({ name: z.string(), arguments: z.string() }).optional(),
});

const message = z.discriminatedUnion("role", [
  z.looseObject({ role: z.literal("system"), content: text, name: z.string().optional() }),
  z.looseObject({ role: z.literal("developer"), content: text, name: z.string().optional() }),
  z.looseObject({ role: z.literal("user"), content: text, name: z.string().optional() }),
  z.looseObject({
    role: z.literal("assistant"),
    content: text.nullish(),
    refusal: z.string().nullish(),
    tool_calls: z.array(toolCall).nullish(),
    name: z.string().optional(),
  }),
  z.looseObject({ role: z.literal("tool"), tool_call_id: z.string(), content: text }),
  z.looseObject({ role: z.literal("function"), name: z.string(), content: z.string().nullable() }),
]);

export const chatRequestSchema = z.looseObject({
  model: z.string(),
  messages: z.array(message).min(1),
  tools: z.array(z.looseObject({ type: z.string() })).nullish(),
  tool_choice: z.union([z.string(), z.looseObject({ type: z.string() })]).nullish(),
  parallel_tool_calls: z.boolean().nullish(),
  max_tokens: int,
  max_completion_tokens: int,
  temperature: num,
  top_p: num,
  top_k: int,
  frequency_penalty: num,
  presence_penalty: num,
  seed: int,
  n: int,
  stop: z.union([z.string(), z.array(z.string())]).nullish(),
  reasoning_effort: z.string().nullish(),
  response_format: z.looseObject({ type: z.string() }).nullish(),
  stream: z.boolean().nullish(),
  stream_options: z.looseObject({ include_usage: z.boolean().optional() }).nullish(),
  user: z.string().nullish(),
  metadata: z.record(z.string(), z.string()).nullish(),
  logprobs: z.boolean().nullish(),
  top_logprobs: int,
});
