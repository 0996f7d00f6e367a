import type { ServerResponse } from "node:http";
import { ProxyError } from "../canonical/error.ts";
import type { RequestContext } from "./context.ts";
import { deliverRaw } from "./deliver-raw.ts";
import { deliverResponse } from "./deliver-response.ts";
import { deliverStream } from "./deliver-stream.ts";
import { responseHeaders, type PipelineRun } from "./pipeline-run.ts";
import { toCanonicalError, writeError } from "./write-error.ts";

/**
 * Runs one interaction through the stages: request hooks in order (the forward stage sends it
 * upstream), then delivery of the answer through the response/stream hooks, then the complete
 * hooks — which run whatever happened, so every interaction is recorded.
 */
export async function runPipeline(ctx: RequestContext, run: PipelineRun, res: ServerResponse): Promise<void> {
  const { stages } = run;
  res.once("close", () => {
    if (!res.writableFinished) ctx.abort.abort();
  });
  try {
    for (const stage of stages) if (stage.request) await stage.request(ctx);
    if (!ctx.upstream) throw new Error("the pipeline ended without an upstream answer");
    if (ctx.passthrough && !ctx.passthrough.inspected) await deliverRaw(ctx, res);
    else if (ctx.request.stream) await deliverStream(ctx, run, res);
    else await deliverResponse(ctx, run, res);
  } catch (err) {
    if (!(err instanceof ProxyError)) console.error("portcullis: request failed", err);
    const error = toCanonicalError(err);
    ctx.error ??= error;
    ctx.status = error.status;
    writeError(res, ctx.clientCodec, error, responseHeaders(ctx));
  } finally {
    ctx.endedAt = performance.now();
    for (const stage of stages) {
      try {
        stage.complete?.(ctx);
      } catch (err) {
        console.error(`portcullis: stage ${stage.name} failed on completion`, err);
      }
    }
  }
}
