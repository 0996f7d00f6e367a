import type { FilePart, ImagePart, Part } from "../canonical/content.ts";
import type { CanonicalRequest } from "../canonical/request.ts";

/** Output reserved for a request that names no `max_tokens`: what most answers stay under. */
export const DEFAULT_OUTPUT_TOKENS = 4096;

/** An image costs the providers 85–1,600 tokens; reserve the top of that range. */
const IMAGE_TOKENS = 1600;
/** A file or audio clip by reference (URL, file id): its size is unknown here. */
const REFERENCED_MEDIA_TOKENS = 4000;
/** Roughly three bytes of UTF-8 make a token at worst in English, code and JSON; CJK is ~3 bytes a token. */
const BYTES_PER_TOKEN = 3;

/**
 * A cheap, deliberately generous count of a request's input tokens, for reserving budget before
 * the provider has said: the client's body size (text, tools and JSON syntax alike) at three bytes
 * a token, with inline media (base64) taken out and priced per item instead. No tokenizer, no
 * walk over text: the body's byte length is already known, so this costs one pass over the parts.
 * Generous on purpose: a reservation above the real use is released when the request settles,
 * while one below it is how a burst overshoots a budget.
 */
export function estimateInputTokens(request: CanonicalRequest, bodyBytes: number | undefined): number {
  let mediaBytes = 0;
  let mediaTokens = 0;
  const media = (part: Part): void => {
    switch (part.type) {
      case "image":
      case "file": {
        const source = (part as ImagePart | FilePart).source;
        if (source.kind === "base64") mediaBytes += source.data.length;
        else if (source.kind === "url" && source.url.startsWith("data:")) mediaBytes += source.url.length;
        mediaTokens += part.type === "image" ? IMAGE_TOKENS : fileTokens(source.kind === "base64" ? source.data.length : 0);
        break;
      }
      case "audio":
        mediaBytes += part.data.length;
        mediaTokens += fileTokens(part.data.length);
        break;
      case "tool-result":
        if (typeof part.content !== "string") for (const p of part.content) media(p);
        break;
    }
  };
  for (const message of request.messages) for (const part of message.content) media(part);
  const textBytes = bodyBytes !== undefined ? Math.max(0, bodyBytes - mediaBytes) : textBytesOf(request);
  return Math.ceil(textBytes / BYTES_PER_TOKEN) + mediaTokens;
}

/** Documents are billed per page (~1.5–3k tokens); a base64 length gives a rough page count. */
function fileTokens(base64Length: number): number {
  return base64Length === 0 ? REFERENCED_MEDIA_TOKENS : Math.max(REFERENCED_MEDIA_TOKENS, Math.ceil(base64Length / 20));
}

/** Without the client's body (a request a stage built): the text the request carries. */
function textBytesOf(request: CanonicalRequest): number {
  let bytes = Buffer.byteLength(request.instructions ?? "") + 64;
  for (const m of request.messages) {
    bytes += 16;
    for (const p of m.content) {
      switch (p.type) {
        case "text":
        case "refusal":
          bytes += Buffer.byteLength(p.text);
          break;
        case "reasoning":
          bytes += (p.text?.length ?? 0) + (p.encrypted?.length ?? 0) + (p.summary?.join("").length ?? 0);
          break;
        case "tool-call":
          bytes += p.name.length + p.arguments.length;
          break;
        case "tool-result":
          bytes += typeof p.content === "string" ? Buffer.byteLength(p.content) : p.content.reduce((n, c) => n + (c.type === "text" ? Buffer.byteLength(c.text) : 0), 0);
          break;
      }
    }
  }
  for (const t of request.tools ?? []) bytes += JSON.stringify(t).length;
  return bytes;
}

/** The output a request may produce: its `max_tokens`, or the default when it names none. */
export function estimateOutputTokens(request: CanonicalRequest): number {
  const max = request.maxOutputTokens;
  return typeof max === "number" && max > 0 ? max : DEFAULT_OUTPUT_TOKENS;
}
