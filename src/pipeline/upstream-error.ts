import type { CanonicalError } from "../canonical/error.ts";
import { headerValue, type UpstreamResponse } from "../http/upstream-transport.ts";
import { presentedKey } from "./stages/authenticate.ts";
import type { RequestContext, Target } from "./context.ts";

/** Rate-limit headers worth passing to the client along with an upstream error. */
const KEPT_HEADERS = ["retry-after", "retry-after-ms", "x-ratelimit-limit-requests", "x-ratelimit-remaining-requests", "x-ratelimit-reset-requests", "x-ratelimit-limit-tokens", "x-ratelimit-remaining-tokens", "x-ratelimit-reset-tokens"];

/**
 * An upstream error answer as a canonical error: status kept, body decoded by the upstream's
 * codec. Providers echo keys in errors ("Incorrect API key provided: sk-…"): every credential the
 * call carried is masked first, so no key reaches the client or the log.
 */
export function decodeUpstreamError(ctx: RequestContext, target: Target, status: number, raw: string, headers: UpstreamResponse["headers"]): CanonicalError {
  const text = maskSecrets(raw, callSecrets(ctx, target));
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // Not JSON (an HTML error page from a load balancer): the codec reports it as text.
  }
  const error = target.codec.decodeError(status, body, headers);
  const kept: Record<string, string> = { ...error.headers };
  for (const name of KEPT_HEADERS) {
    const v = headerValue(headers, name);
    if (v !== undefined) kept[name] = v;
  }
  const retryAfter = Number(kept["retry-after"]);
  return {
    ...error,
    status,
    headers: kept,
    ...(Number.isFinite(retryAfter) && error.retryAfter === undefined && { retryAfter }),
  };
}

/** The secrets a call carried: the credential's, or the client's own key on passthrough. */
function callSecrets(ctx: RequestContext, target: Target): string[] {
  const out: string[] = [];
  if (target.credential.apiKey) out.push(target.credential.apiKey);
  if (ctx.caller.authMethod === "provider-key") {
    const own = presentedKey(ctx.headers);
    if (own) out.push(own);
  }
  return out;
}

/** `sk-proj-abc…wxyz`: enough to recognise a key, not to use it. */
export function maskSecrets(text: string, secrets: readonly string[]): string {
  for (const secret of secrets) {
    if (secret.length < 8 || !text.includes(secret)) continue;
    text = text.replaceAll(secret, `${secret.slice(0, 3)}…${secret.slice(-4)}`);
  }
  return text;
}
