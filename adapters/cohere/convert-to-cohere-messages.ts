import type { FilePart, ImagePart, TextPart, ToolResultPart } from "../../src/canonical/content.ts";
import { proxyError } from "../../src/canonical/error.ts";
import type { JsonObject } from "../../src/canonical/extras.ts";
import type { Message } from "../../src/canonical/request.ts";
import type {
  CohereDocument,
  CohereMessage,
  CohereToolContentItem,
  CohereToolMessage,
  CohereUserContentItem,
} from "./cohere-api-types.ts";
import { dataUrl } from "../shared/data-url.ts";
import { cohereOf, FORMAT, isObject, spreadNative } from "./cohere-extras.ts";
import { contentValue, encodeCohereAssistant, textItem } from "./encode-cohere-assistant.ts";

export interface CohereMessagesOut {
  messages: CohereMessage[];
  /** Text files from user turns, for the request's `documents` (Cohere's RAG input). */
  documents: CohereDocument[];
}

/**
 * Canonical messages as Cohere `messages`.
 * - System and developer messages of another origin, wherever they are, and Responses
 *   `instructions` become one leading system message (Cohere answers "system turn must be the
 *   first in the list" otherwise), their texts kept as separate blocks; Cohere's own system
 *   messages stay where they were.
 * - Every tool result is its own `tool` message, right where the canonical order puts it (after
 *   the assistant turn that made the calls).
 * - Assistant turns: see encodeCohereAssistant (reasoning replay, tool plan, citations).
 */
export function convertToCohereMessages(messages: readonly Message[], instructions: string | undefined, acceptsThinking: boolean): CohereMessagesOut {
  const documents: CohereDocument[] = [];
  const system: Array<{ type: "text"; text: string }> = [];
  const out: CohereMessage[] = [];
  if (instructions !== undefined && instructions !== "") system.push({ type: "text", text: instructions });
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i];
    const path = `messages[${i}]`;
    switch (m.role) {
      case "system":
      case "developer":
        if (m.content.some((p) => p.origin?.format === FORMAT)) out.push(encodeSystem(m));
        else system.push(...systemItems(m));
        break;
      case "user":
        out.push(encodeUser(m, documents, path));
        break;
      case "assistant": {
        const turn = encodeCohereAssistant(m.content, cohereOf(m), false, acceptsThinking);
        // A turn left with nothing (only another provider's reasoning) would be rejected; skip it.
        if (Object.keys(turn).length > 1) out.push(turn);
        break;
      }
      case "tool":
        for (const part of m.content) out.push(encodeToolResult(part));
        break;
    }
  }
  if (system.length > 0) out.unshift({ role: "system", content: contentValue(system, false) });
  return { messages: out, documents };
}

function systemItems(m: Extract<Message, { role: "system" | "developer" }>): Array<{ type: "text"; text: string }> {
  const items: Array<{ type: "text"; text: string }> = [];
  for (const part of m.content) {
    if (part.type === "text") items.push(textItem(part));
    else if (part.format === FORMAT) items.push(part.value as { type: "text"; text: string });
  }
  return items;
}

function encodeSystem(m: Extract<Message, { role: "system" | "developer" }>): CohereMessage {
  const ex = cohereOf(m);
  return spreadNative<CohereMessage>({ role: "system", content: contentValue(systemItems(m), ex.$blocks === true) }, ex);
}

/**
 * Text files go to the request's `documents`, Cohere's way to give the model material it can cite,
 * unless the turn would be left empty (Cohere rejects empty turns): then their text is the turn.
 */
