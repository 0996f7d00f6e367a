import { extrasOf, type JsonObject } from "../../src/canonical/extras.ts";
import type { CanonicalRequest, Message } from "../../src/canonical/request.ts";
import { encodeFunctionResponse, encodeUserPart, ModelPartsWriter } from "./encode-gemini-parts.ts";
import type { Content, WirePart } from "./gemini-wire.ts";

/**
 * Canonical messages -> Gemini contents + systemInstruction. System and developer messages,
 * wherever they sit, and Responses `instructions` go to systemInstruction in order. User and tool
 * messages are `user` turns, assistant messages `model` turns; consecutive messages of the same
 * turn role share one content (so several tool results answer their calls in one user turn, as
 * Gemini requires), except that parts decoded from different Gemini contents stay apart.
 */
export function convertToGeminiContents(request: CanonicalRequest): { contents: Content[]; systemInstruction?: Content } {
  const system: WirePart[] = [];
  let systemRest: JsonObject | undefined;
  if (request.instructions) system.push({ text: request.instructions });
  const contents: Content[] = [];
  let open: OpenContent | undefined;
  // The last content written, while it may still be continued (a user turn of other formats).
  let continuable: OpenContent | undefined;
  const close = () => {
    if (!open) return;
    const parts = open.writer ? open.writer.parts : open.parts;
    if (parts.length > 0) {
      contents.push(buildContent(open.role, open.rest, parts));
      continuable = open.role === "user" && open.index === undefined ? open : undefined;
    }
    open = undefined;
  };

  for (const m of request.messages) {
    if (m.role === "system" || m.role === "developer") {
      systemRest ??= m.extras?.gemini;
      for (const p of m.content) {
        if (p.type === "text") system.push({ ...extrasOf(p, "gemini"), text: p.text });
        else if (p.format === "gemini") system.push(p.value as WirePart);
      }
      continue;
    }
    const role = m.role === "assistant" ? "model" : "user";
    if (m.content.length === 0) {
      close();
      if (m.extras?.gemini) contents.push(buildContent(role, m.extras.gemini, []));
      continuable = undefined;
      continue;
    }
    for (const p of m.content) {
      const index = p.origin?.format === "gemini" ? p.origin.index : undefined;
      if (!open || open.role !== role || (index !== undefined && open.index !== undefined && index !== open.index)) {
        close();
        if (continuable && role === "user" && index === undefined && contents.at(-1)?.parts === continuable.parts) {
          // A turn that came to nothing (an assistant message holding only another provider's
          // reasoning) must not leave two user turns in a row.
          contents.pop();
          open = continuable;
          continuable = undefined;
        } else {
          open = { role, index, rest: m.extras?.gemini, parts: [], writer: role === "model" ? new ModelPartsWriter(true) : undefined };
        }
      }
      open.index ??= index;
      addPart(open, p, request.messages);
    }
  }
  close();
  const out: { contents: Content[]; systemInstruction?: Content } = { contents };
  if (system.length > 0 || systemRest) out.systemInstruction = { ...systemRest, parts: system };
  return out;
}

interface OpenContent {
  role: "user" | "model";
  index: number | undefined;
  rest: JsonObject | undefined;
  parts: WirePart[];
  writer: ModelPartsWriter | undefined;
}

function addPart(open: OpenContent, p: Message["content"][number], messages: readonly Message[]): void {
  if (open.writer) {
    if (p.type !== "tool-result" && p.type !== "image" && p.type !== "file" && p.type !== "audio") open.writer.add(p);
    return;
  }
  if (p.type === "tool-result") {
    open.parts.push(...encodeFunctionResponse(p, messages));
    return;
  }
  if (p.type === "refusal" || p.type === "reasoning" || p.type === "tool-call") return;
  const part = encodeUserPart(p);
  if (part) open.parts.push(part);
}

/** A content from its role and the fields kept from the native content (`role: null`: it had none; `parts: null`: no parts key). */
function buildContent(role: "user" | "model", rest: JsonObject | undefined, parts: WirePart[]): Content {
  const content: JsonObject = { role, ...rest, parts };
  if (content.role === null) delete content.role;
  if (rest?.parts === null && parts.length === 0) delete content.parts;
  return content as Content;
}
