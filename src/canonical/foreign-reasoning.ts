import type { ReasoningPart } from "./content.ts";
import type { WireFormat } from "./extras.ts";

/**
 * Reasoning signed by one provider must go back to that provider unchanged, even when it travels
 * through a client that speaks another format (Codex sends Anthropic thinking back as a Responses
 * reasoning item). Formats with an opaque slot (Responses `encrypted_content`) carry it in this
 * envelope; the decoder of that format unwraps it, and only an encoder for `producer` uses it.
 */
const PREFIX = "pcr1.";

interface Envelope {
  p: WireFormat;
  s?: string;
  d?: string;
  r?: 1;
  t?: string;
}

export function wrapForeignReasoning(part: ReasoningPart): string | undefined {
  if (!part.producer || (part.signature === undefined && part.encrypted === undefined)) return undefined;
  const env: Envelope = { p: part.producer };
  if (part.signature !== undefined) env.s = part.signature;
  if (part.encrypted !== undefined) env.d = part.encrypted;
  if (part.redacted) env.r = 1;
  return PREFIX + Buffer.from(JSON.stringify(env)).toString("base64url");
}

/** The producer's signature and data from an envelope, or undefined when `value` is not one. */
export function unwrapForeignReasoning(
  value: string,
): Pick<ReasoningPart, "producer" | "signature" | "encrypted" | "redacted"> | undefined {
  if (!value.startsWith(PREFIX)) return undefined;
  try {
    const env = JSON.parse(Buffer.from(value.slice(PREFIX.length), "base64url").toString("utf8")) as Envelope;
    if (typeof env.p !== "string") return undefined;
    return {
      producer: env.p,
      ...(env.s !== undefined && { signature: env.s }),
      ...(env.d !== undefined && { encrypted: env.d }),
      ...(env.r && { redacted: true }),
    };
  } catch {
    return undefined;
  }
}
