import type { IncomingMessage } from "node:http";
import { proxyError } from "../canonical/error.ts";

/**
 * Reads a request body, refusing (413) one larger than `limit` bytes before buffering it all.
 * Plain listeners rather than `for await`: the async iterator costs several µs per request.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers["content-length"]);
  if (declared > limit) return Promise.reject(tooLarge(limit));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.off("data", onData);
        req.resume();
        reject(tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    };
    req.on("data", onData);
    req.once("end", () => resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size)));
    req.once("error", reject);
    req.once("aborted", () => reject(proxyError(400, "The client closed the request before its body arrived", { code: "client_closed_request" })));
  });
}

function tooLarge(limit: number) {
  return proxyError(413, `Request body is larger than the limit of ${limit} bytes`, { code: "request_too_large", kind: "payload_too_large" });
}
