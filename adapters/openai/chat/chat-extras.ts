import { isObject } from "../../../src/canonical/extras.ts";
import type { Extras, JsonObject, Origin } from "../../../src/canonical/extras.ts";

export const CHAT = "openai-chat";

/**
 * What this codec keeps under `extras["openai-chat"]`: the native fields the canonical model has
 * no field for, verbatim, plus a few hints of its own whose keys start with `$` (which native
 * shape a field had: a one-part array vs a string, `reasoning` vs `reasoning_content`, …).
 * Hints never reach the wire: encoders copy only native keys.
 */
export type ChatExtras = JsonObject;

const DOLLAR = 36;

export function chatExtrasOf(node: { extras?: Extras } | undefined): ChatExtras | undefined {
  return node?.extras?.[CHAT];
}

/**
 * Adds the native fields of `ex` (not its `$` hints) to `out` where `out` has no such key yet,
 * and returns `out`: fields the encoder set from the canonical model always win over kept ones.
 */
export function copyNative(ex: JsonObject | undefined, out: JsonObject): JsonObject {
  if (ex !== undefined) {
    for (const key in ex) if (key.charCodeAt(0) !== DOLLAR && !(key in out)) out[key] = ex[key];
  }
  return out;
}

/** Keeps `rest` as the node's Chat extras when there is anything to keep; returns the node. */
export function withChatExtras<T extends { extras?: Extras }>(node: T, rest: JsonObject | undefined): T {
  if (rest !== undefined) node.extras = { [CHAT]: rest };
  return node;
}

/** `obj` without the listed keys (a short list: a linear scan beats a Set here), or undefined. */
export function restExcept(obj: JsonObject, taken: readonly string[]): JsonObject | undefined {
  let rest: JsonObject | undefined;
  for (const key in obj) if (!taken.includes(key)) (rest ??= {})[key] = obj[key];
  return rest;
}

/** A nested object among kept extras (`function`, `image_url`, …), if there is one. */
export function objectAt(ex: JsonObject | undefined, key: string): JsonObject | undefined {
  const v = ex?.[key];
  return isObject(v) ? v : undefined;
}

/** Whether `obj` has exactly `count` keys (a shape check without allocating). */
export function onlyKeys(obj: JsonObject, count: number): boolean {
  let n = 0;
  for (const _ in obj) n++;
  return n === count;
}

/** A string with something in it: an empty delta or field says nothing. */
export function nonEmpty(v: unknown): v is string {
  return typeof v === "string" && v !== "";
}

export { isObject };

/** Origins shared by all parts of one native message (one allocation per message). */
export function originAt(index: number): Origin {
  return { format: CHAT, index };
}

export function isOwn(part: { origin?: Origin }): boolean {
  return part.origin?.format === CHAT;
}

/** The choice that carries the canonical content: the one with `index` 0 (other choices of n>1 are kept). */
export function mainChoice(choices: readonly unknown[]): number {
  for (let i = 0; i < choices.length; i++) {
    const c = choices[i];
    if (isObject(c) && (c.index === 0 || c.index === undefined)) return i;
  }
  return -1;
}
