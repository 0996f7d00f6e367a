import assert from "node:assert/strict";
import { test } from "node:test";
import { cohereCodec } from "./cohere-codec.ts";
import { textResponse, textStream } from "./cohere-test-payloads.ts";

const context = { request: { model: "command-a-03-2025", messages: [], stream: false }, model: "command-a-03-2025" };

test("the codec is Cohere's and wires every conversion", () => {
  assert.equal(cohereCodec.format, "cohere");
  assert.deepEqual(cohereCodec.encodeResponse(cohereCodec.decodeResponse(textResponse), context), textResponse);
  const decoder = cohereCodec.streamDecoder();
  const encoder = cohereCodec.streamEncoder(context);
  for (const data of textStream) assert.deepEqual(encoder.encode(decoder.decode({ event: data.type as string, data })), [{ event: data.type, data }]);
  assert.equal(cohereCodec.decodeError(401, { message: "invalid api token" }).kind, "authentication");
  assert.deepEqual(cohereCodec.encodeError({ status: 500, kind: "internal", message: "boom" }), { message: "boom" });
});
