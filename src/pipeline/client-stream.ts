import { once } from "node:events";
import type { ServerResponse } from "node:http";
import type { FrameWriter, FramingCodec } from "../../adapters/shared/stream-framing.ts";
import type { NativeEvent } from "../../adapters/types.ts";

/** How long frames carrying only response metadata may wait for content before headers go out. */
const COMMIT_AFTER_MS = 1000;
/**
 * Silence longer than this gets a keep-alive frame: while a stage holds a tool call back, or the
 * model thinks, clients must not give up (Claude Code does after about 20 s).
 */
export const KEEP_ALIVE_MS = 5000;

export interface ClientStreamOptions {
  framing: FramingCodec;
  headers: Record<string, string>;
  status: number;
  /** The client format's own keep-alive frames (Anthropic's `ping`); else the framing's (an SSE comment). */
  keepAlive?: () => NativeEvent[];
  keepAliveMs?: number;
}

/**
 * The client side of a stream: headers committed late (an upstream failure before any content
 * can still be a real HTTP error), frames buffered until then, backpressure, keep-alives.
 */
export class ClientStream {
  committed = false;
  backpressured = false;
  readonly #res: ServerResponse;
  readonly #writer: FrameWriter;
  readonly #options: ClientStreamOptions;
  #held: Array<string | Uint8Array> = [];
  #commitTimer: NodeJS.Timeout | undefined;
  #keepAliveTimer: NodeJS.Timeout | undefined;
  #lastWrite = performance.now();

  constructor(res: ServerResponse, options: ClientStreamOptions) {
    this.#res = res;
    this.#writer = options.framing.writer();
    this.#options = options;
    const every = options.keepAliveMs ?? KEEP_ALIVE_MS;
    this.#keepAliveTimer = setInterval(() => this.#keepAlive(every), Math.max(250, every / 2));
    this.#keepAliveTimer.unref();
  }

  events(events: NativeEvent[], content: boolean): void {
    for (const e of events) this.#push(this.#writer.write(e));
    if (content) this.#commit();
  }

  raw(bytes: string | Uint8Array, content: boolean): void {
    this.#push(bytes);
    if (content) this.#commit();
  }

  /**
   * Frames written between `batch()` and `flush()` leave in one system call: one upstream read
   * usually carries several frames, and a write per frame costs more than building them.
   */
  batch(): void {
    if (this.committed) this.#res.cork();
  }

  flush(): void {
    if (this.#res.writableCorked) this.#res.uncork();
  }

  drain(): Promise<unknown> {
    return once(this.#res, "drain").then(() => (this.backpressured = false));
  }

  end(): void {
    const tail = this.#writer.end();
    if (tail !== undefined) this.#push(tail);
    this.#commit();
    this.#stopTimers();
    this.#res.end();
  }

  /** Nothing was sent and nothing will be: the caller answers with an error instead. */
  discard(): void {
    this.#stopTimers();
    this.#held = [];
  }

  #keepAlive(every: number): void {
    if (this.#res.writableEnded || this.#res.destroyed) return this.#stopTimers();
    if (!this.committed || performance.now() - this.#lastWrite < every) return;
    const own = this.#options.keepAlive?.() ?? [];
    if (own.length > 0) for (const e of own) this.#push(this.#writer.write(e));
    else {
      const frame = this.#writer.keepAlive?.();
      if (frame !== undefined) this.#push(frame);
    }
  }

  #push(bytes: string | Uint8Array): void {
    if (this.committed) {
      this.#lastWrite = performance.now();
      if (!this.#res.write(bytes)) this.backpressured = true;
      return;
    }
    this.#held.push(bytes);
    this.#commitTimer ??= setTimeout(() => this.#commit(), COMMIT_AFTER_MS);
  }

  #commit(): void {
    if (this.committed) return;
    this.committed = true;
    clearTimeout(this.#commitTimer);
    this.#res.writeHead(this.#options.status, {
      ...this.#options.headers,
      "content-type": this.#options.framing.contentType,
      "cache-control": "no-cache",
      "x-accel-buffering": "no",
    });
    this.#res.flushHeaders();
    this.#lastWrite = performance.now();
    for (const b of this.#held) if (!this.#res.write(b)) this.backpressured = true;
    this.#held = [];
  }

  #stopTimers(): void {
    clearTimeout(this.#commitTimer);
    clearInterval(this.#keepAliveTimer);
  }
}
