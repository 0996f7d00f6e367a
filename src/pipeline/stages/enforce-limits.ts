import type { AssistantPart } from "../../canonical/content.ts";
import type { StreamChunk } from "../../canonical/stream.ts";
import { limitRefusal, rateLimitHeaders, subjectLabel } from "../../limits/limit-refusal.ts";
import type { Admission, AdmitResult, LimitRequest, LimitService } from "../../limits/limit-service.ts";
import type { RequestContext } from "../context.ts";
import type { Stage } from "../stage.ts";

/**
 * Cost, token and request limits. Before the upstream call (after the policy stages, which may
 * still change or refuse the request) every limit that applies to the caller and model reserves
 * the request's share — an estimate of its tokens and cost, or one request — or the request is
 * refused in the client's format (402 over a budget, 429 with Retry-After over a rate). When the
 * interaction has ended, successful or not, the reservations are settled with what it used. Every
 * answer carries the tightest limit's `X-RateLimit-*` headers.
 *
 * Endpoints the proxy does not inspect (model lists, token counting, files, batches) count as
 * requests and are refused once a budget is spent, but reserve and settle no cost or tokens: what
 * they use cannot be seen.
 */
export function enforceLimits(limits: LimitService): Stage {
  const admissions = new WeakMap<RequestContext, { admission: Admission; outputChars: number }>();

  const admitted = (ctx: RequestContext, result: AdmitResult): void => {
    const now = limits.now();
    if (!result.ok) {
      ctx.rateLimitHeaders = rateLimitHeaders(result.refusal, now);
      throw limitRefusal(ctx.clientCodec, result.refusal, result.status, subjectLabel(result.refusal, (id) => limits.virtualKeyName(id)), now);
    }
    const admission = result.admission;
    if (!admission) return;
    admissions.set(ctx, { admission, outputChars: 0 });
    if (admission.tightest) ctx.rateLimitHeaders = rateLimitHeaders(admission.tightest, now);
  };

  return {
    name: "enforce-limits",
    request(ctx) {
      const target = ctx.target;
      if (!target) return;
      const c = ctx.caller;
      const req: LimitRequest = {
        id: ctx.id,
        subjects: { proxy: ctx.proxyId, virtualKey: c.virtualKeyId, oauthClient: c.oauthClientId, user: c.userId, externalAgent: c.agentId },
        provider: target.provider.id,
        model: target.model,
        request: ctx.request,
        bodyBytes: ctx.rawBody?.length,
        at: ctx.receivedAt,
        metered: !ctx.passthrough || ctx.passthrough.inspected,
      };
      const result = limits.admit(req);
      if (result instanceof Promise) return result.then((r) => admitted(ctx, r));
      admitted(ctx, result);
    },
    stream(ctx) {
      const entry = admissions.get(ctx);
      if (!entry || !entry.admission.applied.some((a) => a.limit.measure !== "requests")) return undefined;
      // Output delivered so far prices a stream that ends without usage (cut short, or never reported).
      return {
        chunk(chunk: StreamChunk) {
          for (const e of chunk.events) {
            if (e.type === "text-delta" || e.type === "reasoning-delta" || e.type === "tool-args-delta") entry.outputChars += e.delta.length;
          }
          return [chunk];
        },
      };
    },
    complete(ctx) {
      const entry = admissions.get(ctx);
      if (!entry) return;
      const upstream = ctx.upstream;
      const billed = upstream !== undefined && upstream.status < 400 && entry.admission.request.metered;
      const finished = ctx.finish !== undefined;
      let outputChars = entry.outputChars;
      if (billed && (!ctx.usage || !finished) && ctx.response) outputChars = charsOf(ctx.response.content);
      limits.settle(entry.admission, { usage: ctx.usage, responseModel: ctx.responseModel, billed, finished, outputChars });
    },
  };
}

function charsOf(parts: readonly AssistantPart[]): number {
  let n = 0;
  for (const p of parts) {
    if (p.type === "text" || p.type === "refusal") n += p.text.length;
    else if (p.type === "reasoning") n += p.text?.length ?? 0;
    else if (p.type === "tool-call") n += p.arguments.length + p.name.length;
  }
  return n;
}
