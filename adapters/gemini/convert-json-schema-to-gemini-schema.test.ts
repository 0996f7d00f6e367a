import { test } from "node:test";
import assert from "node:assert/strict";
import { convertJsonSchemaToGeminiSchema, declaresNoParameters, forJsonSchemaField } from "./convert-json-schema-to-gemini-schema.ts";

test("an OpenAI strict schema loses what Gemini rejects and keeps its meaning", () => {
  const schema = {
    $schema: "http://json-schema.org/draft-07/schema#",
    type: "object",
    additionalProperties: false,
    properties: {
      city: { type: "string", description: "City name", minLength: 1 },
      unit: { type: ["string", "null"], enum: ["c", "f", null] },
      when: { type: "string", format: "date-time" },
      email: { type: "string", format: "email" },
      days: { type: "integer", minimum: 1, maximum: 7, exclusiveMaximum: 8 },
      tags: { type: "array", items: { type: "string" }, uniqueItems: true },
      kind: { const: "forecast" },
    },
    required: ["city", "unit", "ghost"],
  };
  assert.deepEqual(convertJsonSchemaToGeminiSchema(schema), {
    type: "object",
    properties: {
      city: { type: "string", description: "City name", minLength: 1 },
      unit: { type: "string", enum: ["c", "f"], nullable: true },
      when: { type: "string", format: "date-time" },
      email: { type: "string" },
      days: { type: "integer", minimum: 1, maximum: 7 },
      tags: { type: "array", items: { type: "string" } },
      kind: { type: "string", enum: ["forecast"] },
    },
    required: ["city", "unit"],
  });
});

test("$refs are inlined, anyOf kept, a null variant becomes nullable", () => {
  const schema = {
    type: "object",
    $defs: { point: { type: "object", properties: { x: { type: "number" }, y: { type: "number" } }, required: ["x", "y"] } },
    properties: {
      from: { $ref: "#/$defs/point", description: "start" },
      to: { anyOf: [{ $ref: "#/$defs/point" }, { type: "null" }] },
      value: { oneOf: [{ type: "string" }, { type: "integer" }] },
      both: { type: ["string", "number"] },
      merged: { allOf: [{ $ref: "#/$defs/point" }, { properties: { z: { type: "number" } } }] },
    },
  };
  const point = { type: "object", properties: { x: { type: "number" }, y: { type: "number" } }, required: ["x", "y"] };
  assert.deepEqual(convertJsonSchemaToGeminiSchema(schema), {
    type: "object",
    properties: {
      from: { ...point, description: "start" },
      to: { ...point, nullable: true },
      value: { anyOf: [{ type: "string" }, { type: "integer" }] },
      both: { anyOf: [{ type: "string" }, { type: "number" }] },
      merged: { type: "object", properties: { x: { type: "number" }, y: { type: "number" }, z: { type: "number" } }, required: ["x", "y"] },
    },
  });
});

test("numeric enums are written as strings with format enum; response schemas keep their key order", () => {
  assert.deepEqual(convertJsonSchemaToGeminiSchema({ type: "object", properties: { b: { type: "integer", enum: [1, 2] }, a: { type: "boolean" } } }, { propertyOrdering: true }), {
    type: "object",
    properties: { b: { type: "integer", enum: ["1", "2"], format: "enum" }, a: { type: "boolean" } },
    propertyOrdering: ["b", "a"],
  });
});

test("what the subset cannot express falls back to the JSON Schema field", () => {
  const recursive = { type: "object", properties: { child: { $ref: "#" } } };
  assert.equal(convertJsonSchemaToGeminiSchema(recursive), undefined);
  assert.equal(convertJsonSchemaToGeminiSchema({ type: "object", properties: { meta: { type: "object", additionalProperties: true } } }), undefined);
  assert.equal(convertJsonSchemaToGeminiSchema({ type: "object", properties: { "user-id": { type: "string" } } }), undefined);
  assert.equal(convertJsonSchemaToGeminiSchema({ type: "object", properties: { any: {} } }), undefined);
  assert.deepEqual(forJsonSchemaField({ $schema: "x", type: "object", properties: {} }), { type: "object", properties: {} });
});

test("no-arg tools are recognised in both spellings", () => {
  assert.equal(declaresNoParameters(undefined), true);
  assert.equal(declaresNoParameters({ type: "object", properties: {} }), true);
  assert.equal(declaresNoParameters({ type: "object", additionalProperties: false }), true);
  assert.equal(declaresNoParameters({ type: "object", properties: { a: { type: "string" } } }), false);
  assert.equal(declaresNoParameters({ type: "object", additionalProperties: true }), false);
});
