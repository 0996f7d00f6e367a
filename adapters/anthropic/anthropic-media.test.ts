import assert from "node:assert/strict";
import { test } from "node:test";
import { decodeMediaSource, parseDataUrl } from "./anthropic-media.ts";

test("data: URLs are split into media type and base64 data", () => {
  assert.deepEqual(parseDataUrl("data:image/png;base64,iVBORw0KGgo="), { mediaType: "image/png", data: "iVBORw0KGgo=" });
  assert.deepEqual(parseDataUrl("data:application/pdf;name=a.pdf;base64,JVBERi0="), { mediaType: "application/pdf", data: "JVBERi0=" });
  assert.deepEqual(parseDataUrl("data:text/plain,hello%20world"), { mediaType: "text/plain", data: Buffer.from("hello world").toString("base64") });
  assert.equal(parseDataUrl("https://x.test/a.png"), undefined);
  assert.equal(parseDataUrl("data:broken"), undefined);
});

test("Anthropic sources to canonical sources", () => {
  assert.deepEqual(decodeMediaSource({ type: "base64", media_type: "image/webp", data: "UklG" }), { kind: "base64", data: "UklG", mediaType: "image/webp" });
  assert.deepEqual(decodeMediaSource({ type: "url", url: "https://x.test/a.pdf" }), { kind: "url", url: "https://x.test/a.pdf" });
  assert.deepEqual(decodeMediaSource({ type: "file", file_id: "file_1" }), { kind: "file-id", fileId: "file_1" });
  assert.deepEqual(decodeMediaSource({ type: "text", media_type: "text/plain", data: "é" }), { kind: "base64", data: Buffer.from("é").toString("base64"), mediaType: "text/plain" });
  assert.equal(decodeMediaSource({ type: "content", content: [] }), undefined);
  assert.equal(decodeMediaSource("nope"), undefined);
});
