import assert from "node:assert/strict";
import { test } from "node:test";
import { decodeMediaSource } from "./anthropic-media.ts";

test("Anthropic sources to canonical sources", () => {
  assert.deepEqual(decodeMediaSource({ type: "base64", media_type: "image/webp", data: "UklG" }), { kind: "base64", data: "UklG", mediaType: "image/webp" });
  assert.deepEqual(decodeMediaSource({ type: "url", url: "https://x.test/a.pdf" }), { kind: "url", url: "https://x.test/a.pdf" });
  assert.deepEqual(decodeMediaSource({ type: "file", file_id: "file_1" }), { kind: "file-id", fileId: "file_1" });
  assert.deepEqual(decodeMediaSource({ type: "text", media_type: "text/plain", data: "é" }), { kind: "base64", data: Buffer.from("é").toString("base64"), mediaType: "text/plain" });
  assert.equal(decodeMediaSource({ type: "content", content: [] }), undefined);
  assert.equal(decodeMediaSource("nope"), undefined);
});
