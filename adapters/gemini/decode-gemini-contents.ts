import type { AssistantPart, TextPart, NativePart, ToolCallPart, ToolResultPart, UserPart } from "../../src/canonical/content.ts";
import { proxyError } from "../../src/canonical/error.ts";
import { restOf, type Extras, type JsonObject, type Origin } from "../../src/canonical/extras.ts";
import type { Message } from "../../src/canonical/request.ts";
import { syntheticCallId } from "./gemini-call-ids.ts";
import { decodeFunctionResponse, decodeModelPart, decodeSystemPart, decodeUserPart } from "./decode-gemini-parts.ts";
import type { Content, WirePart } from "./gemini-wire.ts";

/**
 * Gemini contents -> canonical messages. A user content holding function responses and other
 * parts splits into a tool message and a user message; every part keeps the content index as
 * its origin, so the encoder rebuilds the contents exactly. Function responses without an id are
 * matched to the calls of the preceding model turn by name and order, as Gemini itself does.
 */
export function decodeGeminiContents(contents: Content[]): Message[] {
  const messages: Message[] = [];
  let calls: ToolCallPart[] = [];
  for (let ci = 0; ci < contents.length; ci++) {
    const content = contents[ci];
    if (typeof content !== "object" || content === null) throw proxyError(400, `contents[${ci}] must be an object`, { param: `contents[${ci}]` });
    const origin: Origin = { format: "gemini", index: ci };
    const extras = contentExtras(content);
    const parts = (content.parts ?? []) as WirePart[];
    if (content.role === "model") {
      const out: AssistantPart[] = [];
      let n = 0;
      for (const part of parts) decodeModelPart(part, origin, out, () => syntheticCallId(String(ci), n++));
      calls = out.filter((p): p is ToolCallPart => p.type === "tool-call");
      messages.push({ role: "assistant", content: out, ...(extras && { extras }) });
      continue;
    }
    if (parts.length === 0) {
      messages.push({ role: "user", content: [], ...(extras && { extras }) });
      continue;
    }
    const match = callMatcher(calls, ci);
    let group: Message | undefined;
    for (let pi = 0; pi < parts.length; pi++) {
      const part = parts[pi];
      if (typeof part !== "object" || part === null) throw proxyError(400, `contents[${ci}].parts[${pi}] must be an object`, { param: `contents[${ci}].parts[${pi}]` });
      if (part.functionResponse && typeof part.functionResponse === "object") {
        const result = decodeFunctionResponse(part, match(part.functionResponse.id, part.functionResponse.name, pi), origin);
        if (group?.role !== "tool") messages.push((group = { role: "tool", content: [], ...(extras && { extras }) }));
        (group.content as ToolResultPart[]).push(result);
      } else {
        if (group?.role !== "user") messages.push((group = { role: "user", content: [], ...(extras && { extras }) }));
        (group.content as UserPart[]).push(decodeUserPart(part, origin));
      }
    }
  }
  return messages;
}

const PARTS = new Set(["parts"]);

/** systemInstruction -> one system message (text parts; anything else kept native). */
export function decodeSystemInstruction(instruction: Content): Message {
  const content: Array<TextPart | NativePart> = [];
  for (const part of (instruction.parts ?? []) as WirePart[]) content.push(decodeSystemPart(part));
  const rest = restOf(instruction as JsonObject, PARTS);
  return { role: "system", content, ...(rest && { extras: { gemini: rest } }) };
}

/**
 * A content's fields besides its parts, for the encoder. `user`/`model` are implied by the
 * message role; a missing role (the REST docs' own examples omit it) is kept as null.
 */
function contentExtras(content: Content): Extras | undefined {
  let rest: JsonObject | undefined;
  for (const key in content) {
    if (key === "parts") continue;
    if (key === "role" && (content.role === "user" || content.role === "model")) continue;
    (rest ??= {})[key] = (content as JsonObject)[key];
  }
  if (content.role === undefined) (rest ??= {}).role = null;
  if (content.parts === undefined) (rest ??= {}).parts = null;
  return rest ? { gemini: rest } : undefined;
}

/** Resolves a function response's call id: its own id, else the next call of that name in the preceding model turn. */
function callMatcher(calls: ToolCallPart[], ci: number): (id: unknown, name: unknown, pi: number) => string {
  const used = new Set<number>();
  return (id, name, pi) => {
    if (typeof id === "string") return id;
    for (let i = 0; i < calls.length; i++) {
      if (!used.has(i) && calls[i].name === name) {
        used.add(i);
        return calls[i].id;
      }
    }
    return syntheticCallId(`${ci}r`, pi);
  };
}
