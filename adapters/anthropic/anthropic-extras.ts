import { isObject } from "../../src/canonical/extras.ts";
import type { Extras, JsonObject, Origin } from "../../src/canonical/extras.ts";

/**
 * How this adapter keeps what the canonical model cannot say. `extras.anthropic` of a node holds
 * the native fields the decoder did not map (spread back verbatim by the encoder), plus markers
 * whose keys start with `$` (never written to the wire):
 *
 * - `$string` (message): the content (or top-level `system`) was a bare string.
 * - `$noContent` (tool-result part): the `tool_result` block had no `content` key.
 * - `$block` (text part inside a tool result): a block the canonical tool-result content cannot
 *   hold (`search_result`, `tool_reference`, …), written back verbatim.
 * - `$noStopSequence` (response): the message had no `stop_sequence` key.
 * - `$omit` (usage of a `message_delta`): cumulative fields the event left out.
 * - `$message` / `$delta` (stream chunk): the fields of `message_start.message` / of
 *   `message_delta.delta` the events do not carry; `$absent` (keys of that delta it did not have),
 *   `$noUsage` (a `message_delta` without usage), `$deltaRest` (unknown fields of a block delta).
 *
 * Thinking, output config, metadata and tool choice keep partial objects (`thinking`,
 * `output_config`, `metadata`, `tool_choice`): the fields the canonical request does not carry,
 * merged with what it does on encode.
 */
export const ANTHROPIC = "anthropic" as const;

export { isObject };

/** Native fields of `obj` not in `known`, or undefined when there are none. */
export function restOfKnown(obj: JsonObject, known: ReadonlySet<string>): JsonObject | undefined {
  let rest: JsonObject | undefined;
  for (const key in obj) {
    if (!known.has(key)) (rest ??= {})[key] = obj[key];
  }
  return rest;
}

/** `extras.anthropic` holding `rest` plus `markers`, or undefined when both are empty. */
export function anthropicExtras(rest: JsonObject | undefined, markers?: JsonObject): Extras | undefined {
  if (markers === undefined) return rest === undefined ? undefined : { anthropic: rest };
  return { anthropic: rest === undefined ? markers : Object.assign(rest, markers) };
}

const EMPTY: JsonObject = Object.freeze({}) as JsonObject;

/** The anthropic extras of a node, markers included (a shared empty object when none). */
export function own(node: { extras?: Extras } | undefined): JsonObject {
  return node?.extras?.anthropic ?? EMPTY;
}

/** Copies the native fields kept in `extras` onto `target` (markers left out). */
export function spreadNative(target: JsonObject, extras: JsonObject): JsonObject {
  for (const key in extras) {
    if (key.charCodeAt(0) !== 36 /* $ */) target[key] = extras[key];
  }
  return target;
}

export function isOwnOrigin(origin: Origin | undefined): boolean {
  return origin?.format === ANTHROPIC;
}

/** One origin object per native container, shared by all parts decoded from it. */
export function originAt(index: number): Origin {
  return { format: ANTHROPIC, index };
}

/** The request-level `system` parameter, as opposed to a `system` message inside `messages`. */
export const SYSTEM_SLOT = -1;
