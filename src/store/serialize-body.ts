export interface SerializedBody {
  text: string | null;
  /** The whole body's size in UTF-8 bytes (before the cut). */
  bytes: number | null;
}

const NO_BODY: SerializedBody = { text: null, bytes: null };

/** A body as stored: redacted, then cut at `max` UTF-8 bytes. Never throws: a body that cannot be serialized is noted instead. */
export function serializeBody(body: unknown, redact: ((text: string) => string) | undefined, max: number): SerializedBody {
  if (body === undefined || body === null) return NO_BODY;
  let text: string;
  try {
    if (body instanceof Uint8Array) {
      // Without redaction only the kept prefix is decoded.
      if (!redact) return { text: cutBytes(body, max), bytes: body.byteLength };
      text = Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString("utf8");
    } else {
      text = typeof body === "string" ? body : JSON.stringify(body);
    }
    if (redact) text = redact(text);
  } catch (err) {
    return { text: `[body not recorded: ${(err as Error).message}]`, bytes: null };
  }
  // UTF-8 takes at most 3 bytes per UTF-16 unit: short strings need no measuring.
  if (text.length * 3 <= max) return { text, bytes: Buffer.byteLength(text) };
  const bytes = Buffer.from(text, "utf8");
  return { text: cutBytes(bytes, max), bytes: bytes.byteLength };
}

function cutBytes(bytes: Uint8Array, max: number): string {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, max));
  // A character split by the cut decodes as U+FFFD; drop it rather than store a half.
  const text = b.toString("utf8");
  return bytes.byteLength > max && text.endsWith("\uFFFD") ? text.slice(0, -1) : text;
}
