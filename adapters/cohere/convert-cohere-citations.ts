import type { Citation } from "../../src/canonical/content.ts";
import type { JsonObject } from "../../src/canonical/extras.ts";
import type { CohereCitation, CohereSource } from "./cohere-api-types.ts";
import { isObject } from "./cohere-extras.ts";

/** A Cohere citation as a canonical one; the whole citation is kept for Cohere's encoder. */
export function decodeCohereCitation(citation: CohereCitation): Citation {
  const source = citation.sources?.[0];
  const doc = source?.type === "tool" ? source.tool_output : source?.document;
  const out: Citation = {
    type: source?.type === "tool" ? "other" : "document",
    native: { format: "cohere", value: citation as JsonObject },
  };
  if (typeof citation.start === "number") out.startIndex = citation.start;
  if (typeof citation.end === "number") out.endIndex = citation.end;
  if (isObject(doc)) {
    if (typeof doc.title === "string") out.title = doc.title;
    if (typeof doc.url === "string") out.url = doc.url;
  }
  return out;
}

/**
 * A canonical citation in Cohere's shape. Another format's citation (an Anthropic document
 * citation, a Responses url_citation) becomes a document source carrying its title and URL, with
 * the cited snippet cut from `text` when the offsets are known.
 */
export function encodeCohereCitation(citation: Citation, text: string | undefined, contentIndex: number | undefined): CohereCitation {
  if (citation.native?.format === "cohere") return citation.native.value as CohereCitation;
  const document: JsonObject = {};
  if (citation.title !== undefined) document.title = citation.title;
  if (citation.url !== undefined) document.url = citation.url;
  const source: CohereSource = { type: "document", document };
  const id = citation.url ?? citation.title;
  if (id !== undefined) source.id = id;
  const out: CohereCitation = { sources: [source], type: "TEXT_CONTENT" };
  if (citation.startIndex !== undefined) out.start = citation.startIndex;
  if (citation.endIndex !== undefined) out.end = citation.endIndex;
  if (text !== undefined && citation.startIndex !== undefined && citation.endIndex !== undefined) {
    out.text = text.slice(citation.startIndex, citation.endIndex);
  }
  if (contentIndex !== undefined) out.content_index = contentIndex;
  return out;
}
