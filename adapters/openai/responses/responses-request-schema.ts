import { z } from "zod";

/**
 * A loose check of a Responses request: only the fields the canonical view reads are checked,
 * unknown fields pass (the router carries them), and an error names the field at fault.
 * Built once; the body itself is used afterwards, not zod's copy.
 */
const str = (v: unknown): v is string => typeof v === "string";
const isTyped = (v: unknown): boolean => typeof v === "object" && v !== null && typeof (v as { type?: unknown }).type === "string";
const outputValue = (v: unknown): boolean => typeof v === "string" || Array.isArray(v);

/** Fields each item type needs, by name: [field, test, what it must be]. */
const ITEM_FIELDS: Record<string, Array<[string, (v: unknown) => boolean, string]>> = {
  message: [
    ["role", (v) => v === "user" || v === "assistant" || v === "system" || v === "developer", "one of user, assistant, system, developer"],
    ["content", (v) => typeof v === "string" || (Array.isArray(v) && v.every((p) => isTyped(p))), "a string or an array of content parts"],
  ],
  function_call: [
    ["call_id", str, "a string"],
    ["name", str, "a string"],
    ["arguments", str, "a string"],
  ],
  custom_tool_call: [
    ["call_id", str, "a string"],
    ["name", str, "a string"],
    ["input", str, "a string"],
  ],
  function_call_output: [
    ["call_id", str, "a string"],
    ["output", outputValue, "a string or an array of content parts"],
  ],
  custom_tool_call_output: [
    ["call_id", str, "a string"],
    ["output", outputValue, "a string or an array of content parts"],
  ],
};

const item = z
  .looseObject({
    type: z.string().optional(),
    role: z.string().optional(),
  })
  .superRefine((value, ctx) => {
    const type = value.type ?? (value.role !== undefined ? "message" : undefined);
    if (type === undefined) {
      // An item_reference may omit its type; anything else without a type or role is meaningless.
      if (typeof value.id !== "string") ctx.addIssue({ code: "custom", message: "expected an item with a type, or a message with a role", path: ["type"] });
      return;
    }
    for (const [field, test, what] of ITEM_FIELDS[type] ?? []) {
      if (!test(value[field])) ctx.addIssue({ code: "custom", message: `expected ${what}`, path: [field] });
    }
  });

const items = z.array(item);

const tool = z.looseObject({ type: z.string({ error: "expected a tool type string" }) }).superRefine((value, ctx) => {
  if ((value.type === "function" || value.type === "custom" || value.type === "namespace") && typeof value.name !== "string") {
    ctx.addIssue({ code: "custom", message: "expected a string", path: ["name"] });
  }
  if (value.type === "namespace" && !Array.isArray(value.tools)) ctx.addIssue({ code: "custom", message: "expected an array of tools", path: ["tools"] });
});

const nullableNumber = z.number().nullable().optional();

export const responsesRequestSchema = z.looseObject({
  model: z.string({ error: "expected a model id string" }),
  // Not a z.union: a union reports "invalid input" for the whole list instead of the bad item.
  input: z.unknown().superRefine((value, ctx) => {
    if (value === undefined || typeof value === "string") return;
    if (!Array.isArray(value)) {
      ctx.addIssue({ code: "custom", message: "expected a string or an array of input items" });
      return;
    }
    const result = items.safeParse(value);
    if (!result.success) for (const issue of result.error.issues) ctx.addIssue({ code: "custom", message: issue.message, path: issue.path });
  })
    .optional(),
  instructions: z.string().nullable().optional(),
  tools: z.array(tool).nullable().optional(),
  tool_choice: z
    .union([z.enum(["auto", "none", "required"]), z.looseObject({ type: z.string() })], { error: "expected auto, none, required or a tool choice object" })
    .nullable()
    .optional(),
  parallel_tool_calls: z.boolean().nullable().optional(),
  max_output_tokens: z.number().int().nonnegative().nullable().optional(),
  temperature: nullableNumber,
  top_p: nullableNumber,
  reasoning: z.looseObject({ effort: z.string().nullable().optional(), summary: z.string().nullable().optional() }).nullable().optional(),
  text: z.looseObject({ format: z.looseObject({ type: z.string() }).optional(), verbosity: z.string().nullable().optional() }).nullable().optional(),
  stream: z.boolean().nullable().optional(),
  user: z.string().optional(),
  safety_identifier: z.string().nullable().optional(),
  metadata: z.record(z.string(), z.string()).nullable().optional(),
  include: z.array(z.string()).nullable().optional(),
  store: z.boolean().nullable().optional(),
});
