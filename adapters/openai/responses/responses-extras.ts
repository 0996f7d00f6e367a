import { isObject } from "../../../src/canonical/extras.ts";
import { extrasFor, extrasOf, restOf, type Extras, type JsonObject, type Origin } from "../../../src/canonical/extras.ts";

export const RESPONSES = "openai-responses" as const;

/**
 * What this codec keeps under `extras["openai-responses"]`: the native fields the canonical node
 * has no field for, verbatim (snake_case, as on the wire), plus a few markers (camelCase, so they
 * never collide with a wire field) for shapes the canonical model flattens:
 *
 * - `item` (on the first part decoded from a message item): the item's own fields besides
 *   `role` and `content` (`type`, `id`, `status`, `phase`, …), so the item is rebuilt exactly.
 * - `string` (on a text part): the message content (or `input`) was a bare string.
 * - `contentPart` (on a native part): the value is an unknown content part inside a message item,
 *   not a whole item.
 * - `summaryText` (on a reasoning part): the text travelled as the one summary paragraph of a
 *   foreign-produced reasoning item (see encode-responses-reasoning.ts).
 * - `rawFileData` (on a file part): `file_data` was bare base64, not a `data:` URL.
 * - `namespaceTool` (on the first tool flattened out of a `namespace` tool): the namespace tool's
 *   own fields (`description`, …), so consecutive tools of that namespace regroup exactly.
 */
export interface ResponsesMarks {
  item?: JsonObject;
  string?: true;
  contentPart?: true;
  summaryText?: true;
  rawFileData?: true;
  namespaceTool?: JsonObject;
}

const MARKS: ReadonlySet<string> = new Set(["item", "string", "contentPart", "summaryText", "rawFileData", "namespaceTool"]);

/** Copies the native fields kept in `extras` (markers left out) onto `target`. */
export function putNative(target: JsonObject, extras: JsonObject): JsonObject {
  for (const key in extras) {
    if (!MARKS.has(key)) target[key] = extras[key];
  }
  return target;
}

export { isObject };

/** The extras this codec keeps on a node, markers included (empty object when none). */
export function own(node: { extras?: Extras }): JsonObject & ResponsesMarks {
  return extrasOf(node, RESPONSES);
}

/** Native fields of `obj` beyond `known`, as extras of this format (undefined when none). */
export function keepRest(obj: JsonObject, known: ReadonlySet<string>): Extras | undefined {
  return extrasFor(RESPONSES, restOf(obj, known));
}

/** Adds one native field (or marker) to possibly absent extras of this format. */
export function addExtra(extras: Extras | undefined, key: string, value: unknown): Extras {
  extras ??= { [RESPONSES]: {} };
  (extras[RESPONSES] ??= {})[key] = value;
  return extras;
}

/** Whether a canonical node was decoded by this codec (so its extras and shape apply). */
export function isOwn(origin: Origin | undefined): boolean {
  return origin?.format === RESPONSES;
}

export function originAt(index: number): Origin {
  return { format: RESPONSES, index };
}
