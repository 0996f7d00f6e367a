import { test } from "node:test";
import assert from "node:assert/strict";
import { parseJsonPath, PartialArgsAssembler } from "./assemble-gemini-partial-args.ts";

test("JSON paths parse to keys and indexes", () => {
  assert.deepEqual(parseJsonPath("$.recipe.ingredients[0].amount"), ["recipe", "ingredients", 0, "amount"]);
  assert.deepEqual(parseJsonPath("$['a b'][2]"), ["a b", 2]);
  assert.equal(parseJsonPath("recipe"), undefined);
  assert.equal(parseJsonPath("$.a[x]"), undefined);
});

test("pieces in document order stream as JSON text that ends as the arguments' JSON", () => {
  const a = new PartialArgsAssembler();
  const deltas = [
    a.push({ jsonPath: "$.recipe.items[0].name", stringValue: "Egg \"large\"", willContinue: true }),
    a.push({ jsonPath: "$.recipe.items[0].name", stringValue: "" }),
    a.push({ jsonPath: "$.recipe.items[0].qty", numberValue: 2 }),
    a.push({ jsonPath: "$.recipe.items[1].name", stringValue: "Salt" }),
    a.push({ jsonPath: "$.recipe.items[1].optional", boolValue: true }),
    a.push({ jsonPath: "$.recipe.note", nullValue: "NULL_VALUE" }),
    a.push({ jsonPath: "$.recipe.steps[0]", stringValue: "Mix 375°F", willContinue: true }),
    a.push({ jsonPath: "$.recipe.steps[0]", stringValue: " well." }),
    a.finish(),
  ];
  const expected = { recipe: { items: [{ name: 'Egg "large"', qty: 2 }, { name: "Salt", optional: true }], note: null, steps: ["Mix 375°F well."] } };
  assert.equal(deltas.join(""), JSON.stringify(expected));
  assert.equal(a.arguments(), JSON.stringify(expected));
  assert.ok(deltas.filter((d) => d !== "").length > 5, "the text grows piece by piece");
});

test("a path that steps back stops the deltas and still yields the right arguments", () => {
  const a = new PartialArgsAssembler();
  const deltas = [
    a.push({ jsonPath: "$.a.x", stringValue: "1" }),
    a.push({ jsonPath: "$.b", stringValue: "2" }),
    a.push({ jsonPath: "$.a.y", stringValue: "3" }),
    a.finish(),
  ];
  assert.deepEqual(deltas, ['{"a":{"x":"1"', '},"b":"2"', "", ""]);
  assert.deepEqual(JSON.parse(a.arguments()), { a: { x: "1", y: "3" }, b: "2" });
});

test("no partial arguments means no arguments", () => {
  const a = new PartialArgsAssembler();
  assert.equal(a.finish(), "");
  assert.equal(a.arguments(), "");
});
