import type { AssistantPart } from "../canonical/content.ts";
import type { Finish, Usage } from "../canonical/response.ts";
import type { StreamChunk } from "../canonical/stream.ts";

/** A streamed answer as the log stores it: the shape of a CanonicalResponse. */
export interface CollectedResponse {
  id?: string;
  model?: string;
  content: AssistantPart[];
  finish?: Finish;
  usage?: Usage;
  /** The stream ended before it finished (client gone, upstream failed). */
  incomplete?: boolean;
}

/**
 * Rebuilds the answer the client was sent from the canonical stream, for the interaction log.
 * Finished parts arrive whole in `part-end`, so only text of a part still open is assembled from
 * deltas (an interrupted stream keeps what was sent).
 */
export class StreamResponseCollector {
  #id: string | undefined;
  #model: string | undefined;
  readonly #parts: AssistantPart[] = [];
  readonly #open = new Map<number, string[]>();
  #finish: Finish | undefined;
  #usage: Usage | undefined;

  observe(chunk: StreamChunk): void {
    for (const e of chunk.events) {
      switch (e.type) {
        case "start":
          this.#id ??= e.id;
          this.#model ??= e.model;
          break;
        case "part-start":
          this.#parts[e.index] = e.part;
          this.#open.set(e.index, []);
          break;
        case "text-delta":
        case "reasoning-delta":
        case "tool-args-delta":
          this.#open.get(e.index)?.push(e.delta);
          break;
        case "part-end":
          this.#parts[e.index] = e.part;
          this.#open.delete(e.index);
          break;
        case "usage":
          this.#usage = e.usage;
          break;
        case "finish":
          this.#finish = e.finish;
          if (e.usage) this.#usage = e.usage;
          break;
      }
    }
  }

  get id(): string | undefined {
    return this.#id;
  }

  result(): CollectedResponse {
    const content: AssistantPart[] = [];
    for (let i = 0; i < this.#parts.length; i++) {
      const part = this.#parts[i];
      if (!part) continue;
      const deltas = this.#open.get(i);
      content.push(deltas && deltas.length > 0 ? withDeltas(part, deltas.join("")) : part);
    }
    const out: CollectedResponse = { content };
    if (this.#id) out.id = this.#id;
    if (this.#model) out.model = this.#model;
    if (this.#finish) out.finish = this.#finish;
    if (this.#usage) out.usage = this.#usage;
    if (!this.#finish || this.#open.size > 0) out.incomplete = true;
    return out;
  }
}

/** An unfinished part with what its deltas carried so far. */
function withDeltas(part: AssistantPart, text: string): AssistantPart {
  switch (part.type) {
    case "text":
      return { ...part, text: part.text + text };
    case "reasoning":
      return { ...part, text: (part.text ?? "") + text };
    case "tool-call":
      return { ...part, arguments: part.arguments + text };
    default:
      return part;
  }
}
