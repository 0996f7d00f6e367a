import type { AssistantPart, ReasoningPart, TextPart, ToolCallPart } from "../../src/canonical/content.ts";
import type { CanonicalError } from "../../src/canonical/error.ts";
import type { JsonObject, Origin } from "../../src/canonical/extras.ts";
import type { StreamChunk, StreamEvent } from "../../src/canonical/stream.ts";
import type { NativeEvent, StreamDecoder } from "../types.ts";
import type { CohereCitation, CohereUsage } from "./cohere-api-types.ts";
import { FORMAT, isObject, nativeRest } from "./cohere-extras.ts";
import { decodeCohereCitation } from "./convert-cohere-citations.ts";
import { decodeCohereUsage } from "./convert-cohere-usage.ts";
import { mapCohereStopReason } from "./map-cohere-stop-reason.ts";
import { ANSWER_TOOL } from "./cohere-structured-output.ts";

const FRAME_KEYS = new Set(["type", "index", "delta"]);
const START_KEYS = new Set(["type", "id", "delta"]);
const END_KEYS = new Set(["type", "delta"]);
const END_DELTA_KEYS = new Set(["finish_reason", "usage"]);
const ORIGIN: Origin = { format: FORMAT, index: 0 };

interface Open<P extends AssistantPart> {
  index: number;
  part: P;
}

/**
 * Cohere's SSE stream (`event: <type>` + `data: <json>`, then `data: [DONE]`) as canonical chunks,
 * one per frame. Cohere numbers content blocks and tool calls separately; canonical part indexes
 * count every part in order of appearance (the plan included). The plan (Cohere's reasoning,
 * see decodePlan) streams as `tool-plan-delta`s with no start or end: its part opens at the first
 * delta and closes when anything else begins. A call of the structured-output answer tool streams
 * as the answer's text. A `message-end` with `ERROR` (or an `error` text) is an `error` event,
 * never a silent success; a stream that ends without `message-end` was cut, and `end()` says so.
 */
