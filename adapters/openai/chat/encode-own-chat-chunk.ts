import type { ToolCallPart } from "../../../src/canonical/content.ts";
import type { JsonObject } from "../../../src/canonical/extras.ts";
import type { StreamChunk, StreamEvent } from "../../../src/canonical/stream.ts";
import { HINT } from "./chat-chunk-hints.ts";
import { copyNative, isObject, mainChoice, objectAt } from "./chat-extras.ts";
import { withThoughtSignature } from "./convert-chat-tool-calls.ts";
import { encodeChatUsage } from "./convert-chat-usage.ts";
import { encodeChatFinishReason } from "./map-chat-finish-reason.ts";

/**
 * The stream's tool-call numbering: where a call the upstream did not send (a stage added it)
 * goes, and the index a call the upstream sent goes out with — its own, unless a stage removed
 * calls before it (they never reach the encoder), in which case the gap is closed: SDKs turn a
 * gap into a sparse array.
 */
export interface ToolNumbering {
  indexOf(part: number): number;
  /** `upstream`: the call's index as sent; `base`: the stream's first upstream index. */
  renumber(upstream: number, base: number): number;
}

/**
 * Rebuilds a chunk decoded from Chat from its skeleton (extras) and its events — the events
 * win: a stage that rewrote text, renamed a tool or dropped a call changes the output, and
 * nothing the events do not say comes back from the skeleton.
 */
export function encodeOwnChatChunk(chunk: StreamChunk, skeleton: JsonObject, tools: ToolNumbering): JsonObject {
  const frame: JsonObject = {};
  for (const e of chunk.events) {
    if (e.type === "start") {
      if (e.id !== undefined) frame.id = e.id;
      if (e.model !== undefined) frame.model = e.model;
      if (e.created !== undefined) frame.created = e.created;
    } else if (e.type === "usage" || (e.type === "finish" && e.usage)) {
      frame.usage = encodeChatUsage(e.usage!, true);
    }
  }
  const choices = Array.isArray(skeleton.choices) ? skeleton.choices : [];
  const main = mainChoice(choices);
  const built = encodeMainChoice(chunk.events, main >= 0 ? (choices[main] as JsonObject) : undefined, skeleton, tools);
  if (main >= 0) frame.choices = choices.map((c, i) => (i === main ? built : c));
  else if (built !== undefined) frame.choices = [...choices, built];
  return copyNative(skeleton, frame);
}

function encodeMainChoice(events: readonly StreamEvent[], choice: JsonObject | undefined, hints: JsonObject, tools: ToolNumbering): JsonObject | undefined {
  const refusalPart = hints[HINT.refusal];
  let content: string | undefined;
  let refusal: string | undefined;
  let reasoning: string | undefined;
  let signature: string | undefined;
  let finish: string | undefined;
  const starts = new Map<number, ToolCallPart>();
  const args = new Map<number, string>();
  for (const e of events) {
    switch (e.type) {
      case "text-delta":
        if (e.index === refusalPart) refusal = (refusal ?? "") + e.delta;
        else content = (content ?? "") + e.delta;
        break;
      case "reasoning-delta":
        reasoning = (reasoning ?? "") + e.delta;
        break;
      case "reasoning-signature":
        signature = (signature ?? "") + e.signature;
        break;
      case "part-start":
        if (e.part.type === "tool-call") starts.set(e.index, e.part);
        break;
      case "tool-args-delta":
        args.set(e.index, (args.get(e.index) ?? "") + e.delta);
        break;
      case "finish":
        finish = encodeChatFinishReason(e.finish, true);
        break;
    }
  }
  const skeletonDelta = objectAt(choice, "delta");
  const delta: JsonObject = {};
  if (content !== undefined) delta.content = content;
  if (refusal !== undefined) delta.refusal = refusal;
  const key = hints[HINT.reasoningKey];
  if (reasoning !== undefined && key !== "details") delta[key === "reasoning" ? "reasoning" : "reasoning_content"] = reasoning;
  if (reasoning !== undefined || signature !== undefined) {
    const details = fillDetails(skeletonDelta?.reasoning_details, reasoning, signature);
    if (details !== undefined) delta.reasoning_details = details;
  }
  const calls = toolCalls(skeletonDelta, hints, starts, args, tools);
  if (calls !== undefined && calls.length > 0) delta.tool_calls = calls;
  const legacy = hints[HINT.legacyPart];
  if (typeof legacy === "number" && (starts.has(legacy) || args.has(legacy))) {
    const fc: JsonObject = {};
    const start = starts.get(legacy);
    if (start !== undefined) fc.name = start.name;
    const a = args.get(legacy);
    if (a) fc.arguments = a;
    delta.function_call = copyNative(objectAt(skeletonDelta, "function_call"), fc);
  }
  if (choice === undefined) {
    if (Object.keys(delta).length === 0 && finish === undefined) return undefined;
    return { index: 0, delta, finish_reason: finish ?? null };
  }
  const out: JsonObject = { delta: copyNative(skeletonDelta, delta) };
  // Every call of the chunk was dropped by a stage: its kept entries must not come back.
  if (calls !== undefined && calls.length === 0) delete (out.delta as JsonObject).tool_calls;
  if (finish !== undefined) out.finish_reason = finish;
  return copyNative(choice, out);
}