function encodeUser(m: Extract<Message, { role: "user" }>, documents: CohereDocument[], path: string): CohereMessage {
  const items: CohereUserContentItem[] = [];
  let files: CohereDocument[] | undefined;
  for (let j = 0; j < m.content.length; j++) {
    const part = m.content[j];
    const partPath = `${path}.content[${j}]`;
    switch (part.type) {
      case "text":
        items.push(textItem(part));
        break;
      case "image":
        items.push(imageItem(part, partPath));
        break;
      case "file":
        (files ??= []).push(fileDocument(part, partPath));
        break;
      case "audio":
        throw proxyError(400, "Cohere does not accept audio input", { param: partPath });
      case "native":
        if (part.format === FORMAT) items.push(part.value as unknown as CohereUserContentItem);
        break;
    }
  }
  if (files && items.length === 0) for (const f of files) items.push({ type: "text", text: f.data.text as string });
  else if (files) documents.push(...files);
  const ex = cohereOf(m);
  return spreadNative<CohereMessage>({ role: "user", content: contentValue(items, ex.$blocks === true) }, ex);
}

function imageItem(part: ImagePart, path: string): CohereUserContentItem {
  const src = part.source;
  let url: string;
  if (src.kind === "url") url = src.url;
  else if (src.kind === "base64") url = dataUrl(src.mediaType, src.data);
  else throw proxyError(400, "Cohere cannot read provider file ids: send the image as a URL or base64", { param: path });
  const image: { url: string; detail?: "auto" | "low" | "high" } = { url };
  if (part.detail === "auto" || part.detail === "low" || part.detail === "high") image.detail = part.detail;
  return spreadNative<CohereUserContentItem>({ type: "image_url", image_url: image }, cohereOf(part));
}

/** Text files only: Cohere reads documents as text (no PDF or other binary input on /v2/chat). */
function fileDocument(part: FilePart, path: string): CohereDocument {
  const text = fileText(part);
  if (text === undefined) {
    throw proxyError(400, `Cohere accepts only text documents (got ${part.mediaType ?? mediaTypeOf(part) ?? "a file"} as ${part.source.kind})`, { param: path });
  }
  const data: JsonObject = { text };
  if (part.filename !== undefined) data.title = part.filename;
  return { data };
}

function mediaTypeOf(part: FilePart): string | undefined {
  return part.source.kind === "base64" ? part.source.mediaType : undefined;
}

function fileText(part: FilePart): string | undefined {
  if (part.source.kind !== "base64") return undefined;
  const type = part.mediaType ?? part.source.mediaType;
  if (!type.startsWith("text/") && type !== "application/json") return undefined;
  return Buffer.from(part.source.data, "base64").toString("utf8");
}

function encodeToolResult(part: ToolResultPart): CohereToolMessage {
  let content: CohereToolMessage["content"];
  if (typeof part.content === "string") content = part.content;
  else {
    const items: CohereToolContentItem[] = [];
    for (const p of part.content) {
      const item = toolItem(p);
      if (item) items.push(item);
    }
    content = items;
  }
  return spreadNative<CohereToolMessage>({ role: "tool", tool_call_id: part.callId, content }, cohereOf(part));
}

/** Tool output blocks: text, documents (and text files as documents); images have no place in Cohere. */
function toolItem(p: TextPart | ImagePart | FilePart): CohereToolContentItem | undefined {
  if (p.type === "image") return undefined;
  if (p.type === "file") {
    const text = fileText(p);
    if (text === undefined) return undefined;
    const data: JsonObject = { text };
    if (p.filename !== undefined) data.title = p.filename;
    return { type: "document", document: { data } };
  }
  const ex = cohereOf(p);
  if (isObject(ex.$raw)) return ex.$raw as unknown as CohereToolContentItem;
  if (isObject(ex.$document)) {
    const data = parseObject(p.text);
    if (data) {
      const document = { ...(ex.$document as JsonObject), data } as CohereDocument;
      return spreadNative<CohereToolContentItem>({ type: "document", document }, ex);
    }
  }
  return textItem(p) as CohereToolContentItem;
}

/** The document's data, or undefined when a stage rewrote the text into something else. */
function parseObject(text: string): JsonObject | undefined {
  try {
    const v: unknown = JSON.parse(text);
    return isObject(v) ? v : undefined;
  } catch {
    return undefined;
  }
}
