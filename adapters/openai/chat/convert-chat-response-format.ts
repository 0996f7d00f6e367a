import type { JsonObject } from "../../../src/canonical/extras.ts";
import type { ResponseFormat } from "../../../src/canonical/request.ts";
import { isObject, onlyKeys } from "./chat-extras.ts";

/**
 * `response_format`: text, json_object, json_schema. One with anything the canonical model does
 * not hold (another key, a null `strict`) is not decoded, so the caller keeps it as it was.
 */
export function decodeChatResponseFormat(value: unknown): ResponseFormat | undefined {
  if (!isObject(value)) return undefined;
  if ((value.type === "text" || value.type === "json_object") && onlyKeys(value, 1)) return { type: value.type };
  if (value.type !== "json_schema" || !onlyKeys(value, 2)) return undefined;
  const js = value.json_schema;
  if (!isObject(js) || typeof js.name !== "string" || !isObject(js.schema)) return undefined;
  let known = 2;
  const out: ResponseFormat = { type: "json_schema", name: js.name, schema: js.schema };
  if (typeof js.strict === "boolean") {
    out.strict = js.strict;
    known++;
  }
  if (typeof js.description === "string") {
    out.description = js.description;
    known++;
  }
  return onlyKeys(js, known) ? out : undefined;
}

export function encodeChatResponseFormat(format: ResponseFormat): JsonObject {
  if (format.type !== "json_schema") return { type: format.type };
  const js: JsonObject = { name: format.name, schema: format.schema };
  if (format.strict !== undefined) js.strict = format.strict;
  if (format.description !== undefined) js.description = format.description;
  return { type: "json_schema", json_schema: js };
}

