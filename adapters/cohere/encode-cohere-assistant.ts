import type { AssistantPart, ReasoningPart, RefusalPart, TextPart, ToolCallPart } from "../../src/canonical/content.ts";
import type { JsonObject } from "../../src/canonical/extras.ts";
import type { CohereAssistantContentItem, CohereAssistantMessage, CohereCitation, CohereToolCall } from "./cohere-api-types.ts";
import { cohereOf, FORMAT, spreadNative } from "./cohere-extras.ts";
import { encodeCohereCitation } from "./convert-cohere-citations.ts";

/**
 * Canonical assistant parts as a Cohere assistant message, for a request's history
 * (`response: false`) or for a response (`response: true`). They differ in two ways:
 * - reasoning: a response shows any provider's reasoning text as `thinking` (it is only read);
 *   history takes back only reasoning Cohere can accept (see `reasoningText`); Cohere's plan
 *   (reasoning marked `$plan`) is `tool_plan` in both;
 * - content: a response always uses blocks, history a plain string for one plain text part.
 * `ex` is the message's kept Cohere fields.
 */
export function encodeCohereAssistant(parts: readonly AssistantPart[], ex: JsonObject, response: boolean, acceptsThinking = true): CohereAssistantMessage {
  const hasCalls = parts.some((p) => p.type === "tool-call");
  const items: CohereAssistantContentItem[] = [];
  const plan: string[] = [];
  const calls: CohereToolCall[] = [];
  const citations: CohereCitation[] = [];
  for (const part of parts) {
    switch (part.type) {
      case "reasoning": {
        if (cohereOf(part).$plan === true) {
          if (part.text) plan.push(part.text);
          pushKeptCitations(part, citations);
          break;
        }
        const text = reasoningText(part, response, acceptsThinking);
        if (text !== undefined) items.push(spreadNative<CohereAssistantContentItem>({ type: "thinking", thinking: text }, cohereOf(part)));
        pushKeptCitations(part, citations);
        break;
      }
      case "text":
      case "refusal":
        if (isPlan(part, hasCalls)) {
          plan.push(part.text);
          if (part.type === "text") pushCitations(part, undefined, citations, true);
        } else {
          if (part.type === "text") pushCitations(part, items.length, citations, false);
          items.push(textItem(part));
        }
        break;
      case "tool-call":
        calls.push(encodeToolCall(part));
        break;
      case "native":
        if (part.format === FORMAT) items.push(part.value as unknown as CohereAssistantContentItem);
        break;
    }
  }
  const blocks = response || ex.$blocks === true;
  const out = spreadNative<CohereAssistantMessage>({ role: "assistant" }, ex);
  if (items.length > 0 || ex.$blocks === true) out.content = contentValue(items, blocks);
  if (plan.length > 0) out.tool_plan = plan.join("\n");
  if (calls.length > 0) out.tool_calls = calls;
  if (citations.length > 0) out.citations = citations;
  return out;
}

/** A single plain text part is a string, as Cohere clients usually write it; anything else blocks. */
export function contentValue<T extends { type: string }>(items: T[], blocks: boolean): string | T[] {
  if (!blocks && items.length === 1) {
    const only = items[0] as T & { text?: unknown };
    if (only.type === "text" && Object.keys(only).length === 2 && typeof only.text === "string") return only.text;
  }
  return items;
}

export function textItem(part: TextPart | RefusalPart): { type: "text"; text: string } {
  return spreadNative<{ type: "text"; text: string }>({ type: "text", text: part.text }, cohereOf(part));
}

/**
 * Unsigned reasoning text of unknown origin (a Chat client replaying `reasoning_content`, a
 * Responses client replaying the reasoning item we made of Cohere's thinking — as a summary when
 * it asked for summaries), which Cohere, whose thinking is unsigned text, can take back.
 */
function replayable(part: ReasoningPart): string | undefined {
  if (part.producer !== undefined || part.signature !== undefined || part.encrypted !== undefined || part.redacted) return undefined;
  return shownText(part);
}

/** The text a reasoning part shows: its own, else its summary paragraphs. */
function shownText(part: ReasoningPart): string | undefined {
  return part.text || (part.summary && part.summary.length > 0 ? part.summary.join("\n\n") : undefined);
}

/**
 * The `thinking` text for a reasoning part, or undefined to leave it out.
 * - A Cohere client's own history goes back exactly.
 * - A response shows any reasoning it has text for (summaries included): it is only read.
 * - Other history goes back only to a model that thinks (`acceptsThinking`: thinking asked for,
 *   or a reasoning model), since a non-reasoning Cohere model would reject thinking blocks, and
 *   only if it is Cohere's own reasoning or unsigned text of unknown origin. Other providers'
 *   reasoning is dropped, text included: it is another model's private chain of thought, signed
 *   or encrypted for that model alone.
 */
function reasoningText(part: ReasoningPart, response: boolean, acceptsThinking: boolean): string | undefined {
  if (part.origin?.format === FORMAT) return part.text;
  if (response) return shownText(part);
  if (!acceptsThinking) return undefined;
  if (part.producer === FORMAT) return shownText(part);
  return replayable(part);
}

/**
 * Another format's text beside tool calls (Anthropic's "Let me check…") goes to `tool_plan`:
 * Cohere answers either text or a plan with calls, and takes the same back.
 */
function isPlan(part: AssistantPart, hasCalls: boolean): boolean {
  return hasCalls && part.origin?.format !== FORMAT;
}

function pushCitations(part: TextPart, contentIndex: number | undefined, into: CohereCitation[], plan: boolean): void {
  if (!part.citations) return;
  for (const c of part.citations) {
    const out = encodeCohereCitation(c, part.text, contentIndex);
    if (plan && c.native?.format !== FORMAT) out.type = "PLAN";
    into.push(out);
  }
}

function pushKeptCitations(part: AssistantPart, into: CohereCitation[]): void {
  const kept = cohereOf(part).$citations;
  if (Array.isArray(kept)) into.push(...(kept as CohereCitation[]));
}

/** `""` (no arguments) is `{}` for Cohere, which wants a JSON object; a kept raw `"null"` comes back. */
export function encodeToolCall(part: ToolCallPart): CohereToolCall {
  const ex = cohereOf(part);
  let args = part.arguments === "" ? "{}" : part.arguments;
  if (args === "{}" && typeof ex.$arguments === "string") args = ex.$arguments;
  return spreadNative<CohereToolCall>({ id: part.id, type: "function", function: { name: part.name, arguments: args } }, ex);
}
