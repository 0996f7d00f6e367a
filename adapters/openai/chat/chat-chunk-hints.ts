/**
 * A decoded chunk's extras are its skeleton: the native frame without what the chunk's events
 * express. These hints (kept beside the native fields, never written out) tie the two together
 * so the encoder can rebuild a chunk from itself alone — in a same-format stream it sees only
 * the chunks a stage changed.
 */
export const HINT = {
  /** The reasoning text was in `reasoning` (not `reasoning_content`), or only in `reasoning_details`. */
  reasoningKey: "$reasoning",
  /** The part index whose text deltas are a `refusal`. */
  refusal: "$refusal",
  /** For each `tool_calls` entry of the delta, the canonical index of its part (-1: not a call). */
  toolParts: "$tools",
  /** The upstream's first `tool_calls` index in this stream (some number from 1), for renumbering after a removal. */
  toolBase: "$toolBase",
  /** The part index of the legacy `function_call` delta. */
  legacyPart: "$legacyPart",
  /** The chunk was `[DONE]`. */
  done: "$done",
} as const;

export type ChunkHints = {
  [HINT.reasoningKey]?: "reasoning" | "details";
  [HINT.refusal]?: number;
  [HINT.toolParts]?: number[];
  [HINT.toolBase]?: number;
  [HINT.legacyPart]?: number;
  [HINT.done]?: true;
};
