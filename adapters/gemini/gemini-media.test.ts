import { test } from "node:test";
import assert from "node:assert/strict";
import { audioFormat, guessMimeType } from "./gemini-media.ts";

test("MIME types are guessed from the URL path", () => {
  assert.equal(guessMimeType("https://example.com/cat.JPG?x=1"), "image/jpeg");
  assert.equal(guessMimeType("gs://bucket/doc.pdf"), "application/pdf");
  assert.equal(guessMimeType("https://youtu.be/abc"), "video/*");
  assert.equal(guessMimeType("https://example.com/v1.2/image"), undefined);
  assert.equal(audioFormat("audio/mp3"), "mp3");
});
