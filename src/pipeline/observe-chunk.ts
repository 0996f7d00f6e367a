import type { StreamChunk } from "../canonical/stream.ts";
import type { RequestContext } from "./context.ts";

/** Keeps what the log needs from an upstream stream chunk: model, usage, finish. */
export function observeChunk(ctx: RequestContext, chunk: StreamChunk): void {
  for (const e of chunk.events) {
    switch (e.type) {
      case "start":
        if (e.model) ctx.responseModel = e.model;
        break;
      case "usage":
        ctx.usage = e.usage;
        break;
      case "finish":
        ctx.finish = e.finish;
        if (e.usage) ctx.usage = e.usage;
        break;
    }
  }
}
