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
 * end; everything after the first held start waits too, so the client sees parts in order. A
 * part that starts while another is held is checked like any other (parts may interleave), and
 * the queue goes out once no held part is open. A held part no rewrite changes is released as
 * the chunks it came in (the upstream's own bytes); a changed one is replaced, where it ended, by
 * its rewrite's parts, and later parts are renumbered.
 */
function holdParts(ctx: RequestContext, rewrites: readonly ResponseRewrite[]): StreamTransform {
  let queue: StreamChunk[] = [];
  /** Held parts (upstream index) whose end has not come yet. */
  const open = new Set<number>();
  /** Held parts that ended while others were open: their replacement (undefined: unchanged). */
  let ended = new Map<number, AssistantPart[] | undefined>();
  /** Replaced parts so far (upstream index, parts added minus one), in index order. */
  const shifts: Array<[number, number]> = [];
  let removedCalls = 0;
  let keptCalls = 0;
  const holdable = rewrites.filter((r) => r.holds);

  const wantsHold = (part: AssistantPart) => holdable.some((r) => r.holds!(ctx, part));
  const shiftOf = (index: number): number => {
    let shift = 0;
    for (const [at, by] of shifts) if (at < index) shift += by;
    return shift;
  };

  /** Renumbers and fixes the finish of a chunk that goes out now (the same chunk when nothing changes). */
  const finalize = (c: StreamChunk): StreamChunk => {
    let events: StreamEvent[] | undefined;
    for (let i = 0; i < c.events.length; i++) {
      const e = c.events[i];
      let next = e;
      if (hasIndex(e)) {
        if (e.type === "part-end" && e.part.type === "tool-call") keptCalls++;
        const shift = shifts.length > 0 ? shiftOf(e.index) : 0;
        if (shift !== 0) next = { ...e, index: e.index + shift } as StreamEvent;
      } else if (e.type === "finish") {
        const finish = finishAfterRewrite(e.finish, removedCalls, keptCalls, ctx.target?.format);
        if (finish !== e.finish) next = { ...e, finish };
      }
      if (next !== e) events ??= c.events.slice(0, i);
      events?.push(next);
    }
    return events ? { events, extras: c.extras } : c;
  };

  /** Notes held starts and ends in a chunk that joins the queue. */
  const scan = (c: StreamChunk): void => {
    for (const e of c.events) {
      if (e.type === "part-start" && !open.has(e.index) && wantsHold(e.part)) open.add(e.index);
      else if (e.type === "part-end" && open.has(e.index)) {
        open.delete(e.index);
        ended.set(e.index, rewritePartWith(ctx, rewrites, e.part));
      }
    }
  };

  /** Sends the queue: replaced parts' events out, their replacements in where they ended. */
  const release = (): StreamChunk[] => {
    const waiting = queue;
    const replaced = ended;
    queue = [];
    ended = new Map();
    const out: StreamChunk[] = [];
    /** Replaced parts whose start went by and whose end has not. */
    const inside = new Set<number>();
    for (const c of waiting) {
      // A frame that says nothing canonical inside a replaced part is that part's own (Responses'
      // `function_call_arguments.done`): it goes with the part.
      if (c.events.length === 0 && inside.size > 0) continue;
      if (!c.events.some((e) => hasIndex(e) && replaced.get(e.index) !== undefined)) {
        out.push(finalize(c));
        continue;
      }
      for (const e of c.events) {
        if (e.type === "part-start" && replaced.get(e.index) !== undefined) inside.add(e.index);
        else if (e.type === "part-end") inside.delete(e.index);
      }
      let events: StreamEvent[] = [];
      const flush = () => {
        if (events.length > 0) out.push(finalize({ events, extras: c.extras }));
        events = [];
      };
      for (const e of c.events) {
        const replacement = hasIndex(e) ? replaced.get(e.index) : undefined;
        if (!replacement) {
          events.push(e);
          continue;
        }
        if (e.type !== "part-end") continue;
        flush();
        if (e.part.type === "tool-call") removedCalls++;
        const index = e.index + shiftOf(e.index);
        const added: StreamEvent[] = [];
        replacement.forEach((part, i) => added.push(...partEvents(index + i, part)));
        for (const part of replacement) if (part.type === "tool-call") keptCalls++;
        shifts.push([e.index, replacement.length - 1]);
        if (added.length > 0) out.push({ events: added });
      }
      flush();
    }
    return out;
  };

  return {
    chunk(c) {
      scan(c);
      if (queue.length === 0 && open.size === 0 && ended.size === 0) return [finalize(c)];
      queue.push(c);
      return open.size === 0 ? release() : [];
    },
    // The upstream ended with a held part still open (a cut stream): what completed goes out; an
    // unfinished held part never was judged, so it is dropped rather than sent unchecked.
    flush() {
      if (queue.length === 0) return [];
      const unfinished = new Set(open);
      open.clear();
      const dropped = (e: StreamEvent) => hasIndex(e) && unfinished.has(e.index);
      queue = queue.flatMap((c) => (c.events.some(dropped) ? [{ events: c.events.filter((e) => !dropped(e)), extras: c.extras }] : [c])).filter((c) => c.events.length > 0);
      return release();
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
