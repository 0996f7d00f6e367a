import type { AssistantPart } from "../canonical/content.ts";
import type { StreamChunk, StreamEvent } from "../canonical/stream.ts";
import type { RequestContext } from "./context.ts";
import { finishAfterRewrite, rewritePartWith, type ResponseRewrite, type TextRewrite } from "./response-modifier.ts";
import { holdTextLookahead } from "./stream-text-lookahead.ts";
import type { StreamTransform } from "./stage.ts";

type PartEvent = Extract<StreamEvent, { index: number }>;

const hasIndex = (e: StreamEvent): e is PartEvent => "index" in e;

/** The stream side of the response modifier: whole-part holds, then text lookahead. */
export function modifyStream(ctx: RequestContext, partRewrites: readonly ResponseRewrite[], texts: readonly TextRewrite[]): StreamTransform {
  const stages: StreamTransform[] = [];
  if (partRewrites.length > 0) stages.push(holdParts(ctx, partRewrites));
  if (texts.length > 0) stages.push(holdTextLookahead(texts));
  if (stages.length === 1) return stages[0];
  return {
    chunk: (c) => stages[0].chunk(c).flatMap((x) => stages[1].chunk(x)),
    flush: () => [...(stages[0].flush?.() ?? []).flatMap((x) => stages[1].chunk(x)), ...(stages[1].flush?.() ?? [])],
  };
}

/**
 * Parts some rewrite holds (tool calls under a blocking policy) wait from their start to their
 * end; everything after them waits too, so the client sees parts in order. A held part no rewrite
 * changes is released as the chunks it came in (the upstream's own bytes); a changed one is
 * replaced by its rewrite's parts, and later parts are renumbered.
 */
function holdParts(ctx: RequestContext, rewrites: readonly ResponseRewrite[]): StreamTransform {
  let queue: StreamChunk[] = [];
  let held: number | undefined;
  let shift = 0;
  let removedCalls = 0;
  let keptCalls = 0;
  const holdable = rewrites.filter((r) => r.holds);

  const wantsHold = (part: AssistantPart) => holdable.some((r) => r.holds!(ctx, part));

  /** Renumbers and fixes the finish of a chunk that goes out now. */
  const finalize = (c: StreamChunk): StreamChunk => {
    let changed = false;
    const events = c.events.map((e) => {
      if (hasIndex(e) && shift !== 0) {
        changed = true;
        return { ...e, index: e.index + shift } as StreamEvent;
      }
      if (e.type === "part-end" && e.part.type === "tool-call") keptCalls++;
      if (e.type === "finish") {
        const finish = finishAfterRewrite(e.finish, removedCalls, keptCalls);
        if (finish !== e.finish) {
          changed = true;
          return { ...e, finish };
        }
      }
      return e;
    });
    return changed ? { events, extras: c.extras } : c;
  };

  /** The first part start in `events` (from `from`) that must be held, if any. */
  const nextHold = (events: StreamEvent[], from = 0): number => {
    for (let i = from; i < events.length; i++) {
      const e = events[i];
      if (e.type === "part-start" && wantsHold(e.part)) return i;
    }
    return -1;
  };

  const resolve = (endChunk: StreamChunk, endAt: number): StreamChunk[] => {
    const end = endChunk.events[endAt] as Extract<StreamEvent, { type: "part-end" }>;
    const index = held!;
    held = undefined;
    const replacement = rewritePartWith(ctx, rewrites, end.part);
    const waiting = queue;
    queue = [];
    // Events after the held part's end in the same chunk belong to what follows it.
    const tail = endChunk.events.slice(endAt + 1);
    const split = tail.length > 0;
    const head: StreamChunk = split ? { events: endChunk.events.slice(0, endAt + 1), extras: endChunk.extras } : endChunk;
    const chunks = [...waiting.slice(0, -1), head];
    let out: StreamChunk[];
    if (!replacement) {
      out = chunks.map(finalize);
    } else {
      if (end.part.type === "tool-call") removedCalls++;
      out = [];
      for (const c of chunks) {
        const rest = c.events.filter((e) => !(hasIndex(e) && e.index === index));
        if (rest.length > 0) out.push(finalize({ events: rest, extras: c.extras }));
      }
      const events: StreamEvent[] = [];
      replacement.forEach((part, i) => events.push(...partEvents(index + shift + i, part)));
      for (const p of replacement) if (p.type === "tool-call") keptCalls++;
      if (events.length > 0) out.push({ events });
      shift += replacement.length - 1;
    }
    if (split) out.push(...accept({ events: tail, extras: endChunk.extras }));
    return out;
  };

  const accept = (c: StreamChunk): StreamChunk[] => {
    if (held === undefined) {
      const at = nextHold(c.events);
      if (at === -1) return [finalize(c)];
      held = (c.events[at] as PartEvent).index;
    }
    queue.push(c);
    const endAt = c.events.findIndex((e) => e.type === "part-end" && e.index === held);
    return endAt === -1 ? [] : resolve(c, endAt);
  };

  return {
    chunk: accept,
    // The upstream ended inside a held part (a cut stream): release what waited, unchanged.
    flush() {
      const out = queue.map(finalize);
      queue = [];
      held = undefined;
      return out;
    },
  };
}

/** The events that stream one complete part. */
export function partEvents(index: number, part: AssistantPart): StreamEvent[] {
  switch (part.type) {
    case "text":
    case "refusal":
      return [{ type: "part-start", index, part: { ...part, text: "" } }, { type: "text-delta", index, delta: part.text }, { type: "part-end", index, part }];
    case "tool-call":
      return [{ type: "part-start", index, part: { ...part, arguments: "" } }, { type: "tool-args-delta", index, delta: part.arguments }, { type: "part-end", index, part }];
    case "reasoning":
      return [
        { type: "part-start", index, part: { type: "reasoning" } },
        ...(part.text ? [{ type: "reasoning-delta" as const, index, delta: part.text, channel: "text" as const }] : []),
        { type: "part-end", index, part },
      ];
    case "native":
      return [{ type: "part-start", index, part }, { type: "part-end", index, part }];
  }
}
