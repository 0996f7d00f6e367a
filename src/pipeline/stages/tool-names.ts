import { createHash } from "node:crypto";
import type { AssistantPart, ToolCallPart } from "../../canonical/content.ts";
import type { ToolDefinition } from "../../canonical/request.ts";
import type { CanonicalResponse } from "../../canonical/response.ts";
import type { StreamChunk, StreamEvent } from "../../canonical/stream.ts";
import type { RequestContext } from "../context.ts";
import type { Stage, StreamTransform } from "../stage.ts";

/** The strictest tool-name rule among providers (Gemini, Bedrock, OpenAI: 64 chars of [A-Za-z0-9_-]). */
const MAX_NAME = 64;
const VALID = /^[A-Za-z0-9_-]+$/;

/** A custom (free-text) tool as a function tool, for formats that only have those. */
const CUSTOM_INPUT_SCHEMA = {
  type: "object",
  properties: { input: { type: "string", description: "The tool's free-text input." } },
  required: ["input"],
  additionalProperties: false,
};

interface Original {
  name: string;
  namespace?: string;
  custom: boolean;
}

/** `mcp__github` + `create_issue` -> `mcp__github__create_issue`, shortened with a hash if too long. */
export function flatName(q: { name: string; namespace?: string }): string {
  let flat = q.namespace ? `${q.namespace}__${q.name}` : q.name;
  if (!VALID.test(flat)) flat = flat.replace(/[^A-Za-z0-9_-]/g, "_");
  if (flat.length <= MAX_NAME) return flat;
  const hash = createHash("sha256").update(flat).digest("hex").slice(0, 8);
  return `${flat.slice(0, MAX_NAME - 9)}_${hash}`;
}

/**
 * Responses namespace tools (Codex names MCP servers `mcp__<server>`), custom free-text tools and
 * names a provider would reject exist only in the Responses API. For every other upstream format
 * they become plain function tools here — once, for all adapters — and the model's calls are
 * mapped back on the way out, so the client's `function_call` carries its namespace and a custom
 * tool's call its free text.
 */
export function toolNames(): Stage {
  const maps = new WeakMap<RequestContext, Map<string, Original>>();
  return {
    name: "tool-names",
    request(ctx) {
      if (!ctx.target || ctx.target.format === "openai-responses" || !ctx.request.tools) return;
      const map = new Map<string, Original>();
      const customNames = new Set(ctx.request.tools.flatMap((t) => (t.kind === "custom" ? [t.name] : [])));
      const rename = (q: { name: string; namespace?: string }, custom: boolean): string => {
        const flat = flatName(q);
        if (flat !== q.name || q.namespace || custom) map.set(flat, { name: q.name, namespace: q.namespace, custom });
        return flat;
      };
      const tools = ctx.request.tools.map((t): ToolDefinition => {
        if (t.kind === "hosted") return t;
        const name = rename(t, t.kind === "custom");
        if (t.kind === "function") return { ...t, name, namespace: undefined };
        return { kind: "function", name, description: t.description, parameters: CUSTOM_INPUT_SCHEMA };
      });
      if (map.size === 0) return;
      ctx.request.tools = tools;
      ctx.request.messages = ctx.request.messages.map((m) => {
        if (m.role === "assistant") return { ...m, content: m.content.map((p) => (p.type === "tool-call" ? toFunctionCall(p, rename, customNames) : p)) };
        if (m.role === "tool") return { ...m, content: m.content.map((r) => (r.kind === "custom" ? { ...r, kind: "function" as const } : r)) };
        return m;
      });
      const choice = ctx.request.toolChoice;
      if (choice?.type === "tool") ctx.request.toolChoice = { type: "tool", name: rename(choice, customNames.has(choice.name)) };
      ctx.requestChanged = true;
      maps.set(ctx, map);
    },
    response(ctx, response: CanonicalResponse) {
      const map = maps.get(ctx);
      if (!map) return response;
      return { ...response, content: response.content.map((p) => restorePart(p, map)) };
    },
    stream(ctx) {
      const map = maps.get(ctx);
      return map ? restoreStream(map) : undefined;
    },
  };
}

function toFunctionCall(p: ToolCallPart, rename: (q: { name: string; namespace?: string }, custom: boolean) => string, customNames: Set<string>): ToolCallPart {
  const custom = p.kind === "custom" || (customNames.has(p.name) && !p.namespace);
  const name = rename({ name: p.name, namespace: p.namespace }, custom);
  return { ...p, name, namespace: undefined, kind: "function", arguments: custom ? JSON.stringify({ input: p.arguments }) : p.arguments };
}

function restorePart(p: AssistantPart, map: Map<string, Original>): AssistantPart {
  if (p.type !== "tool-call") return p;
  const o = map.get(p.name);
  if (!o) return p;
  const restored: ToolCallPart = { ...p, name: o.name, ...(o.namespace && { namespace: o.namespace }) };
  if (o.custom) {
    restored.kind = "custom";
    restored.arguments = customInput(p.arguments);
  }
  return restored;
}

/** The free text of a wrapped custom call (`{"input": "…"}`); the raw arguments if the model wrote something else. */
function customInput(args: string): string {
  try {
    const parsed = JSON.parse(args) as { input?: unknown };
    return typeof parsed?.input === "string" ? parsed.input : args;
  } catch {
    return args;
  }
}

/**
 * Names are restored on part-start and part-end. A custom tool's argument deltas are JSON
 * fragments of the wrapper: they are held, and the free text goes out whole before the part ends.
 */
function restoreStream(map: Map<string, Original>): StreamTransform {
  const customParts = new Set<number>();
  return {
    chunk(c: StreamChunk) {
      if (!c.events.some((e) => isToolCallEvent(e) || (e.type === "tool-args-delta" && customParts.has(e.index)))) return [c];
      const events: StreamEvent[] = [];
      for (const e of c.events) {
        if (e.type === "tool-args-delta" && customParts.has(e.index)) continue;
        if (!isToolCallEvent(e)) {
          events.push(e);
          continue;
        }
        const part = restorePart(e.part, map) as ToolCallPart;
        if (part.kind === "custom" && e.part.kind !== "custom") {
          if (e.type === "part-start") {
            customParts.add(e.index);
            events.push({ ...e, part: { ...part, arguments: "" } });
            continue;
          }
          if (part.arguments) events.push({ type: "tool-args-delta", index: e.index, delta: part.arguments });
        }
        events.push({ ...e, part });
      }
      return [{ events, extras: c.extras }];
    },
  };
}

function isToolCallEvent(e: StreamEvent): e is Extract<StreamEvent, { type: "part-start" | "part-end" }> & { part: ToolCallPart } {
  return (e.type === "part-start" || e.type === "part-end") && e.part.type === "tool-call";
}
