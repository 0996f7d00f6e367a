import type { StreamChunk, StreamEvent } from "../../canonical/stream.ts";
import type { Stage } from "../stage.ts";

/**
 * The proxy asks Chat upstreams for stream usage whether or not the client did (the log needs
 * tokens). A Chat client that did not ask must not receive the usage chunk: strip it.
 */
export function streamUsageVisibility(): Stage {
  return {
    name: "stream-usage-visibility",
    stream(ctx) {
      const t = ctx.target;
      if (!ctx.request.stream || ctx.request.streamUsage || ctx.clientFormat !== "openai-chat") return undefined;
      if (!t || t.format !== "openai-chat" || !t.provider.streamUsageOption) return undefined;
      return { chunk: (c) => stripUsage(c) };
    },
  };
}

function stripUsage(chunk: StreamChunk): StreamChunk[] {
  if (!chunk.events.some((e) => e.type === "usage" || (e.type === "finish" && e.usage))) return [chunk];
  const events: StreamEvent[] = [];
  for (const e of chunk.events) {
    if (e.type === "usage") continue;
    events.push(e.type === "finish" && e.usage ? { type: "finish", finish: e.finish } : e);
  }
  return events.length > 0 ? [{ events, extras: chunk.extras }] : [];
}
