import type { ServerResponse } from "node:http";
import { pipeline } from "node:stream/promises";
import { passthroughResponseHeaders } from "../http/passthrough-headers.ts";
import { transportError } from "../http/upstream-transport.ts";
import type { RequestContext } from "./context.ts";

/**
 * An endpoint the proxy does not inspect (files, batches, count_tokens, model lists, …): the
 * provider's answer streams back as it is, status, headers and encoding included. The log still
 * records who called, what status came back and how long it took.
 */
export async function deliverRaw(ctx: RequestContext, res: ServerResponse): Promise<void> {
  const upstream = ctx.upstream!;
  ctx.status = upstream.status;
  res.writeHead(upstream.status, { ...passthroughResponseHeaders(upstream.headers, { keepEncoding: true }), ...contentType(upstream.headers), "x-portcullis-request-id": ctx.id });
  ctx.firstTokenAt = performance.now();
  try {
    await pipeline(upstream.body, res);
  } catch (err) {
    throw transportError(err, ctx.target?.provider.id ?? "upstream");
  }
}

function contentType(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const ct = headers["content-type"];
  return ct ? { "content-type": Array.isArray(ct) ? ct[0] : ct } : {};
}
