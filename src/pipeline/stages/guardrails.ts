import type { AssistantPart } from "../../canonical/content.ts";
import { proxyError } from "../../canonical/error.ts";
import type { GuardrailSettings } from "../../policies/types.ts";
import type { Finding } from "../../guardrails/detector.ts";
import { actionFor, guardrailRun, recordFinding, startGuardrailRun, type GuardrailRun } from "../../guardrails/guardrail-run.ts";
import { applyEdits, findingEdits } from "../../guardrails/placeholders.ts";
import { mapRequestTexts, type TextSource } from "../../guardrails/request-texts.ts";
import { cleanTexts, type CleanTextCache } from "../../guardrails/scan-cache.ts";
import { scanText } from "../../guardrails/scan-text.ts";
import type { RequestContext } from "../context.ts";
import type { Stage } from "../stage.ts";

const SOURCE_NAMES: Record<TextSource, string> = { system: "the system prompt", user: "a user message", assistant: "an assistant message", tool: "a tool result" };

/**
 * The request side of the guardrails (secrets and PII detectors, issue 6 part 3). Every text of
 * the canonical request is scanned once (texts found clean on an earlier turn come from memory);
 * per the proxy's settings a finding
 * - `block`s the request: a 400 in the client's format naming the detector, never the value;
 * - is `redact`ed: replaced by its placeholder (`[SECRET_1]`) in the request sent upstream;
 * - is `log`ged: a decision only.
 * Every finding is a `guardrail` decision, and the interaction log stores the values redacted.
 * The model's output is scanned too (decisions for what it said, whatever the action); rewriting
 * it is the response modifier's `guardrailRewrite`.
 */
export function guardrails(settingsFor: (proxyId: string) => GuardrailSettings, cache: CleanTextCache = cleanTexts): Stage {
  return {
    name: "guardrails",
    request(ctx) {
      if (ctx.passthrough && !ctx.passthrough.inspected) return;
      const run = startGuardrailRun(ctx, settingsFor(ctx.proxyId));
      if (!run) return;
      const found = new Map<string, readonly Finding[]>();
      const sources = new Set<string>();
      let blocked: Finding[] | undefined;
      let redact = false;
      mapRequestTexts(ctx.request, (text, source) => {
        if (found.has(text)) return text;
        const findings = cache.scan(text, run.scanMask);
        if (findings.length === 0) return text;
        found.set(text, findings);
        for (const f of findings) {
          const action = actionFor(run.settings, f.category);
          const placeholder = run.book.placeholderFor(f.value, f.kind);
          recordFinding(ctx, run, f, "request", action, placeholder);
          if (action === "block") {
            (blocked ??= []).push(f);
            sources.add(SOURCE_NAMES[source]);
          } else if (action === "redact") redact = true;
        }
        return text;
      });
      if (blocked) {
        const detectors = [...new Set(blocked.map((f) => f.detector))].join(", ");
        throw proxyError(400, `Request blocked by guardrails: ${detectors} found in ${listed([...sources])}`, { code: "guardrail_blocked" });
      }
      if (!redact) return;
      ctx.request = mapRequestTexts(ctx.request, (text) => {
        const findings = found.get(text);
        if (!findings) return text;
        return applyEdits(text, findingEdits(findings, (f) => redaction(run, f)));
      });
      ctx.requestChanged = true;
    },
    response(ctx, response) {
      const run = guardrailRun(ctx);
      if (run) for (const part of response.content) observePart(ctx, run, part);
      return response;
    },
    stream(ctx) {
      const run = guardrailRun(ctx);
      if (!run) return undefined;
      // Decoders end each part with the whole of it: scanned there, nothing is held or delayed.
      return {
        chunk(c) {
          for (const e of c.events) if (e.type === "part-end") observePart(ctx, run, e.part);
          return [c];
        },
      };
    },
  };
}

const listed = (items: string[]) => (items.length < 2 ? items.join("") : `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`);

/** The placeholder a redacted value gets (and may be restored from). */
function redaction(run: GuardrailRun, f: Finding): string | undefined {
  if (actionFor(run.settings, f.category) !== "redact") return undefined;
  const placeholder = run.book.placeholderFor(f.value, f.kind);
  run.book.markReplaced(placeholder);
  return placeholder;
}

/** Records what the model said, as the upstream sent it (before the response modifier redacts it). */
function observePart(ctx: RequestContext, run: GuardrailRun, part: AssistantPart): void {
  const text = part.type === "text" || part.type === "refusal" ? part.text : part.type === "tool-call" ? part.arguments : undefined;
  if (!text) return;
  for (const f of scanText(text, run.scanMask)) {
    const action = actionFor(run.settings, f.category);
    recordFinding(ctx, run, f, "response", action === "block" ? "redact" : action, run.book.placeholderOf(f.value) ?? `[${f.kind}]`);
  }
}
