import type { Schema } from "@google/genai";
import type { JsonObject } from "../../src/canonical/extras.ts";

/**
 * JSON Schema (what OpenAI, Anthropic and MCP tools declare) -> Gemini's `Schema`, the OpenAPI 3.0
 * subset that `functionDeclarations[].parameters` and `generationConfig.responseSchema` accept on
 * every Gemini model and on both the Gemini API and Vertex. Unsupported keywords are dropped
 * (additionalProperties, $schema, const -> enum, unsupported formats, …), `$ref`s are inlined,
 * `anyOf`/`oneOf` become `anyOf`, `type: [T, "null"]` becomes `nullable`.
 *
 * Some schemas cannot be expressed in the subset without changing what the model produces:
 * recursive `$ref`s, free-form nested objects, tuples, property names Gemini forbids. For those
 * the function returns undefined and the caller sends the schema untouched in the JSON Schema
 * field (`parametersJsonSchema` / `responseJsonSchema`) instead, which Gemini 2.5+ accepts.
 */
export function convertJsonSchemaToGeminiSchema(root: JsonObject, options: { propertyOrdering?: boolean } = {}): Schema | undefined {
  try {
    return convert(root, { root, refs: [], ordering: options.propertyOrdering === true });
  } catch (err) {
    if (err instanceof Unsupported) return undefined;
    throw err;
  }
}

/** A function whose parameters schema declares no properties takes no arguments: Gemini wants `parameters` left out. */
export function declaresNoParameters(schema: JsonObject | undefined): boolean {
  if (!schema) return true;
  const props = schema.properties as JsonObject | undefined;
  const noProps = props === undefined || Object.keys(props).length === 0;
  const extra = schema.additionalProperties;
  return noProps && (extra === undefined || extra === false) && schema.anyOf === undefined && schema.oneOf === undefined && schema.allOf === undefined && schema.$ref === undefined;
}

/** The schema for a JSON Schema field: as given, minus the meta keywords Gemini rejects. */
export function forJsonSchemaField(schema: JsonObject): JsonObject {
  if (!("$schema" in schema) && !("$id" in schema)) return schema;
  const { $schema: _s, $id: _i, ...rest } = schema;
  return rest;
}

class Unsupported extends Error {}

interface Context {
  root: JsonObject;
  refs: string[];
  ordering: boolean;
}

const STRING_FORMATS = new Set(["date-time", "enum"]);
const NUMBER_FORMATS = new Set(["float", "double", "int32", "int64"]);
const PARAMETER_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
const COPIED = ["description", "title", "default", "example", "minItems", "maxItems", "minLength", "maxLength", "pattern", "minimum", "maximum", "minProperties", "maxProperties"] as const;

function convert(node: unknown, ctx: Context): Schema {
  if (node === true) throw new Unsupported("unconstrained schema");
  if (typeof node !== "object" || node === null || Array.isArray(node)) throw new Unsupported("not a schema");
  const s = node as JsonObject;
  if (typeof s.$ref === "string") return convertRef(s, ctx);
  if (Array.isArray(s.allOf)) return convert(mergeAllOf(s, ctx.root), ctx);

  const out: Schema = {};
  for (const key of COPIED) if (s[key] !== undefined) (out as JsonObject)[key] = s[key];
  if (s.nullable === true) out.nullable = true;

  const variants = (Array.isArray(s.anyOf) ? s.anyOf : Array.isArray(s.oneOf) ? s.oneOf : undefined) as unknown[] | undefined;
  if (variants) return withVariants(out, variants, ctx);

  let type = s.type;
  if (Array.isArray(type)) {
    const nonNull = type.filter((t) => t !== "null");
    if (nonNull.length < type.length) out.nullable = true;
    if (nonNull.length > 1) {
      out.anyOf = nonNull.map((t) => convert({ ...s, type: t, description: undefined, nullable: undefined }, ctx));
      return out;
    }
    type = nonNull[0];
  }
  if (s.const !== undefined) {
    type ??= typeof s.const === "number" ? "number" : typeof s.const;
    setEnum(out, [s.const]);
  } else if (Array.isArray(s.enum)) {
    setEnum(out, s.enum);
  }
  if (type === undefined) {
    if (s.properties !== undefined) type = "object";
    else if (s.items !== undefined) type = "array";
    else throw new Unsupported("schema without a type");
  }
  if (typeof type !== "string") throw new Unsupported("bad type");
  out.type = type as Schema["type"];

  if (type === "object") convertObject(s, out, ctx);
  else if (type === "array") {
    if (s.items === undefined || Array.isArray(s.items) || s.prefixItems !== undefined) throw new Unsupported("tuple or untyped array");
    out.items = convert(s.items, ctx);
  } else if (typeof s.format === "string" && (type === "string" ? STRING_FORMATS : NUMBER_FORMATS).has(s.format) && out.format === undefined) {
    out.format = s.format;
  }
  return out;
}

