import type { ServerResponse } from "node:http";
import type { NativeEvent } from "../../adapters/types.ts";
import type { RecordedRequest, TestServer } from "../helpers/http-server.ts";

/**
 * What a fake upstream answers next. Tests enqueue replies; with an empty queue each fake answers
 * a realistic default (a short text reply that echoes the last user text), stream or not as the
 * request asked, so benches and smoke tests need no script.
 */
export type FakeReply =
  | { kind: "json"; body: unknown; status?: number; headers?: Record<string, string> }
  /** A native stream: each event framed as the provider frames it (SSE, AWS event stream, …). */
  | { kind: "stream"; events: NativeEvent[]; delayMs?: number; headers?: Record<string, string>; cutAfter?: number }
  /** Exact bytes; an array is written part by part, `delayMs` apart (to split a frame or a character across reads). */
  | { kind: "raw"; status: number; body: string | Uint8Array | Array<string | Uint8Array>; headers?: Record<string, string>; delayMs?: number }
  /** Hang up without answering (connection reset), to test upstream transport failures. */
  | { kind: "reset" };

export interface FakeUpstream extends TestServer {
  enqueue(...replies: FakeReply[]): void;
  /** The last request received, JSON-parsed body included. */
  last(): RecordedRequest & { json: unknown };
}

/** The queue every fake shares; `next()` returns undefined when the test scripted nothing. */
export function replyQueue() {
  const queue: FakeReply[] = [];
  return {
    enqueue: (...r: FakeReply[]) => void queue.push(...r),
    next: (): FakeReply | undefined => queue.shift(),
  };
}

export function lastRequest(server: TestServer): RecordedRequest & { json: unknown } {
  const req = server.requests.at(-1);
  if (!req) throw new Error("the fake upstream has received no request");
  let json: unknown;
  try {
    json = req.body ? JSON.parse(req.body) : undefined;
  } catch {
    json = undefined;
  }
  return { ...req, json };
}

/** Writes a non-stream reply (json/raw/reset); returns false for stream replies, which the fake frames itself. */
export function writeSimpleReply(res: ServerResponse, reply: FakeReply): boolean {
  switch (reply.kind) {
    case "json": {
      const body = JSON.stringify(reply.body);
      res.writeHead(reply.status ?? 200, { "content-type": "application/json", ...reply.headers });
      res.end(body);
      return true;
    }
    case "raw": {
      res.writeHead(reply.status, reply.headers);
      const parts = Array.isArray(reply.body) ? [...reply.body] : [reply.body];
      const next = () => {
        const part = parts.shift();
        if (part === undefined) return void res.end();
        res.write(part);
        setTimeout(next, reply.delayMs ?? 5);
      };
      next();
      return true;
    }
    case "reset":
      res.socket?.destroy();
      return true;
    case "stream":
      return false;
  }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
