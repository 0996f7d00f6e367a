import type { Finish, FinishReason } from "../../../src/canonical/response.ts";

/** `incomplete_details.reason` values and what they mean in canonical (Chat) terms. */
const INCOMPLETE: Record<string, FinishReason> = {
  max_output_tokens: "length",
  content_filter: "content_filter",
  max_messages: "other",
  steered: "other",
};

const STATUS: Record<string, FinishReason> = {
  completed: "stop",
  failed: "error",
  cancelled: "other",
  in_progress: "other",
  queued: "other",
};

/**
 * `status` (+ `incomplete_details.reason`) as a finish. A completed response that calls tools
 * finishes with tool_calls, as Chat would. `native` is the status, or for an incomplete
 * response its reason, so the same words come back.
 */
export function decodeResponsesFinish(status: unknown, incompleteReason: unknown, callsTools: boolean): Finish {
  if (status === "incomplete") {
    const native = typeof incompleteReason === "string" ? incompleteReason : "incomplete";
    return { reason: INCOMPLETE[native] ?? "other", native };
  }
  if (typeof status !== "string") return { reason: callsTools ? "tool_calls" : "stop" };
  const reason = STATUS[status] ?? "other";
  return { reason: reason === "stop" && callsTools ? "tool_calls" : reason, native: status };
}

export interface ResponsesStatus {
  status: string;
  /** The incomplete reason, when status is incomplete and there is one. */
  reason?: string;
}

/**
 * The status for a finish. `own`: the finish was decoded by this codec, so its native word is a
 * Responses status or incomplete reason; otherwise the canonical reason decides (length →
 * incomplete/max_output_tokens, content_filter → incomplete/content_filter, error → failed).
 */
export function encodeResponsesStatus(finish: Finish, own: boolean): ResponsesStatus {
  const native = finish.native;
  if (own && native !== undefined) {
    if (native in STATUS) return { status: native };
    if (native === "incomplete") return { status: "incomplete" };
    return { status: "incomplete", reason: native };
  }
  switch (finish.reason) {
    case "length":
      return { status: "incomplete", reason: "max_output_tokens" };
    case "content_filter":
      return { status: "incomplete", reason: "content_filter" };
    case "error":
      return { status: "failed" };
    default:
      return { status: "completed" };
  }
}