/** OpenRouter entries whose text and signature the events carry. */
function fillDetails(kept: unknown, text: string | undefined, signature: string | undefined): unknown[] | undefined {
  if (!Array.isArray(kept)) return signature === undefined ? undefined : [{ type: "reasoning.text", signature }];
  return kept.map((entry) => {
    if (!isObject(entry) || entry.type !== "reasoning.text") return entry;
    const filled: JsonObject = {};
    if (text !== undefined && !("text" in entry)) filled.text = text;
    if (signature !== undefined && !("signature" in entry)) filled.signature = signature;
    return copyNative(entry, filled);
  });
}

/**
 * The delta's `tool_calls`: each kept entry gets back its call's id, name and arguments from the
 * events; an entry whose call has no event in the chunk was dropped by a stage and is left out;
 * a call only the events know is added in the standard form.
 */
function toolCalls(
  skeletonDelta: JsonObject | undefined,
  hints: JsonObject,
  starts: Map<number, ToolCallPart>,
  args: Map<number, string>,
  tools: ToolNumbering,
): unknown[] | undefined {
  const base = typeof hints[HINT.toolBase] === "number" ? (hints[HINT.toolBase] as number) : 0;
  const kept = Array.isArray(skeletonDelta?.tool_calls) ? skeletonDelta.tool_calls : [];
  const parts = Array.isArray(hints[HINT.toolParts]) ? (hints[HINT.toolParts] as number[]) : [];
  const legacy = hints[HINT.legacyPart];
  const out: unknown[] = [];
  const done = new Set<number>();
  for (let k = 0; k < kept.length; k++) {
    const entry = kept[k];
    const part = parts[k] ?? -1;
    if (part === -1 || !isObject(entry)) {
      out.push(entry);
      continue;
    }
    if (!starts.has(part) && !args.has(part)) continue;
    done.add(part);
    const index = typeof entry.index === "number" ? tools.renumber(entry.index, base) : entry.index;
    out.push(toolEntry(index === entry.index ? entry : { ...entry, index }, starts.get(part), args.get(part), false));
  }
  for (const part of new Set([...starts.keys(), ...args.keys()])) {
    if (done.has(part) || part === legacy) continue;
    out.push(toolEntry({ index: tools.indexOf(part), type: starts.get(part)?.kind === "custom" ? "custom" : "function" }, starts.get(part), args.get(part), true));
  }
  // Undefined: the chunk had no calls; empty: it had, and a stage dropped them all.
  return out.length > 0 || kept.length > 0 ? out : undefined;
}

/** `added`: a call the upstream did not send, written in the standard form (arguments "" to begin). */
function toolEntry(entry: JsonObject, start: ToolCallPart | undefined, args: string | undefined, added: boolean): JsonObject {
  const custom = entry.type === "custom" || isObject(entry.custom) || start?.kind === "custom";
  const fnKey = custom ? "custom" : "function";
  const fn: JsonObject = {};
  const out: JsonObject = {};
  if (start !== undefined) {
    out.id = start.id;
    fn.name = start.name;
    if (start.signature !== undefined) out.extra_content = withThoughtSignature(objectAt(entry, "extra_content"), start.signature);
  }
  if (args || (added && start !== undefined)) fn[custom ? "input" : "arguments"] = args ?? "";
  if (Object.keys(fn).length > 0 || fnKey in entry) out[fnKey] = copyNative(objectAt(entry, fnKey), fn);
  return copyNative(entry, out);
}

/** The upstream `tool_calls` indexes of the calls this chunk carries (those a stage left in it). */
export function upstreamToolIndexes(chunk: StreamChunk, skeleton: JsonObject): number[] {
  const choices = Array.isArray(skeleton.choices) ? skeleton.choices : [];
  const main = mainChoice(choices);
  const delta = main >= 0 ? objectAt(choices[main] as JsonObject, "delta") : undefined;
  const entries = Array.isArray(delta?.tool_calls) ? delta.tool_calls : [];
  const parts = Array.isArray(skeleton[HINT.toolParts]) ? (skeleton[HINT.toolParts] as number[]) : [];
  const present = new Set<number>();
  for (const e of chunk.events) if ("index" in e) present.add(e.index);
  const out: number[] = [];
  entries.forEach((entry, k) => {
    if (isObject(entry) && typeof entry.index === "number" && present.has(parts[k] ?? -1)) out.push(entry.index);
  });
  return out;
}
