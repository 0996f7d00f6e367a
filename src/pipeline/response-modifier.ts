import type { AssistantPart } from "../canonical/content.ts";
import type { WireFormat } from "../canonical/extras.ts";
import type { CanonicalResponse, Finish } from "../canonical/response.ts";
import type { RequestContext } from "./context.ts";
import { modifyStream } from "./modify-stream.ts";
import type { Stage } from "./stage.ts";

/**
 * The response modifier: the one place answers are rewritten (a blocked tool call becomes a
 * refusal, a secret in the model's text is redacted, a placeholder is restored). A rewrite is
 * one object with one or two functions; the modifier applies them to whole responses and, with
 * the same functions, to streams:
 *
 * - `rewritePart` sees a complete part (a tool call with all its arguments) and returns the parts
 *   to send instead, or undefined to leave it. In a stream, a part is held back from its start to
 *   its end only when some rewrite `holds` it; parts nobody holds flow through untouched, and a
 *   held part that no rewrite changes is released as the upstream's own bytes.
 * - `text` rewrites text (model output) with a bounded `lookahead`: in a stream, the last
 *   `lookahead` characters of a text part wait until more text shows whether a match spans
 *   them; text before that goes out at once, as the upstream's own bytes when nothing matched.
 *
 * When every tool call of an answer was removed, its finish reason becomes `stop` (an answer
 * that says `tool_calls` but carries none breaks agent loops).
 */
export interface ResponseRewrite {
  readonly name: string;
  /** Whether this rewrite needs the whole part before it can decide (checked at part start). */
  holds?(ctx: RequestContext, part: AssistantPart): boolean;
  rewritePart?(ctx: RequestContext, part: AssistantPart): AssistantPart[] | undefined;
  /** A text rewrite for this request, or undefined when it has nothing to do. */
  text?(ctx: RequestContext): TextRewrite | undefined;
}

export interface TextRewrite {
  /** The longest match minus one, in characters: how much streamed text may have to wait. */
  lookahead: number;
  /** The text with matches replaced; the very same string when nothing matched. */
  rewrite(text: string): string;
}

export function responseModifier(rewrites: readonly ResponseRewrite[]): Stage {
  return {
    name: "response-modifier",
    response(ctx, response) {
      return modifyResponse(ctx, rewrites, response);
    },
    stream(ctx) {
      const texts = textRewritesFor(ctx, rewrites);
      const parts = rewrites.filter((r) => r.rewritePart);
      if (texts.length === 0 && parts.length === 0) return undefined;
      return modifyStream(ctx, parts, texts);
    },
  };
}

export function textRewritesFor(ctx: RequestContext, rewrites: readonly ResponseRewrite[]): TextRewrite[] {
  const out: TextRewrite[] = [];
  for (const r of rewrites) {
    const t = r.text?.(ctx);
    if (t) out.push(t);
  }
  return out;
}

/** Runs a part through every part rewrite in order; undefined when none changed it. */
export function rewritePartWith(ctx: RequestContext, rewrites: readonly ResponseRewrite[], part: AssistantPart): AssistantPart[] | undefined {
  let parts: AssistantPart[] = [part];
  let changed = false;
  for (const r of rewrites) {
    if (!r.rewritePart) continue;
    const next: AssistantPart[] = [];
    for (const p of parts) {
      const replaced = r.rewritePart(ctx, p);
      if (replaced) changed = true;
      next.push(...(replaced ?? [p]));
    }
    parts = next;
  }
  return changed ? parts : undefined;
}

export function applyText(texts: readonly TextRewrite[], text: string): string {
  for (const t of texts) text = t.rewrite(text);
  return text;
}

/** Each format's own word for a turn that ended normally. */
const STOP_NATIVE: Readonly<Record<WireFormat, string>> = {
  "openai-chat": "stop",
  "openai-responses": "completed",
  anthropic: "end_turn",
  gemini: "STOP",
  bedrock: "end_turn",
  cohere: "COMPLETE",
};

/**
 * `tool_calls` with no tool call left is `stop`. The provider's own word (`tool_use`) no longer
 * applies; when it sent one, the upstream format's word for `stop` takes its place, so an encoder
 * of that format that writes the provider's word back (rather than leave out one the provider
 * left out) writes the right one.
 */
export function finishAfterRewrite(finish: Finish, removedCalls: number, keptCalls: number, format?: WireFormat): Finish {
  if (finish.reason !== "tool_calls" || removedCalls === 0 || keptCalls > 0) return finish;
  return finish.native !== undefined && format ? { reason: "stop", native: STOP_NATIVE[format] } : { reason: "stop" };
}

function modifyResponse(ctx: RequestContext, rewrites: readonly ResponseRewrite[], response: CanonicalResponse): CanonicalResponse {
  const texts = textRewritesFor(ctx, rewrites);
  let changed = false;
  let removed = 0;
  let kept = 0;
  const content: AssistantPart[] = [];
  for (const part of response.content) {
    let parts = rewritePartWith(ctx, rewrites, part) ?? [part];
    if (parts.length !== 1 || parts[0] !== part) changed = true;
    if (texts.length > 0) {
      parts = parts.map((p) => {
        if (p.type !== "text") return p;
        const text = applyText(texts, p.text);
        if (text === p.text) return p;
        changed = true;
        return { ...p, text };
      });
    }
    const calls = parts.filter((p) => p.type === "tool-call").length;
    if (part.type === "tool-call" && calls === 0) removed++;
    kept += calls;
    content.push(...parts);
  }
  if (!changed) return response;
  return { ...response, content, finish: finishAfterRewrite(response.finish, removed, kept, ctx.target?.format) };
}
