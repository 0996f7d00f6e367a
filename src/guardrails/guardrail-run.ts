import type { GuardrailAction, GuardrailSettings } from "../policies/types.ts";
import type { PolicyDecision, RequestContext } from "../pipeline/context.ts";
import { PII, SECRETS, type CategoryMask, type Finding, type GuardrailCategory } from "./detector.ts";
import { PlaceholderBook } from "./placeholders.ts";

/** A guardrail decision: the detector that fired, on which side, how often. */
export interface GuardrailDecision extends PolicyDecision {
  kind: "guardrail";
  detector: string;
  category: GuardrailCategory;
  side: "request" | "response";
  count: number;
}

/**
 * What the guardrails know about one interaction: the proxy's settings, the placeholders given
 * to values in the request, and the values found anywhere (the interaction log stores them
 * redacted). The request stage starts it; the response side reads it.
 */
export interface GuardrailRun {
  settings: GuardrailSettings;
  /** Categories scanned at all (any action but `off`). */
  scanMask: CategoryMask;
  /** Categories whose values are replaced in the model's output (`redact`, and `block`: an answer cannot be refused half-streamed). */
  outputMask: CategoryMask;
  book: PlaceholderBook;
  /** Every value found, with what the interaction log shows instead. */
  logValues: Map<string, string>;
  decisions: Map<string, GuardrailDecision>;
}

const runs = new WeakMap<RequestContext, GuardrailRun>();

export const guardrailRun = (ctx: RequestContext): GuardrailRun | undefined => runs.get(ctx);

export const actionFor = (settings: GuardrailSettings, category: GuardrailCategory): GuardrailAction => settings[category];

/** Starts the run for an interaction; undefined (and nothing to do) when both categories are off. */
export function startGuardrailRun(ctx: RequestContext, settings: GuardrailSettings): GuardrailRun | undefined {
  let scanMask = 0;
  let outputMask = 0;
  if (settings.secrets !== "off") scanMask |= SECRETS;
  if (settings.pii !== "off") scanMask |= PII;
  if (settings.secrets === "redact" || settings.secrets === "block") outputMask |= SECRETS;
  if (settings.pii === "redact" || settings.pii === "block") outputMask |= PII;
  if (scanMask === 0) return undefined;
  const run: GuardrailRun = { settings, scanMask, outputMask, book: new PlaceholderBook(), logValues: new Map(), decisions: new Map() };
  runs.set(ctx, run);
  return run;
}

/** Whether the model's output is rewritten: values to redact, or placeholders to restore. */
export function rewritesOutput(run: GuardrailRun | undefined): run is GuardrailRun {
  return run !== undefined && (run.outputMask !== 0 || (run.settings.restore && run.book.hasReplaced));
}

/**
 * Records a finding: one decision per detector, action and side (counted), the value for the
 * log's redaction, and the log redaction itself on the context.
 */
export function recordFinding(ctx: RequestContext, run: GuardrailRun, f: Finding, side: "request" | "response", action: GuardrailAction, shownAs: string): void {
  const key = `${side}:${f.detector}:${action}`;
  const known = run.decisions.get(key);
  if (known) {
    known.count++;
    known.reason = reasonOf(known);
  } else {
    const d: GuardrailDecision = { kind: "guardrail", action, blocked: action !== "log", detector: f.detector, category: f.category, side, count: 1 };
    d.reason = reasonOf(d);
    run.decisions.set(key, d);
    (ctx.decisions ??= []).push(d);
  }
  if (!run.logValues.has(f.value)) run.logValues.set(f.value, shownAs);
  ctx.redactForLog ??= logRedaction(run);
}

const reasonOf = (d: GuardrailDecision) => `${d.detector} in the ${d.side}${d.count > 1 ? ` (${d.count})` : ""}`;

/**
 * The interaction log's redaction: every value found, as it appears in the stored body text (as
 * is, and JSON-escaped inside a serialized body), replaced by its placeholder. Runs when the log
 * is written, off the request path; reads the values found up to then.
 */
function logRedaction(run: GuardrailRun): (text: string) => string {
  return (text) => {
    const values = [...run.logValues].sort((a, b) => b[0].length - a[0].length);
    for (const [value, shownAs] of values) {
      if (text.includes(value)) text = text.split(value).join(shownAs);
      const escaped = JSON.stringify(value).slice(1, -1);
      if (escaped !== value && text.includes(escaped)) text = text.split(escaped).join(shownAs);
    }
    return text;
  };
}
