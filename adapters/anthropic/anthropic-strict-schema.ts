import type { JsonObject } from "../../src/canonical/extras.ts";
import { isObject } from "./anthropic-extras.ts";

/**
 * Anthropic's structured outputs (`output_config.format`, `strict` tools) take a subset of JSON
 * Schema: objects closed with `additionalProperties: false`, a few string formats, `minItems` of
 * 0 or 1. Schemas written for OpenAI often use more (`minimum`, `pattern`, `maxLength`, …); those
 * constraints move into the description, as the Anthropic SDK does, instead of failing the call.
 * Builds a new schema; the client's is not modified.
 */
const STRING_FORMATS: ReadonlySet<string> = new Set(["date-time", "time", "date", "duration", "email", "hostname", "uri", "ipv4", "ipv6", "uuid"]);
const isPrimitive = (v: unknown) => v === null || typeof v !== "object";

export function toAnthropicStrictSchema(schema: JsonObject): JsonObject {
  const left: JsonObject = { ...schema };
  const out: JsonObject = {};
  const take = (key: string) => {
    const v = left[key];
    delete left[key];
    return v;
  };
  for (const defsKey of ["$defs", "definitions"]) {
    const defs = take(defsKey);
    if (isObject(defs)) out[defsKey] = mapValues(defs);
    else if (defs !== undefined) left[defsKey] = defs;
  }
  const ref = take("$ref");
  if (typeof ref === "string") {
    out.$ref = ref;
    return out;
  }
  if (Array.isArray(left.enum) && left.enum.every(isPrimitive)) out.enum = take("enum");
  if (left.const !== undefined && isPrimitive(left.const)) out.const = take("const");
  const type = take("type");
  if (type !== undefined) out.type = type;
  take("$schema");
  const anyOf = take("anyOf") ?? take("oneOf");
  const allOf = take("allOf");
  if (Array.isArray(anyOf)) out.anyOf = anyOf.map((s) => (isObject(s) ? toAnthropicStrictSchema(s) : s));
  if (Array.isArray(allOf)) out.allOf = allOf.map((s) => (isObject(s) ? toAnthropicStrictSchema(s) : s));
  for (const key of ["description", "title"]) {
    const v = take(key);
    if (v !== undefined) out[key] = v;
  }
  const types = Array.isArray(type) ? type : [type];
  if (types.includes("object") || (type === undefined && isObject(left.properties))) {
    const properties = take("properties");
    out.properties = isObject(properties) ? mapValues(properties) : {};
    take("additionalProperties");
    out.additionalProperties = false;
    const required = take("required");
    if (required !== undefined) out.required = required;
  }
  if (types.includes("array")) {
    const items = take("items");
    if (isObject(items)) out.items = toAnthropicStrictSchema(items);
    else if (items !== undefined) out.items = items;
    if (left.minItems === 0 || left.minItems === 1) out.minItems = take("minItems");
  }
  if (types.includes("string") && typeof left.format === "string" && STRING_FORMATS.has(left.format)) out.format = take("format");
  const rest = Object.keys(left);
  if (rest.length > 0) {
    const note = `{${rest.map((k) => `${k}: ${JSON.stringify(left[k])}`).join(", ")}}`;
    out.description = typeof out.description === "string" && out.description !== "" ? `${out.description}\n\n${note}` : note;
  }
  return out;
}

function mapValues(obj: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const key in obj) {
    const v = obj[key];
    out[key] = isObject(v) ? toAnthropicStrictSchema(v) : v;
  }
  return out;
}
