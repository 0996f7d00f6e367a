import type { IncomingHttpHeaders } from "node:http";
import { proxyError } from "../../canonical/error.ts";
import type { Caller } from "../context.ts";
import type { Stage } from "../stage.ts";

const MAX_ID_LENGTH = 256;

/**
 * Caller identification headers (names kept for compatibility with the product docs):
 * `X-Archestra-Agent-Id`, `-User-Id`, `-Session-Id`, `-Execution-Id`, and
 * `X-Archestra-Meta: <agent-id>/<execution-id>/<session-id>` (segments may be empty; the
 * individual headers win). A user id established by authentication is never overridden.
 */
export function identifyFromHeaders(headers: IncomingHttpHeaders, caller: Caller): void {
  const meta = single(headers, "x-archestra-meta");
  let metaAgent: string | undefined;
  let metaExecution: string | undefined;
  let metaSession: string | undefined;
  if (meta !== undefined) {
    const segments = meta.split("/");
    if (segments.length > 3) {
      throw proxyError(400, "Invalid X-Archestra-Meta header: expected '<agent-id>/<execution-id>/<session-id>' (values must not contain '/')", {
        code: "invalid_header",
        param: "X-Archestra-Meta",
      });
    }
    [metaAgent, metaExecution, metaSession] = segments.map((s) => s.trim() || undefined);
  }
  caller.agentId = single(headers, "x-archestra-agent-id") ?? metaAgent;
  caller.executionId = single(headers, "x-archestra-execution-id") ?? metaExecution;
  caller.sessionId = single(headers, "x-archestra-session-id") ?? metaSession;
  caller.userId ??= single(headers, "x-archestra-user-id");
}

function single(headers: IncomingHttpHeaders, name: string): string | undefined {
  const raw = headers[name];
  const value = (Array.isArray(raw) ? raw[0] : raw)?.trim();
  if (!value) return undefined;
  if (value.length > MAX_ID_LENGTH) {
    throw proxyError(400, `Header ${name} is longer than ${MAX_ID_LENGTH} characters`, { code: "invalid_header", param: name });
  }
  return value;
}

export function identifyCaller(): Stage {
  return {
    name: "identify-caller",
    request(ctx) {
      identifyFromHeaders(ctx.headers, ctx.caller);
    },
  };
}
