import assert from "node:assert/strict";
import { test } from "node:test";
import { cohereExtras, nativeRest, spreadNative } from "./cohere-extras.ts";

test("native fields round trip, markers never reach the wire", () => {
  const rest = nativeRest({ role: "user", content: "x", cache: 1 }, new Set(["role", "content"]));
  assert.deepEqual(rest, { cache: 1 });
  assert.equal(nativeRest({ role: "user" }, new Set(["role"])), undefined);
  const extras = cohereExtras(rest, { $blocks: true });
  assert.deepEqual(extras, { cohere: { cache: 1, $blocks: true } });
  assert.deepEqual(spreadNative({ role: "user" }, extras!.cohere!), { role: "user", cache: 1 });
  assert.equal(cohereExtras(undefined), undefined);
});
