import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { EventStreamCodec } from "@smithy/core/event-streams";
import { ProxyError } from "../../src/canonical/error.ts";
import { EventStreamDecoder, encodeMessage } from "./aws-event-stream.ts";

// The AWS SDK's own codec is an independent implementation of the framing: what it writes we
// must read, and what we write it must read (its decoder verifies both CRCs too).
const toUtf8 = (b: Uint8Array) => Buffer.from(b).toString("utf8");
const fromUtf8 = (s: string) => new Uint8Array(Buffer.from(s, "utf8"));
const sdk = new EventStreamCodec(toUtf8, fromUtf8);

const eventHeaders = {
  ":event-type": "contentBlockDelta",
  ":content-type": "application/json",
  ":message-type": "event",
};
const payload = JSON.stringify({ contentBlockIndex: 0, delta: { text: "Héllo \"world\" ✓" }, p: "abcdefghijklmnopqrstuvwxyzABCDEF" });

describe("aws event stream", () => {
  it("writes bytes the SDK codec decodes, headers and payload intact", () => {
    const bytes = encodeMessage(eventHeaders, payload);
    const msg = sdk.decode(bytes);
    assert.equal(msg.headers[":event-type"].value, "contentBlockDelta");
    assert.equal(msg.headers[":message-type"].value, "event");
    assert.equal(toUtf8(msg.body), payload);
  });

  it("reads bytes the SDK codec encoded, every header type included", () => {
    const bytes = sdk.encode({
      headers: {
        ":message-type": { type: "string", value: "exception" },
        ":exception-type": { type: "string", value: "throttlingException" },
        yes: { type: "boolean", value: true },
        no: { type: "boolean", value: false },
        b: { type: "byte", value: -7 },
        s: { type: "short", value: 1234 },
        i: { type: "integer", value: -123456 },
        bin: { type: "binary", value: new Uint8Array([1, 2, 3]) },
        at: { type: "timestamp", value: new Date(1_700_000_000_123) },
        id: { type: "uuid", value: "123e4567-e89b-12d3-a456-426614174000" },
      },
      body: fromUtf8('{"message":"Too many requests"}'),
    });
    const [msg] = new EventStreamDecoder().push(bytes);
    assert.equal(msg.headers[":exception-type"], "throttlingException");
    assert.equal(msg.headers.yes, true);
    assert.equal(msg.headers.no, false);
    assert.equal(msg.headers.b, -7);
    assert.equal(msg.headers.s, 1234);
    assert.equal(msg.headers.i, -123456);
    assert.deepEqual([...(msg.headers.bin as Uint8Array)], [1, 2, 3]);
    assert.equal((msg.headers.at as Date).getTime(), 1_700_000_000_123);
    assert.equal(msg.headers.id, "123e4567-e89b-12d3-a456-426614174000");
    assert.equal(toUtf8(msg.payload), '{"message":"Too many requests"}');
    assert.deepEqual(new Uint8Array(msg.raw), bytes);
  });

  it("round-trips int64 headers", () => {
    const [msg] = new EventStreamDecoder().push(encodeMessage({ n: 9_007_199_254_740_993n }, ""));
    assert.equal(msg.headers.n, 9_007_199_254_740_993n);
    assert.equal(msg.payload.length, 0);
  });

  it("reassembles messages split at every possible byte boundary", () => {
    const a = encodeMessage(eventHeaders, payload);
    const b = encodeMessage({ ...eventHeaders, ":event-type": "contentBlockStop" }, '{"contentBlockIndex":0}');
    const all = Buffer.concat([a, b]);
    for (let cut = 0; cut <= all.length; cut++) {
      const d = new EventStreamDecoder();
      const got = [...d.push(all.subarray(0, cut)), ...d.push(all.subarray(cut))];
      assert.deepEqual(got.map((m) => m.headers[":event-type"]), ["contentBlockDelta", "contentBlockStop"], `cut at ${cut}`);
      d.end();
    }
  });

  it("decodes byte by byte", () => {
    const all = Buffer.concat([encodeMessage(eventHeaders, payload), encodeMessage(eventHeaders, "{}")]);
    const d = new EventStreamDecoder();
    const got = [];
    for (const byte of all) got.push(...d.push(Uint8Array.of(byte)));
    assert.equal(got.length, 2);
    assert.equal(toUtf8(got[0].payload), payload);
  });

  it("rejects a corrupted payload (message CRC) and a corrupted prelude", () => {
    const bad = Buffer.from(encodeMessage(eventHeaders, payload));
    bad[bad.length - 10] ^= 0xff;
    assert.throws(() => new EventStreamDecoder().push(bad), (e: unknown) => e instanceof ProxyError && /message CRC/.test(e.message) && e.error.status === 502);
    const badPrelude = Buffer.from(encodeMessage(eventHeaders, payload));
    badPrelude[6] ^= 0x01;
    assert.throws(() => new EventStreamDecoder().push(badPrelude), /prelude CRC/);
  });

  it("rejects absurd lengths instead of buffering them", () => {
    const bytes = Buffer.alloc(12);
    bytes.writeUInt32BE(0xffffffff, 0);
    assert.throws(() => new EventStreamDecoder().push(bytes), /message length/);
  });

  it("reports a stream that ends inside a message", () => {
    const d = new EventStreamDecoder();
    d.push(encodeMessage(eventHeaders, payload).subarray(0, 20));
    assert.throws(() => d.end(), /ended inside a message/);
  });
});
