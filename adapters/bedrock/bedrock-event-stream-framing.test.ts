import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ProxyError } from "../../src/canonical/error.ts";
import { EventStreamDecoder, encodeMessage } from "./aws-event-stream.ts";
import { awsEventStreamFraming, messageToNativeEvent, nativeEventToMessage } from "./bedrock-event-stream-framing.ts";

describe("bedrock event stream framing", () => {
  it("writes events and exceptions with Bedrock's headers and reads them back", () => {
    const bytes = Buffer.concat([
      nativeEventToMessage({ event: "contentBlockDelta", data: { contentBlockIndex: 0, delta: { text: "hi" } } }),
      nativeEventToMessage({ event: "throttlingException", data: { message: "slow" } }),
    ]);
    const [a, b] = new EventStreamDecoder().push(bytes);
    assert.deepEqual(a.headers, { ":event-type": "contentBlockDelta", ":content-type": "application/json", ":message-type": "event" });
    assert.deepEqual(b.headers, { ":exception-type": "throttlingException", ":content-type": "application/json", ":message-type": "exception" });
    const frames = awsEventStreamFraming.reader().push(bytes);
    assert.deepEqual(frames.map((f) => f.event), [
      { event: "contentBlockDelta", data: { contentBlockIndex: 0, delta: { text: "hi" } } },
      { event: "throttlingException", data: { message: "slow" } },
    ]);
    // Raw bytes per frame, for forwarding unchanged.
    assert.deepEqual(Buffer.from(frames[0].raw as Uint8Array), bytes.subarray(0, a.raw.length));
    assert.equal(awsEventStreamFraming.contentType, "application/vnd.amazon.eventstream");
  });

  it("turns protocol error messages into an error event", () => {
    const [m] = new EventStreamDecoder().push(encodeMessage({ ":message-type": "error", ":error-code": "InternalFailure", ":error-message": "oops" }, ""));
    assert.deepEqual(messageToNativeEvent(m), { event: "error", data: { code: "InternalFailure", message: "oops" } });
  });

  it("refuses payloads that are not JSON and messages without a type", () => {
    const reader = awsEventStreamFraming.reader();
    assert.throws(() => reader.push(encodeMessage({ ":message-type": "event", ":event-type": "x" }, "not json")), (e: unknown) => e instanceof ProxyError && e.error.status === 502);
    assert.throws(() => awsEventStreamFraming.reader().push(encodeMessage({ ":message-type": "event" }, "{}")), /without an event type/);
  });

  it("reports a truncated stream at the end", () => {
    const reader = awsEventStreamFraming.reader();
    reader.push(nativeEventToMessage({ event: "messageStart", data: { role: "assistant" } }).subarray(0, 10));
    assert.equal(awsEventStreamFraming.writer().write, nativeEventToMessage);
    assert.throws(() => reader.end(), /ended inside a message/);
  });
});
