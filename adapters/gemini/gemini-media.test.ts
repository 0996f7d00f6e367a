import { test } from "node:test";
import assert from "node:assert/strict";
import { audioFormat, guessMimeType, parseDataUrl } from "./gemini-media.ts";

test("data URLs become base64 and a media type", () => {
  assert.deepEqual(parseDataUrl("data:image/png;base64,iVBORw0KGgo="), { mediaType: "image/png", data: "iVBORw0KGgo=" });
  assert.deepEqual(parseDataUrl("data:application/pdf;name=a.pdf;base64,JVBERi0="), { mediaType: "application/pdf", data: "JVBERi0=" });
  assert.equal(parseDataUrl("data:text/plain,hello"), undefined);
  assert.equal(parseDataUrl("https://example.com/a.png"), undefined);
});

test("MIME types are guessed from the URL path", () => {
  assert.equal(guessMimeType("https://example.com/cat.JPG?x=1"), "image/jpeg");
  assert.equal(guessMimeType("gs://bucket/doc.pdf"), "application/pdf");
  assert.equal(guessMimeType("https://youtu.be/abc"), "video/*");
  assert.equal(guessMimeType("https://example.com/v1.2/image"), undefined);
  assert.equal(audioFormat("audio/mp3"), "mp3");
});
