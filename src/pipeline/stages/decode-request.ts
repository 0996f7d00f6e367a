import { proxyError } from "../../canonical/error.ts";
import type { JsonObject } from "../../canonical/extras.ts";
import type { Stage } from "../stage.ts";

/** Reads and parses the client's body into the canonical view (after authentication, so strangers learn nothing). */
export function decodeRequest(): Stage {
  return {
    name: "decode-request",
    async request(ctx) {
      // Endpoints the proxy does not inspect (files, batches, …) stream through unread.
      if (ctx.passthrough && !ctx.passthrough.inspected) return;
      const raw = await ctx.readBody();
      ctx.rawBody = raw;
      let body: unknown;
      try {
        body = JSON.parse(raw.toString("utf8"));
      } catch (err) {
        throw proxyError(400, `Malformed JSON in request body: ${(err as Error).message}`, { code: "invalid_json" });
      }
      if (typeof body !== "object" || body === null || Array.isArray(body)) {
        throw proxyError(400, "The request body must be a JSON object", { code: "invalid_json" });
      }
      ctx.body = body as JsonObject;
      ctx.request = ctx.clientCodec.decodeRequest(ctx.body);
      // Gemini and Bedrock say whether to stream in the URL.
      if (ctx.passthrough?.stream !== undefined) ctx.request.stream = ctx.passthrough.stream;
    },
  };
}
