import { test } from "node:test";
import assert from "node:assert/strict";
import { dataUrl, parseBase64DataUrl, parseDataUrl } from "./data-url.ts";

test("parseDataUrl: base64 or percent-encoded data URLs become base64 with their media type", () => {
  assert.deepEqual(parseDataUrl("data:image/png;base64,iVBORw0KGgo="), { mediaType: "image/png", data: "iVBORw0KGgo=" });
  assert.deepEqual(parseDataUrl("data:application/pdf;name=a.pdf;base64,JVBERi0="), { mediaType: "application/pdf", data: "JVBERi0=" });
  assert.deepEqual(parseDataUrl("data:text/plain,hello%20world"), { mediaType: "text/plain", data: Buffer.from("hello world").toString("base64") });
  assert.deepEqual(parseDataUrl("data:,x"), { mediaType: "text/plain", data: Buffer.from("x").toString("base64") });
  assert.equal(parseDataUrl("data:text/plain,%E0%A4%A"), undefined, "broken percent-encoding");
  assert.equal(parseDataUrl("https://x.test/a.png"), undefined);
  assert.equal(parseDataUrl("data:broken"), undefined);
  assert.equal(parseDataUrl("data:image/png;base64"), undefined);
});

test("parseBase64DataUrl: only the form dataUrl rebuilds byte for byte", () => {
  const url = "data:image/png;base64,iVBORw0KGgo=";
  const parsed = parseBase64DataUrl(url);
  assert.deepEqual(parsed, { mediaType: "image/png", data: "iVBORw0KGgo=" });
  assert.equal(dataUrl(parsed!.mediaType, parsed!.data), url);
  assert.equal(parseBase64DataUrl("https://example.com/cat.png"), undefined);
  assert.equal(parseBase64DataUrl("data:text/plain,hello"), undefined, "not base64");
  assert.equal(parseBase64DataUrl("data:image/png;name=a.png;base64,AAAA"), undefined, "extra parameters would not rebuild");
  assert.equal(parseBase64DataUrl("data:;base64,AAAA"), undefined);
});