function convertObject(s: JsonObject, out: Schema, ctx: Context): void {
  const props = s.properties as JsonObject | undefined;
  const names = props ? Object.keys(props) : [];
  // A free-form map (`additionalProperties`) has no Gemini Schema equivalent: an OBJECT must list its properties.
  if (names.length === 0) throw new Unsupported("object without properties");
  out.properties = {};
  for (const name of names) {
    if (!PARAMETER_NAME.test(name)) throw new Unsupported(`property name ${name}`);
    out.properties[name] = convert(props![name], ctx);
  }
  if (Array.isArray(s.required)) {
    const required = (s.required as unknown[]).filter((r): r is string => typeof r === "string" && names.includes(r));
    if (required.length > 0) out.required = required;
  }
  if (ctx.ordering && names.length > 1) out.propertyOrdering = names;
}

function withVariants(out: Schema, variants: unknown[], ctx: Context): Schema {
  const kept: Schema[] = [];
  for (const v of variants) {
    if (typeof v === "object" && v !== null && (v as JsonObject).type === "null") out.nullable = true;
    else kept.push(convert(v, ctx));
  }
  if (kept.length === 0) throw new Unsupported("only null");
  if (kept.length === 1) {
    const merged = { ...kept[0], ...out };
    if (out.description === undefined && kept[0].description !== undefined) merged.description = kept[0].description;
    return merged;
  }
  out.anyOf = kept;
  return out;
}

function setEnum(out: Schema, values: unknown[]): void {
  const kept = values.filter((v) => v !== null);
  if (kept.length < values.length) out.nullable = true;
  if (kept.every((v) => typeof v === "string")) {
    out.enum = kept as string[];
    return;
  }
  // Gemini enums are strings; numeric ones are written as strings with format "enum" (Gemini's documented way).
  out.enum = kept.map((v) => String(v));
  out.format = "enum";
}

function convertRef(s: JsonObject, ctx: Context): Schema {
  const ref = s.$ref as string;
  if (ctx.refs.includes(ref)) throw new Unsupported("recursive $ref");
  const target = resolveRef(ref, ctx.root);
  ctx.refs.push(ref);
  try {
    const { $ref: _r, ...siblings } = s;
    return convert({ ...target, ...siblings }, ctx);
  } finally {
    ctx.refs.pop();
  }
}

function resolveRef(ref: string, root: JsonObject): JsonObject {
  if (!ref.startsWith("#")) throw new Unsupported("remote $ref");
  let node: unknown = root;
  for (const raw of ref.slice(1).split("/").slice(1)) {
    const key = decodeURIComponent(raw).replace(/~1/g, "/").replace(/~0/g, "~");
    node = typeof node === "object" && node !== null ? (node as JsonObject)[key] : undefined;
  }
  if (typeof node !== "object" || node === null) throw new Unsupported("unresolved $ref");
  return node as JsonObject;
}

/** allOf of object schemas: properties and required merged; other keywords from the first that has them. */
function mergeAllOf(s: JsonObject, root: JsonObject): JsonObject {
  const { allOf, ...base } = s;
  const merged: JsonObject = { ...base };
  for (const part of allOf as unknown[]) {
    if (typeof part !== "object" || part === null) throw new Unsupported("allOf");
    let p = part as JsonObject;
    if (typeof p.$ref === "string") {
      const { $ref, ...siblings } = p;
      p = { ...resolveRef($ref as string, root), ...siblings };
    }
    for (const key in p) {
      if (key === "properties") merged.properties = { ...(merged.properties as JsonObject | undefined), ...(p.properties as JsonObject) };
      else if (key === "required") merged.required = [...((merged.required as unknown[]) ?? []), ...(p.required as unknown[])];
      else if (merged[key] === undefined) merged[key] = p[key];
    }
  }
  return merged;
}
