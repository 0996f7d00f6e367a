import assert from "node:assert/strict";
import { test } from "node:test";
import { toAnthropicStrictSchema } from "./anthropic-strict-schema.ts";

test("closes objects, recurses, and moves unsupported constraints into the description", () => {
  const schema = {
    $schema: "http://json-schema.org/draft-07/schema#",
    type: "object",
    properties: {
      name: { type: "string", minLength: 1, description: "Full name" },
      age: { type: "integer", minimum: 0 },
      email: { type: "string", format: "email" },
      tags: { type: "array", items: { type: "string", pattern: "^[a-z]+$" }, minItems: 1, maxItems: 5 },
      address: { type: ["object", "null"], properties: { city: { type: "string" } } },
      kind: { enum: ["a", "b"] },
      either: { oneOf: [{ type: "string" }, { type: "number" }] },
    },
    required: ["name"],
    additionalProperties: true,
  };
  const input = structuredClone(schema);
  assert.deepEqual(toAnthropicStrictSchema(schema), {
    type: "object",
    properties: {
      name: { type: "string", description: 'Full name\n\n{minLength: 1}' },
      age: { type: "integer", description: "{minimum: 0}" },
      email: { type: "string", format: "email" },
      tags: { type: "array", items: { type: "string", description: '{pattern: "^[a-z]+$"}' }, minItems: 1, description: "{maxItems: 5}" },
      address: { type: ["object", "null"], properties: { city: { type: "string" } }, additionalProperties: false },
      kind: { enum: ["a", "b"] },
      either: { anyOf: [{ type: "string" }, { type: "number" }] },
    },
    additionalProperties: false,
    required: ["name"],
  });
  assert.deepEqual(schema, input, "the client's schema is not modified");
});

test("keeps $ref and $defs, and never throws on a schema without a type", () => {
  assert.deepEqual(
    toAnthropicStrictSchema({ type: "object", properties: { n: { $ref: "#/$defs/N" } }, $defs: { N: { type: "object", properties: {} } } }),
    { $defs: { N: { type: "object", properties: {}, additionalProperties: false } }, type: "object", properties: { n: { $ref: "#/$defs/N" } }, additionalProperties: false },
  );
  assert.deepEqual(toAnthropicStrictSchema({}), {});
});
