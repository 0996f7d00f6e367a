import type { ResponseRewrite } from "../pipeline/response-modifier.ts";
import { guardrailRun, rewritesOutput, type GuardrailRun } from "./guardrail-run.ts";
import { applyEdits, PLACEHOLDER, type Edit } from "./placeholders.ts";
import { scanText } from "./scan-text.ts";

/**
 * How much streamed text waits for what follows. Every detector recognises a value from its first
 * 96 characters or fewer (an email's local part is at most 64, a PEM header about 60, a key's
 * prefix and minimum body well under that), and a match that keeps growing is held by the
 * modifier until it ends, so nothing is released half-redacted.
 */
export const GUARDRAIL_LOOKAHEAD = 96;

/**
 * The response side of the guardrails, one rewrite for the response modifier: secrets and PII in
 * the model's text and tool-call arguments are replaced per the proxy's settings — a value the
 * request already named gets its placeholder, a new one `[KIND]` — and with `restore: true` the
 * placeholders the model repeats become the client's values again. Tool calls are held while the
 * rewrite is active, so their arguments are rewritten whole; text streams with a bounded lookahead.
 */
export function guardrailRewrite(): ResponseRewrite {
  return {
    name: "guardrails",
    holds(ctx, part) {
      return part.type === "tool-call" && rewritesOutput(guardrailRun(ctx));
    },
    rewritePart(ctx, part) {
      const run = guardrailRun(ctx);
      if (part.type !== "tool-call" || !rewritesOutput(run)) return undefined;
      const args = rewriteOutput(run, part.arguments, part.kind === "function");
      return args === part.arguments ? undefined : [{ ...part, arguments: args }];
    },
    text(ctx) {
      const run = guardrailRun(ctx);
      if (!rewritesOutput(run)) return undefined;
      return { lookahead: GUARDRAIL_LOOKAHEAD, rewrite: (text) => rewriteOutput(run, text, false) };
    },
  };
}

/**
 * One pass over a piece of model output. Pure for a given run (the placeholder book is complete
 * once the request went upstream): the streaming modifier calls it on overlapping pieces to check
 * that a cut does not split a match, so it must give the same answer for the same text.
 */
export function rewriteOutput(run: GuardrailRun, text: string, json: boolean): string {
  const restoring = run.settings.restore && run.book.hasReplaced;
  const findings = scanText(text, run.outputMask);
  if (findings.length === 0 && !(restoring && text.includes("["))) return text;
  const edits: Edit[] = [];
  for (const f of findings) {
    const placeholder = run.book.placeholderOf(f.value);
    // The client's own value (the model could not have seen it): it would be restored anyway.
    if (restoring && placeholder && run.book.restorable(placeholder) !== undefined) continue;
    edits.push({ start: f.start, end: f.end, text: placeholder ?? `[${f.kind}]` });
  }
  if (restoring) {
    for (const m of text.matchAll(PLACEHOLDER)) {
      const value = run.book.restorable(m[0]);
      if (value === undefined) continue;
      edits.push({ start: m.index, end: m.index + m[0].length, text: json ? inJsonString(value) : value });
    }
  }
  return applyEdits(text, edits);
}

/**
 * A value put back inside a JSON string (tool arguments). Values carry no quotes (no detector
 * matches one); a backslash in a value means it was found in JSON text and is escaped already;
 * raw control characters (a PEM key's newlines from plain text) are escaped here.
 */
function inJsonString(value: string): string {
  return value.replace(/[\u0000-\u001f]/g, (c) => JSON.stringify(c).slice(1, -1));
}