export function cohereStreamDecoder(): StreamDecoder {
  let nextPart = 0;
  let ended = false;
  const content = new Map<number, Open<TextPart | ReasoningPart>>();
  /** Open tool calls; the structured-output answer tool streams as text. */
  const tools = new Map<number, Open<ToolCallPart | TextPart>>();
  let realCalls = 0;
  let answered = false;
  /** Cohere content index -> canonical part index, kept after the block closes (for citations). */
  const contentParts = new Map<number, number>();
  let firstTextPart: number | undefined;
  let plan: Open<ReasoningPart> | undefined;
  let planIndex: number | undefined;
  let lastContent = -1;
  let lastTool = -1;

  function closePlan(events: StreamEvent[]): void {
    if (!plan) return;
    events.push({ type: "part-end", index: plan.index, part: plan.part });
    plan = undefined;
  }

  function closeAll(events: StreamEvent[]): void {
    closePlan(events);
    for (const open of content.values()) events.push({ type: "part-end", index: open.index, part: open.part });
    for (const open of tools.values()) events.push({ type: "part-end", index: open.index, part: open.part });
    content.clear();
    tools.clear();
  }

  function openContent(events: StreamEvent[], cohereIndex: number, thinking: boolean, initial: string): Open<TextPart | ReasoningPart> {
    const index = nextPart++;
    const part: TextPart | ReasoningPart = thinking
      ? { type: "reasoning", text: "", producer: FORMAT, origin: ORIGIN }
      : { type: "text", text: "", origin: ORIGIN };
    events.push({ type: "part-start", index, part: { ...part } });
    const open = { index, part };
    content.set(cohereIndex, open);
    contentParts.set(cohereIndex, index);
    if (!thinking) firstTextPart ??= index;
    lastContent = cohereIndex;
    if (initial !== "") appendContent(events, open, initial);
    return open;
  }

  function appendContent(events: StreamEvent[], open: Open<TextPart | ReasoningPart>, delta: string): void {
    open.part.text += delta;
    events.push(
      open.part.type === "reasoning"
        ? { type: "reasoning-delta", index: open.index, delta, channel: "text" }
        : { type: "text-delta", index: open.index, delta },
    );
  }

  /** Partial JSON is only accumulated, never parsed; the answer tool's arguments are its text. */
  function appendArgs(events: StreamEvent[], open: Open<ToolCallPart | TextPart>, args: string): void {
    if (open.part.type === "text") {
      open.part.text += args;
      events.push({ type: "text-delta", index: open.index, delta: args });
    } else {
      open.part.arguments += args;
      events.push({ type: "tool-args-delta", index: open.index, delta: args });
    }
  }

  function citationTarget(c: CohereCitation): number {
    if (c.type === "PLAN" && planIndex !== undefined) return planIndex;
    if (typeof c.content_index === "number") {
      const index = contentParts.get(c.content_index);
      if (index !== undefined) return index;
    }
    return firstTextPart ?? Math.max(0, nextPart - 1);
  }

  return {
    decode(event: NativeEvent): StreamChunk {
      const f = event.data;
      if (!isObject(f)) return { events: [] }; // `[DONE]`
      const events: StreamEvent[] = [];
      let rest = nativeRest(f, FRAME_KEYS);
      const index = typeof f.index === "number" ? f.index : undefined;
      const delta = isObject(f.delta) ? f.delta : undefined;
      const message = isObject(delta?.message) ? delta.message : undefined;
      switch (f.type) {
        case "message-start": {
          events.push(typeof f.id === "string" ? { type: "start", id: f.id } : { type: "start" });
          rest = nativeRest(f, START_KEYS);
          if (!isSkeleton(f.delta)) (rest ??= {}).delta = f.delta;
          break;
        }
        case "content-start": {
          closePlan(events);
          const c = isObject(message?.content) ? message.content : {};
          const thinking = c.type === "thinking";
          const initial = thinking ? c.thinking : c.text;
          openContent(events, index ?? lastContent + 1, thinking, typeof initial === "string" ? initial : "");
          break;
        }
        case "content-delta": {
          const cohereIndex = index ?? lastContent;
          const c = isObject(message?.content) ? message.content : {};
          const open = content.get(cohereIndex) ?? openContent(events, cohereIndex, typeof c.thinking === "string", "");
          const text = open.part.type === "reasoning" ? (c.thinking ?? c.text) : (c.text ?? c.thinking);
          appendContent(events, open, typeof text === "string" ? text : "");
          break;
        }
        case "content-end": {
          const cohereIndex = index ?? lastContent;
          const open = content.get(cohereIndex);
          if (open) {
            events.push({ type: "part-end", index: open.index, part: open.part });
            content.delete(cohereIndex);
          }
          break;
        }
        case "tool-plan-delta": {
          // The plan is Cohere's reasoning (see decodePlan).
          const text = typeof message?.tool_plan === "string" ? message.tool_plan : "";
          if (!plan) {
            const part: ReasoningPart = { type: "reasoning", text: "", producer: FORMAT, origin: ORIGIN, extras: { cohere: { $plan: true } } };
            plan = { index: nextPart++, part };
            planIndex = plan.index;
            events.push({ type: "part-start", index: plan.index, part: { ...part } });
          }
          plan.part.text += text;
          events.push({ type: "reasoning-delta", index: plan.index, delta: text, channel: "text" });
          break;
        }
        case "tool-call-start": {
          closePlan(events);
          const call = isObject(message?.tool_calls) ? message.tool_calls : {};
          const fn = isObject(call.function) ? call.function : {};
          const name = typeof fn.name === "string" ? fn.name : "";
          const part: ToolCallPart | TextPart =
            name === ANSWER_TOOL
              ? { type: "text", text: "", origin: ORIGIN }
              : { type: "tool-call", id: typeof call.id === "string" ? call.id : "", name, arguments: "", kind: "function", origin: ORIGIN };
          if (part.type === "text") answered = true;
          else realCalls++;
          const open = { index: nextPart++, part };
          lastTool = index ?? lastTool + 1;
          tools.set(lastTool, open);
          events.push({ type: "part-start", index: open.index, part: { ...part } });
          if (typeof fn.arguments === "string" && fn.arguments !== "") appendArgs(events, open, fn.arguments);
          break;
        }
        case "tool-call-delta": {
          const open = tools.get(index ?? lastTool);
          const call = isObject(message?.tool_calls) ? message.tool_calls : {};
          const args = isObject(call.function) && typeof call.function.arguments === "string" ? call.function.arguments : "";
          if (!open) return { events: [{ type: "native", format: FORMAT, value: f }] };
          appendArgs(events, open, args);
          break;
        }
        case "tool-call-end": {
          const key = index ?? lastTool;
          const open = tools.get(key);
          if (open) {
            if (open.part.type === "text" && open.part.text === "") appendArgs(events, open, "{}");
            events.push({ type: "part-end", index: open.index, part: open.part });
            tools.delete(key);
          }
          break;
        }
        case "citation-start": {
          const c = message?.citations;
          if (!isObject(c)) return { events: [{ type: "native", format: FORMAT, value: f }] };
          events.push({ type: "citation", index: citationTarget(c as CohereCitation), citation: decodeCohereCitation(c as CohereCitation) });
          break;
        }
        case "message-end": {
          ended = true;
          closeAll(events);
          rest = nativeRest(f, END_KEYS);
          const d = delta ?? {};
          const usage = isObject(d.usage) ? decodeCohereUsage(d.usage as CohereUsage) : undefined;
          if (d.finish_reason === "ERROR" || typeof d.error === "string") {
            if (usage) events.push({ type: "usage", usage });
            events.push({ type: "error", error: generationError(d) });
            const kept = nativeRest(d, USAGE_KEY);
            if (kept) (rest ??= {}).delta = kept;
          } else {
            const finishReason = typeof d.finish_reason === "string" ? d.finish_reason : undefined;
            const finish = mapCohereStopReason(finishReason);
            // A turn whose only call was the structured-output answer is a finished answer.
            if (answered && realCalls === 0 && finish.reason === "tool_calls") finish.reason = "stop";
            events.push(usage ? { type: "finish", finish, usage } : { type: "finish", finish });
            const kept = nativeRest(d, END_DELTA_KEYS);
            if (kept) (rest ??= {}).delta = kept;
          }
          break;
        }
        default: {
          // An error object instead of an event (`{message}` or `{id, message}`).
          if (f.type === undefined && typeof f.message === "string") {
            ended = true;
            return { events: [{ type: "error", error: { status: 500, kind: "upstream", message: f.message, native: { format: FORMAT, body: f } } }] };
          }
          // `citation-end`, `debug` and events this adapter does not know.
          return { events: [{ type: "native", format: FORMAT, value: f }] };
        }
      }
      return rest ? { events, extras: { cohere: rest } } : { events };
    },

    end(): StreamChunk | undefined {
      if (ended) return undefined;
      ended = true;
      const events: StreamEvent[] = [];
      closeAll(events);
      events.push({ type: "error", error: { status: 502, kind: "upstream", message: "The Cohere stream ended before message-end" } });
      return { events };
    },
  };
}

const USAGE_KEY = new Set(["usage"]);

function generationError(d: JsonObject): CanonicalError {
  const message = typeof d.error === "string" && d.error !== "" ? d.error : "Cohere stopped the generation with an error";
  return { status: 500, kind: "upstream", message };
}

/** The empty message Cohere puts in every `message-start`; anything else is kept. */
function isSkeleton(delta: unknown): boolean {
  if (!isObject(delta)) return false;
  const m = delta.message;
  if (!isObject(m) || Object.keys(delta).length !== 1) return false;
  let n = 0;
  for (const key in m) {
    n++;
    const v = m[key];
    if (key === "role" ? v !== "assistant" : key === "tool_plan" ? v !== "" : !(Array.isArray(v) && v.length === 0)) return false;
    if (key !== "role" && key !== "tool_plan" && key !== "content" && key !== "tool_calls" && key !== "citations") return false;
  }
  return n === 5;
}
