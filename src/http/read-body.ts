import type { IncomingMessage } from "node:http";
import { proxyError } from "../canonical/error.ts";

/** Reads a request body, refusing (413) one larger than `limit` bytes before buffering it all. */
export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers["content-length"]);
  if (declared > limit) throw tooLarge(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      req.resume();
      throw tooLarge(limit);
    }
    chunks.push(chunk as Buffer);
  }
  return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size);
}

function tooLarge(limit: number) {
  return proxyError(413, `Request body is larger than the limit of ${limit} bytes`, { code: "request_too_large", kind: "payload_too_large" });
}
