import type { ServerResponse } from "node:http";
import { ProxyError, type CanonicalError } from "../canonical/error.ts";
import type { StreamChunk } from "../canonical/stream.ts";
import type { Frame } from "../../adapters/shared/stream-framing.ts";
import { transportError } from "../http/upstream-transport.ts";
import { ClientStream } from "./client-stream.ts";
import type { RequestContext } from "./context.ts";
import { observeChunk } from "./observe-chunk.ts";
import { responseHeaders, type PipelineRun } from "./pipeline-run.ts";
import type { StreamTransform } from "./stage.ts";
import { decodeUpstreamError } from "./upstream-error.ts";
import { toCanonicalError } from "./write-error.ts";

/**
 * Streams an upstream answer to the client as it arrives. Each native frame is decoded into a
 * canonical chunk, passed through the stages' transforms, and written: as the upstream's own
 * bytes when the client speaks the same format and nothing changed the chunk, else encoded in
 * the client's format. Headers are committed late: an upstream failure before any content still
 * reaches the client as a real HTTP error with its status.
 */
export async function deliverStream(ctx: RequestContext, run: PipelineRun, res: ServerResponse): Promise<void> {
  const { stages } = run;
  const target = ctx.target!;
  const upstream = ctx.upstream!;
  if (upstream.status >= 400) {
    const text = await upstream.body.text();
    throw new ProxyError(decodeUpstreamError(ctx, target, upstream.status, text, upstream.headers));
  }
  const upstreamFraming = run.providers.framing(target.framing);
  const clientFraming = run.providers.framing(ctx.clientFraming);
  // Unchanged frames go out as the upstream's own bytes when both sides frame them alike.
  const sameFormat = target.format === ctx.clientFormat && upstreamFraming === clientFraming && clientFraming.rawFrames;
  const reader = upstreamFraming.reader();
  const decoder = target.codec.streamDecoder();
  const encoder = ctx.clientCodec.streamEncoder({ request: ctx.request, model: target.model });
  const transforms: StreamTransform[] = [];
  for (const s of stages) {
    const t = s.stream?.(ctx);
    if (t) transforms.push(t);
  }
  const out = new ClientStream(res, {
    framing: clientFraming,
    headers: responseHeaders(ctx),
    status: upstream.status,
    ...(encoder.keepAlive && { keepAlive: () => encoder.keepAlive!() }),
  });
  ctx.status = upstream.status;

  // Once a stage sent something the upstream did not (a changed, merged or new chunk), the
  // client's stream is ours: later chunks are encoded too, so the format's own bookkeeping
  // (Responses' sequence numbers and `.done` events that repeat content) stays consistent with
  // what was actually sent. A chunk a stage only held back and released is still the upstream's.
  let diverged = false;
  const originals = new WeakSet<StreamChunk>();
  const emit = (chunk: StreamChunk): CanonicalError | undefined => {
    observeChunk(ctx, chunk);
    originals.add(chunk);
    return write(transforms.length === 0 ? [chunk] : applyTransforms(transforms, chunk));
  };
  /** Writes what the stages let through; returns the error an upstream error event carried. */
  const write = (outChunks: StreamChunk[]): CanonicalError | undefined => {
    for (const c of outChunks) {
      if (!diverged && !originals.has(c)) diverged = true;
      if (c.events.length > 0 && ctx.firstTokenAt === undefined && hasContent(c)) ctx.firstTokenAt = performance.now();
      const failed = c.events.find((e) => e.type === "error");
      if (failed && failed.type === "error" && !out.committed) return failed.error;
      if (sameFormat && c.raw && !diverged) {
        out.raw(c.raw.bytes, hasContent(c));
        if (encoder.observe) encoder.observe(c);
        else encoder.encode(c);
      } else out.events(encoder.encode(c), hasContent(c));
      if (failed) return failed.type === "error" ? failed.error : undefined;
    }
    return undefined;
  };

  const decodeFrame = (frame: Frame): StreamChunk => {
    const chunk = decoder.decode(frame.event);
    chunk.raw = { format: target.format, bytes: frame.raw };
    return chunk;
  };

  let failure: CanonicalError | undefined;
  try {
    for await (const bytes of upstream.body) {
      out.batch();
      for (const frame of reader.push(bytes as Uint8Array)) {
        failure = emit(decodeFrame(frame));
        if (failure) break;
      }
      out.flush();
      if (failure) break;
      if (out.backpressured) await out.drain();
    }
    if (!failure) {
      for (const frame of reader.end()) failure ??= emit(decodeFrame(frame));
      const tail = decoder.end();
      if (tail && !failure) failure = emit(tail);
      failure ??= write(flushTransforms(transforms));
    }
  } catch (err) {
    if (ctx.abort.signal.aborted) {
      out.discard();
      throw transportError(err, target.provider.id);
    }
    failure = streamFailure(err, target.provider.id);
  }

  if (failure) {
    // Stop reading an upstream we no longer listen to, so its socket is not left half-read.
    if (!upstream.body.readableEnded) upstream.body.destroy();
    ctx.error = failure;
    ctx.status = failure.status;
    if (!out.committed) {
      out.discard();
      throw new ProxyError(failure);
    }
    out.events(encoder.error(failure), true);
    out.end();
    return;
  }
  out.events(encoder.end(), true);
  out.end();
}

/** Network trouble reading the upstream is a 502/504; anything else is our bug, reported as a 500. */
function streamFailure(err: unknown, provider: string): CanonicalError {
  if (err instanceof ProxyError) return err.error;
  const code = (err as { code?: unknown })?.code;
  if (typeof code === "string" && (code.startsWith("UND_ERR") || code.startsWith("E"))) return transportError(err, provider).error;
  console.error("portcullis: stream delivery failed", err);
  return toCanonicalError(err);
}

function applyTransforms(transforms: StreamTransform[], chunk: StreamChunk, from = 0): StreamChunk[] {
  let chunks = [chunk];
  for (let i = from; i < transforms.length; i++) chunks = chunks.flatMap((c) => transforms[i].chunk(c));
  return chunks;
}

/** At the upstream's end: what each stage still holds, passed through the stages after it. */
function flushTransforms(transforms: StreamTransform[]): StreamChunk[] {
  const out: StreamChunk[] = [];
  transforms.forEach((t, i) => {
    for (const c of t.flush?.() ?? []) out.push(...applyTransforms(transforms, c, i + 1));
  });
  return out;
}

/** Anything but response metadata: its arrival commits the response. */
function hasContent(chunk: StreamChunk): boolean {
  return chunk.events.some((e) => e.type !== "start" && e.type !== "usage");
}
