import { crc32 } from "node:zlib";
import { proxyError } from "../../src/canonical/error.ts";

/**
 * The AWS event stream binary framing (`application/vnd.amazon.eventstream`) that ConverseStream
 * answers with. A message is:
 *
 *   total length (u32 BE) | headers length (u32 BE) | prelude CRC32 (of the first 8 bytes)
 *   headers | payload | message CRC32 (of everything before it)
 *
 * and a header is: name length (u8) | name | value type (u8) | value.
 */
export type HeaderValue = string | number | boolean | bigint | Uint8Array | Date;
export type EventStreamHeaders = Record<string, HeaderValue>;

export interface EventStreamMessage {
  headers: EventStreamHeaders;
  payload: Uint8Array;
  /** The message's bytes as they arrived, for forwarding unchanged. */
  raw: Uint8Array;
}

const PRELUDE = 12;
const OVERHEAD = 16;
/** AWS caps a message at 16 MiB; a larger length is a corrupt stream, not a reason to buffer it. */
const MAX_MESSAGE = 16 * 1024 * 1024;

const HEADER_TYPE = {
  true: 0,
  false: 1,
  byte: 2,
  short: 3,
  integer: 4,
  long: 5,
  bytes: 6,
  string: 7,
  timestamp: 8,
  uuid: 9,
} as const;

function corrupt(detail: string) {
  return proxyError(502, `The upstream sent a malformed AWS event stream: ${detail}`, { code: "bad_upstream_stream", kind: "upstream" });
}

/** Incremental decoder: bytes in any split go in, whole verified messages come out. */
export class EventStreamDecoder {
  #pending: Buffer | undefined;

