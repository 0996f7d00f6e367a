import type { StreamChunk, StreamEvent } from "../canonical/stream.ts";
import { applyText, type TextRewrite } from "./response-modifier.ts";
import type { StreamTransform } from "./stage.ts";

interface Pending {
  chunk: StreamChunk;
  /** Text this chunk adds to the current text part. */
  text: string;
}

/**
 * Text rewrites on a stream. Text goes out as soon as the last `lookahead` characters cannot
 * hide the start of a match: chunks entirely before that point are released — unchanged, with
 * their raw bytes, when the rewrite left their text alone; merged into one rewritten delta when
 * it did not. A release never cuts through a match (rewriting the parts separately must give
 * what rewriting the whole gives), so a secret split across chunks is still found.
 */
export function holdTextLookahead(texts: readonly TextRewrite[]): StreamTransform {
  const lookahead = Math.max(...texts.map((t) => t.lookahead));
  const rewrite = (s: string) => applyText(texts, s);
  let queue: Pending[] = [];
  let current: number | undefined;
  let original = "";
  let sent = "";

  const textOf = (c: StreamChunk): string => {
    let t = "";
    for (const e of c.events) if (e.type === "text-delta" && e.index === current) t += e.delta;
    return t;
  };

  /** Releases the first `count` queued chunks, rewriting their text when that changes it. */
  const release = (count: number, final: boolean): StreamChunk[] => {
    const taken = queue.slice(0, count);
    queue = queue.slice(count);
    const text = taken.map((p) => p.text).join("");
    const out = rewrite(text);
    sent += out;
    if (out === text) return taken.map((p) => fixPartEnd(p.chunk, final));
    // One delta carries the rewritten text, where the first delta was; other events stay in order.
    const events: StreamEvent[] = [];
    let placed = false;
    for (const p of taken) {
      for (const e of p.chunk.events) {
        if (e.type === "text-delta" && e.index === current) {
          if (!placed && out) events.push({ ...e, delta: out });
          placed = true;
        } else events.push(e);
      }
    }
    return [fixPartEnd({ events, extras: taken[0].chunk.extras }, final)];
  };

  /** The part-end of a rewritten text part carries the text actually sent. */
  const fixPartEnd = (c: StreamChunk, final: boolean): StreamChunk => {
    if (!final || sent === original) return c;
    const events = c.events.map((e) => (e.type === "part-end" && e.index === current && e.part.type === "text" ? { ...e, part: { ...e.part, text: sent } } : e));
    return { events, extras: c.extras };
  };

  /** How many queued chunks lie wholly before the lookahead window and can go without splitting a match. */
  const releasable = (): number => {
    const all = queue.map((p) => p.text).join("");
    const cut = all.length - lookahead;
    let len = 0;
    let count = 0;
    for (const p of queue) {
      if (len + p.text.length > cut) break;
      len += p.text.length;
      count++;
    }
    if (count === 0) return 0;
    const head = all.slice(0, len);
    const tail = all.slice(len);
    return rewrite(head) + rewrite(tail) === rewrite(all) ? count : 0;
  };

  return {
    chunk(c) {
      for (const e of c.events) {
        if (e.type === "part-start" && e.part.type === "text") {
          current = e.index;
          original = sent = "";
        }
      }
      const text = textOf(c);
      const ends = current !== undefined && c.events.some((e) => e.type === "part-end" && e.index === current);
      if (queue.length === 0 && text === "" && !ends) return [c];
      original += text;
      queue.push({ chunk: c, text });
      if (ends) {
        const out = release(queue.length, true);
        current = undefined;
        return out;
      }
      const n = releasable();
      return n > 0 ? release(n, false) : [];
    },
    flush() {
      if (queue.length === 0) return [];
      return release(queue.length, true);
    },
  };
}
