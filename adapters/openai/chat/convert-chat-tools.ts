import type { JsonObject } from "../../../src/canonical/extras.ts";
import type { ToolChoice, ToolDefinition } from "../../../src/canonical/request.ts";
import { CHAT, chatExtrasOf, copyNative, isObject, objectAt, onlyKeys, restExcept, withChatExtras } from "./chat-extras.ts";

/**
 * Tool definitions and tool_choice. A value the canonical model cannot hold
 * exactly (an unknown tool type, a malformed choice) is not decoded: the caller keeps it as a
 * native field, so the same format writes it back unchanged and other formats never see it.
 */
export function decodeChatTool(tool: JsonObject): ToolDefinition {
  const kind = tool.type;
  const key = kind === "function" ? "function" : kind === "custom" ? "custom" : undefined;
  const fn = key ? tool[key] : undefined;
  if (key === undefined || !isObject(fn) || typeof fn.name !== "string") return { kind: "hosted", format: CHAT, value: tool };
  const taken = ["name"];
  const take = <T>(field: string, ok: (v: unknown) => v is T): T | undefined => {
    const v = fn[field];
    if (!ok(v)) return undefined;
    taken.push(field);
    return v;
  };
  const description = take("description", isString);
  let def: ToolDefinition;
  if (key === "function") {
    def = { kind: "function", name: fn.name };
    const parameters = take("parameters", isObject);
    const strict = take("strict", isBoolean);
    if (parameters !== undefined) def.parameters = parameters;
    if (strict !== undefined) def.strict = strict;
  } else {
    def = { kind: "custom", name: fn.name };
    const format = take("format", isObject);
    if (format !== undefined) def.format = format;
  }
  if (description !== undefined) def.description = description;
  const inner = restExcept(fn, taken);
  const rest = restExcept(tool, ["type", key]);
  return withChatExtras(def, inner === undefined ? rest : { ...rest, [key]: inner });
}

/** A tool in Chat form; undefined for another format's hosted tool, which Chat cannot run. */
export function encodeChatTool(def: ToolDefinition): JsonObject | undefined {
  if (def.kind === "hosted") return def.format === CHAT ? def.value : undefined;
  const ex = chatExtrasOf(def);
  const key = def.kind;
  const fn: JsonObject = { name: def.name };
  if (def.description !== undefined) fn.description = def.description;
  if (def.kind === "function") {
    if (def.parameters !== undefined) fn.parameters = def.parameters;
    if (def.strict !== undefined) fn.strict = def.strict;
  } else if (def.format !== undefined) fn.format = def.format;
  return copyNative(ex, { type: key, [key]: copyNative(objectAt(ex, key), fn) });
}

const SIMPLE_CHOICES = new Set(["auto", "none", "required"]);

export function decodeChatToolChoice(value: unknown): ToolChoice | undefined {
  if (typeof value === "string") return SIMPLE_CHOICES.has(value) ? { type: value as "auto" | "none" | "required" } : undefined;
  if (!isObject(value)) return undefined;
  if (value.type === "allowed_tools") {
    const allowed = value.allowed_tools;
    if (!onlyKeys(value, 2) || !isObject(allowed) || !onlyKeys(allowed, 2) || (allowed.mode !== "auto" && allowed.mode !== "required") || !Array.isArray(allowed.tools)) return undefined;
    const names: string[] = [];
    for (const t of allowed.tools) {
      const name = namedChoice(t);
      if (name === undefined) return undefined;
      names.push(name);
    }
    return { type: "allowed", mode: allowed.mode, names };
  }
  const name = namedChoice(value);
  return name === undefined ? undefined : { type: "tool", name };
}

/** Named choices say `function` or `custom` after the tool's kind, found among the request's tools. */
export function encodeChatToolChoice(choice: ToolChoice, tools: readonly ToolDefinition[] | undefined): unknown {
  switch (choice.type) {
    case "auto":
    case "none":
    case "required":
      return choice.type;
    case "tool":
      return namedEntry(choice.name, tools);
    case "allowed":
      return { type: "allowed_tools", allowed_tools: { mode: choice.mode, tools: choice.names.map((n) => namedEntry(n, tools)) } };
  }
}

/** The name in `{type:"function",function:{name}}` / `{type:"custom",custom:{name}}` with nothing else in it. */
function namedChoice(value: unknown): string | undefined {
  if (!isObject(value) || (value.type !== "function" && value.type !== "custom") || !onlyKeys(value, 2)) return undefined;
  const inner = value[value.type];
  return isObject(inner) && onlyKeys(inner, 1) && typeof inner.name === "string" ? inner.name : undefined;
}

function namedEntry(name: string, tools: readonly ToolDefinition[] | undefined): JsonObject {
  const custom = tools?.some((t) => t.kind === "custom" && t.name === name);
  return custom ? { type: "custom", custom: { name } } : { type: "function", function: { name } };
}

function isString(v: unknown): v is string {
  return typeof v === "string";
}

function isBoolean(v: unknown): v is boolean {
  return typeof v === "boolean";
}
