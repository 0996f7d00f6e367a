import { passthroughResponseHeaders } from "../http/passthrough-headers.ts";
import type { RequestContext } from "./context.ts";
import type { ProviderRegistry, Stage } from "./stage.ts";

/** What running one interaction needs besides its context: the stages and the wire formats. */
export interface PipelineRun {
  stages: readonly Stage[];
  providers: ProviderRegistry;
}

/** Headers every answer carries; a native passthrough client also gets the provider's own. */
export function responseHeaders(ctx: RequestContext): Record<string, string> {
  const ours = ctx.rateLimitHeaders ? { ...ctx.rateLimitHeaders, "x-portcullis-request-id": ctx.id } : { "x-portcullis-request-id": ctx.id };
  return ctx.passthrough && ctx.upstream ? { ...passthroughResponseHeaders(ctx.upstream.headers), ...ours } : ours;
}
