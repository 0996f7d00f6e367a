import type { ReasoningPart } from "../../../src/canonical/content.ts";
import type { JsonObject, Origin } from "../../../src/canonical/extras.ts";
import { unwrapForeignReasoning } from "../../../src/canonical/foreign-reasoning.ts";
import { isObject, keepRest, RESPONSES } from "./responses-extras.ts";

const KNOWN = new Set(["type", "id", "summary", "content", "encrypted_content"]);

/**
 * A `reasoning` item. `encrypted_content` is OpenAI's own opaque reasoning (producer
 * openai-responses) unless it is our envelope around another provider's signed reasoning, which
 * is unwrapped so that provider gets its signature back.
 */
export function decodeReasoningItem(item: JsonObject, origin: Origin | undefined): ReasoningPart {
  const part: ReasoningPart = { type: "reasoning" };
  if (origin) part.origin = origin;
  const extras = keepRest(item, KNOWN)?.[RESPONSES] ?? {};
  if (typeof item.id === "string") part.id = item.id;
  else if ("id" in item) extras.id = item.id;

  const summary = textsOf(item.summary, "summary_text");
  if (summary) part.summary = summary;
  else if ("summary" in item) extras.summary = item.summary;

  const content = textsOf(item.content, "reasoning_text");
  if (content && content.length === 1) part.text = content[0];
  else if (content && content.length > 1) {
    // Several reasoning_text parts: the canonical text is their concatenation; the split is kept.
    part.text = content.join("");
    extras.content = item.content;
  } else if ("content" in item) extras.content = item.content;

  const encrypted = item.encrypted_content;
  if (typeof encrypted === "string") {
    const foreign = unwrapForeignReasoning(encrypted);
    if (foreign) {
      Object.assign(part, foreign);
      if (part.summary?.length === 1 && part.text === undefined && !("content" in item)) {
        part.text = part.summary[0];
        delete part.summary;
        extras.summaryText = true;
      }
    } else {
      part.encrypted = encrypted;
      part.producer = RESPONSES;
    }
  } else if ("encrypted_content" in item) {
    extras.encrypted_content = encrypted;
  }

  for (const _ in extras) {
    part.extras = { [RESPONSES]: extras };
    break;
  }
  return part;
}

/** The texts of a list of `{type, text}` parts, or undefined when it is not exactly that. */
function textsOf(list: unknown, type: string): string[] | undefined {
  if (!Array.isArray(list)) return undefined;
  const out: string[] = [];
  for (const p of list) {
    if (!isObject(p) || p.type !== type || typeof p.text !== "string" || Object.keys(p).length !== 2) return undefined;
    out.push(p.text);
  }
  return out;
}
