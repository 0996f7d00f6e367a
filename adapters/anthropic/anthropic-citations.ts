import type { Citation } from "../../src/canonical/content.ts";
import type { JsonObject } from "../../src/canonical/extras.ts";
import { ANTHROPIC } from "./anthropic-extras.ts";

/**
 * Anthropic citations name a location in a source (a web result, a page or character range of a
 * document, a search result), not a span of the answer, so only url and title are neutral; the
 * citation itself travels in `native` and only this format writes it back.
 */
export function decodeAnthropicCitation(c: JsonObject): Citation {
  const citation: Citation = { type: "other", native: { format: ANTHROPIC, value: c } };
  switch (c.type) {
    case "web_search_result_location":
      citation.type = "url";
      if (typeof c.url === "string") citation.url = c.url;
      if (typeof c.title === "string") citation.title = c.title;
      break;
    case "char_location":
    case "page_location":
    case "content_block_location":
      citation.type = "document";
      if (typeof c.document_title === "string") citation.title = c.document_title;
      break;
    case "search_result_location":
      if (typeof c.source === "string") citation.url = c.source;
      if (typeof c.title === "string") citation.title = c.title;
      break;
  }
  return citation;
}

/** The Anthropic citation, or undefined for a citation of another format (Anthropic cannot cite it). */
export function encodeAnthropicCitation(c: Citation): JsonObject | undefined {
  return c.native?.format === ANTHROPIC ? c.native.value : undefined;
}

export function decodeAnthropicCitations(list: unknown[]): Citation[] {
  const out: Citation[] = [];
  for (const c of list) if (typeof c === "object" && c !== null) out.push(decodeAnthropicCitation(c as JsonObject));
  return out;
}

export function encodeAnthropicCitations(list: Citation[]): JsonObject[] {
  const out: JsonObject[] = [];
  for (const c of list) {
    const native = encodeAnthropicCitation(c);
    if (native) out.push(native);
  }
  return out;
}
