/**
 * The native wire formats Portcullis speaks. A canonical node decoded from one of them may keep,
 * under that format's key, the native fields the neutral model cannot express, so that encoding
 * back to the same format reproduces the body exactly; encoders of other formats ignore them.
 */
export type WireFormat =
  | "openai-chat"
  | "openai-responses"
  | "anthropic"
  | "gemini"
  | "bedrock"
  | "cohere";

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: unknown };

/** Native fields kept verbatim, per format. */
export type Extras = { [F in WireFormat]?: JsonObject };

/**
 * Where a canonical part came from: the format and the index of the native container (a message,
 * a Responses item, a Gemini content) it was decoded from. The encoder of the same format uses it
 * to rebuild containers exactly as they were (two Anthropic user turns stay two); other encoders
 * group as their format requires.
 */
export interface Origin {
  format: WireFormat;
  index: number;
}

/** A JSON object (not an array, not null): what decoders check before reading fields. */
export function isObject(v: unknown): v is JsonObject {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Fields of `obj` not named in `known`, or undefined when there are none. */
export function restOf(obj: JsonObject, known: ReadonlySet<string>): JsonObject | undefined {
  let rest: JsonObject | undefined;
  for (const key in obj) {
    if (!known.has(key)) (rest ??= {})[key] = obj[key];
  }
  return rest;
}

/** Extras for one format, attached only when there is something to keep. */
export function extrasFor(format: WireFormat, rest: JsonObject | undefined): Extras | undefined {
  return rest === undefined ? undefined : { [format]: rest };
}

/** The extras a node keeps for `format` (empty object when none). */
export function extrasOf(node: { extras?: Extras }, format: WireFormat): JsonObject {
  return node.extras?.[format] ?? {};
}
