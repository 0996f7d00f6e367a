import assert from "node:assert/strict";
import { test } from "node:test";
import { decodeCohereCitation, encodeCohereCitation } from "./convert-cohere-citations.ts";

const documentCitation = {
  start: 13,
  end: 31,
  text: "fourteen kilograms",
  sources: [{ type: "document", id: "doc:0", document: { id: "doc:0", title: "otters.txt", url: "https://example.org/otters", text: "Adult sea otters weigh fourteen kilograms." } }],
  type: "TEXT_CONTENT",
};

test("a document citation keeps offsets, title and URL, and the whole native value", () => {
  const c = decodeCohereCitation(documentCitation as never);
  assert.equal(c.type, "document");
  assert.equal(c.startIndex, 13);
  assert.equal(c.endIndex, 31);
  assert.equal(c.title, "otters.txt");
  assert.equal(c.url, "https://example.org/otters");
  assert.deepEqual(encodeCohereCitation(c, undefined, undefined), documentCitation);
});

test("a tool-output citation is `other`", () => {
  const native = { start: 0, end: 4, text: "22°C", sources: [{ type: "tool", id: "get_weather_x1:0", tool_output: { temperature: "22°C" } }], type: "TEXT_CONTENT" };
  const c = decodeCohereCitation(native as never);
  assert.equal(c.type, "other");
  assert.equal(c.title, undefined);
  assert.deepEqual(encodeCohereCitation(c, undefined, undefined), native);
});

test("another format's citation becomes a Cohere document source with the cited snippet", () => {
  const text = "Sea otters weigh about 14 kg.";
  const out = encodeCohereCitation({ type: "url", url: "https://example.org/otters", title: "Otters", startIndex: 23, endIndex: 28 }, text, 0);
  assert.deepEqual(out, {
    start: 23,
    end: 28,
    text: "14 kg",
    sources: [{ type: "document", id: "https://example.org/otters", document: { title: "Otters", url: "https://example.org/otters" } }],
    type: "TEXT_CONTENT",
    content_index: 0,
  });
});