  push(bytes: Uint8Array): EventStreamMessage[] {
    let buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (this.#pending) buf = Buffer.concat([this.#pending, buf]);
    const out: EventStreamMessage[] = [];
    let offset = 0;
    while (buf.length - offset >= PRELUDE) {
      const total = buf.readUInt32BE(offset);
      if (total < OVERHEAD || total > MAX_MESSAGE) throw corrupt(`message length ${total}`);
      if (buf.length - offset < total) break;
      out.push(decodeMessage(buf.subarray(offset, offset + total)));
      offset += total;
    }
    // Copy the remainder so the caller's (possibly pooled) chunk can be reused.
    this.#pending = offset === buf.length ? undefined : Buffer.from(buf.subarray(offset));
    return out;
  }

  /** The stream ended: anything left over is a truncated message. */
  end(): void {
    if (this.#pending) {
      const n = this.#pending.length;
      this.#pending = undefined;
      throw corrupt(`the stream ended inside a message (${n} bytes left)`);
    }
  }
}

/** Decodes one complete message (exactly `total length` bytes) and checks both CRCs. */
export function decodeMessage(msg: Buffer): EventStreamMessage {
  const total = msg.readUInt32BE(0);
  const headersLength = msg.readUInt32BE(4);
  if (total !== msg.length) throw corrupt(`length ${total} does not match ${msg.length} bytes`);
  if (crc32(msg.subarray(0, 8)) !== msg.readUInt32BE(8)) throw corrupt("prelude CRC mismatch");
  if (crc32(msg.subarray(0, total - 4)) !== msg.readUInt32BE(total - 4)) throw corrupt("message CRC mismatch");
  if (headersLength > total - OVERHEAD) throw corrupt(`headers length ${headersLength}`);
  return {
    headers: decodeHeaders(msg.subarray(PRELUDE, PRELUDE + headersLength)),
    payload: msg.subarray(PRELUDE + headersLength, total - 4),
    raw: msg,
  };
}

function decodeHeaders(buf: Buffer): EventStreamHeaders {
  const headers: EventStreamHeaders = {};
  let i = 0;
  const need = (n: number) => {
    if (i + n > buf.length) throw corrupt("header runs past its section");
  };
  while (i < buf.length) {
    need(1);
    const nameLength = buf[i++];
    need(nameLength + 1);
    const name = buf.toString("utf8", i, i + nameLength);
    i += nameLength;
    const type = buf[i++];
    switch (type) {
      case HEADER_TYPE.true:
        headers[name] = true;
        break;
      case HEADER_TYPE.false:
        headers[name] = false;
        break;
      case HEADER_TYPE.byte:
        need(1);
        headers[name] = buf.readInt8(i);
        i += 1;
        break;
      case HEADER_TYPE.short:
        need(2);
        headers[name] = buf.readInt16BE(i);
        i += 2;
        break;
      case HEADER_TYPE.integer:
        need(4);
        headers[name] = buf.readInt32BE(i);
        i += 4;
        break;
      case HEADER_TYPE.long:
        need(8);
        headers[name] = buf.readBigInt64BE(i);
        i += 8;
        break;
      case HEADER_TYPE.bytes:
      case HEADER_TYPE.string: {
        need(2);
        const len = buf.readUInt16BE(i);
        i += 2;
        need(len);
        headers[name] = type === HEADER_TYPE.string ? buf.toString("utf8", i, i + len) : new Uint8Array(buf.subarray(i, i + len));
        i += len;
        break;
      }
      case HEADER_TYPE.timestamp:
        need(8);
        headers[name] = new Date(Number(buf.readBigInt64BE(i)));
        i += 8;
        break;
      case HEADER_TYPE.uuid: {
        need(16);
        const hex = buf.toString("hex", i, i + 16);
        headers[name] = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
        i += 16;
        break;
      }
      default:
        throw corrupt(`unknown header value type ${type}`);
    }
  }
  return headers;
}

/** Encodes one message. Numbers are written as int32 headers, bigints as int64. */
export function encodeMessage(headers: EventStreamHeaders, payload: Uint8Array | string): Uint8Array {
  const body = typeof payload === "string" ? Buffer.from(payload, "utf8") : payload;
  const encoded: Buffer[] = [];
  let headersLength = 0;
  for (const name in headers) {
    const h = encodeHeader(name, headers[name]);
    encoded.push(h);
    headersLength += h.length;
  }
  const total = headersLength + body.length + OVERHEAD;
  const out = Buffer.allocUnsafe(total);
  out.writeUInt32BE(total, 0);
  out.writeUInt32BE(headersLength, 4);
  out.writeUInt32BE(crc32(out.subarray(0, 8)), 8);
  let offset = PRELUDE;
  for (const h of encoded) offset += h.copy(out, offset);
  offset += Buffer.from(body.buffer, body.byteOffset, body.byteLength).copy(out, offset);
  out.writeUInt32BE(crc32(out.subarray(0, offset)), offset);
  return out;
}

function encodeHeader(name: string, value: HeaderValue): Buffer {
  const nameBytes = Buffer.from(name, "utf8");
  if (nameBytes.length > 255) throw new Error(`event stream header name too long: ${name}`);
  let valueBytes: Buffer;
  if (typeof value === "string" || value instanceof Uint8Array) {
    const data = typeof value === "string" ? Buffer.from(value, "utf8") : Buffer.from(value);
    valueBytes = Buffer.allocUnsafe(3 + data.length);
    valueBytes[0] = typeof value === "string" ? HEADER_TYPE.string : HEADER_TYPE.bytes;
    valueBytes.writeUInt16BE(data.length, 1);
    data.copy(valueBytes, 3);
  } else if (typeof value === "boolean") {
    valueBytes = Buffer.from([value ? HEADER_TYPE.true : HEADER_TYPE.false]);
  } else if (typeof value === "number") {
    valueBytes = Buffer.allocUnsafe(5);
    valueBytes[0] = HEADER_TYPE.integer;
    valueBytes.writeInt32BE(value, 1);
  } else if (typeof value === "bigint") {
    valueBytes = Buffer.allocUnsafe(9);
    valueBytes[0] = HEADER_TYPE.long;
    valueBytes.writeBigInt64BE(value, 1);
  } else {
    valueBytes = Buffer.allocUnsafe(9);
    valueBytes[0] = HEADER_TYPE.timestamp;
    valueBytes.writeBigInt64BE(BigInt(value.getTime()), 1);
  }
  return Buffer.concat([Buffer.from([nameBytes.length]), nameBytes, valueBytes]);
}
