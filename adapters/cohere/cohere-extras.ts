import { isObject } from "../../src/canonical/extras.ts";
import type { Extras, JsonObject } from "../../src/canonical/extras.ts";
import type { CanonicalRequest } from "../../src/canonical/request.ts";

/**
 * How this adapter keeps what the canonical model cannot say. `extras.cohere` of a node holds the
 * native fields the decoder did not map (spread back verbatim by the encoder), plus adapter
 * markers whose keys start with `$` (never written to the wire): `$blocks` (content was an array,
 * not a string), `$plan` (a text part that was `tool_plan`), `$document` (a tool-result text part
 * that was a `document` block), `$arguments` (the raw arguments before normalisation),
 * `$noTokens` (usage without `tokens`).
 */
export const FORMAT = "cohere";

export { isObject };

/** Native fields of `obj` not in `known` (markers excluded), or undefined. */
export function nativeRest(obj: JsonObject, known: ReadonlySet<string>): JsonObject | undefined {
  let rest: JsonObject | undefined;
  for (const key in obj) {
    if (!known.has(key)) (rest ??= {})[key] = obj[key];
  }
  return rest;
}

/** `extras.cohere` with `markers` added, or undefined when both are empty. */
export function cohereExtras(rest: JsonObject | undefined, markers?: JsonObject): Extras | undefined {
  if (markers === undefined) return rest === undefined ? undefined : { cohere: rest };
  return { cohere: rest === undefined ? markers : { ...rest, ...markers } };
}

/** The cohere extras of a node (empty object when none). */
export function cohereOf(node: { extras?: Extras }): JsonObject {
  return node.extras?.cohere ?? EMPTY;
}

/** Copies the native fields kept in `extras` onto `target` (markers left out). */
export function spreadNative<T extends object>(target: T, extras: JsonObject): T {
  for (const key in extras) {
    if (key.charCodeAt(0) !== 36 /* $ */) (target as JsonObject)[key] = extras[key];
  }
  return target;
}

const EMPTY: JsonObject = Object.freeze({}) as JsonObject;


/**
 * A request a Cohere client wrote (its parts carry Cohere origins): it goes back exactly as
 * written, whatever this adapter would otherwise adjust for another format's client.
 */
export function isCohereRequest(request: CanonicalRequest): boolean {
  return request.messages.some((m) => m.content.some((p) => p.origin?.format === FORMAT));
}
