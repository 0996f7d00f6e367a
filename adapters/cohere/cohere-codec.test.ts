import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { test } from "node:test";
import { fixturePath, listFixtures, readFixtureChunks, readFixtureJson } from "../../test/helpers/fixtures.ts";
import { cohereCodec } from "./cohere-codec.ts";
import { textResponse, textStream } from "./cohere-test-payloads.ts";

const context = { request: { model: "command-a-03-2025", messages: [], stream: false }, model: "command-a-03-2025" };

/**
 * Recorded Cohere payloads, when the shared fixtures have them (the Vercel AI SDK records Cohere
 * too, in `packages/cohere/src/__fixtures__`): every file decoded and re-encoded unchanged, chunk
 * files frame by frame.
 */
const recorded = existsSync(fixturePath("cohere"));

test("recorded Cohere responses round trip", { skip: !recorded && "no /work/shared/fixtures/cohere yet" }, () => {
  for (const file of listFixtures("cohere", ".json")) {
    const body = readFixtureJson("cohere", file);
    if (!("message" in body)) continue; // embeddings and other endpoints
    assert.deepEqual(cohereCodec.encodeResponse(cohereCodec.decodeResponse(body), context), body, file);
  }
});

test("recorded Cohere streams round trip frame by frame and end properly", { skip: !recorded && "no /work/shared/fixtures/cohere yet" }, () => {
  for (const file of listFixtures("cohere", ".chunks.txt")) {
    const decoder = cohereCodec.streamDecoder();
    const encoder = cohereCodec.streamEncoder(context);
    for (const data of readFixtureChunks("cohere", file)) {
      const frame = { event: data.type as string, data };
      assert.deepEqual(encoder.encode(decoder.decode(frame)), [frame], `${file}: ${String(data.type)}`);
    }
    assert.equal(decoder.end(), undefined, `${file} ends with message-end`);
  }
});

test("the codec is Cohere's and wires every conversion", () => {
  assert.equal(cohereCodec.format, "cohere");
  assert.deepEqual(cohereCodec.encodeResponse(cohereCodec.decodeResponse(textResponse), context), textResponse);
  const decoder = cohereCodec.streamDecoder();
  const encoder = cohereCodec.streamEncoder(context);
  for (const data of textStream) assert.deepEqual(encoder.encode(decoder.decode({ event: data.type as string, data })), [{ event: data.type, data }]);
  assert.equal(cohereCodec.decodeError(401, { message: "invalid api token" }).kind, "authentication");
  assert.deepEqual(cohereCodec.encodeError({ status: 500, kind: "internal", message: "boom" }), { message: "boom" });
});
