import assert from "node:assert/strict";
import { test } from "node:test";
import { cohereExtras, dataUrl, nativeRest, parseDataUrl, spreadNative } from "./cohere-extras.ts";

test("native fields round trip, markers never reach the wire", () => {
  const rest = nativeRest({ role: "user", content: "x", cache: 1 }, new Set(["role", "content"]));
  assert.deepEqual(rest, { cache: 1 });
  assert.equal(nativeRest({ role: "user" }, new Set(["role"])), undefined);
  const extras = cohereExtras(rest, { $blocks: true });
  assert.deepEqual(extras, { cohere: { cache: 1, $blocks: true } });
  assert.deepEqual(spreadNative({ role: "user" }, extras!.cohere!), { role: "user", cache: 1 });
  assert.equal(cohereExtras(undefined), undefined);
});

test("data URLs split into media type and base64, and rebuild identically", () => {
  const url = "data:image/png;base64,iVBORw0KGgo=";
  const parsed = parseDataUrl(url);
  assert.deepEqual(parsed, { mediaType: "image/png", data: "iVBORw0KGgo=" });
  assert.equal(dataUrl(parsed!.mediaType, parsed!.data), url);
  assert.equal(parseDataUrl("https://example.com/cat.png"), undefined);
  assert.equal(parseDataUrl("data:text/plain,hello"), undefined, "not base64");
  assert.equal(parseDataUrl("data:image/png;name=a.png;base64,AAAA"), undefined, "extra parameters would not rebuild");
  assert.equal(parseDataUrl("data:;base64,AAAA"), undefined);
});
