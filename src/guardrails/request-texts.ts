import type { CanonicalRequest, Message } from "../canonical/request.ts";

/** Where a text sits in the conversation, for decisions and error messages. */
export type TextSource = "system" | "user" | "assistant" | "tool";

/** Returns the text to keep (the same string when unchanged). */
export type TextVisitor = (text: string, source: TextSource) => string;

/**
 * Visits every text the guardrails read — instructions, system and developer text, user text,
 * tool results, and the assistant's earlier text and tool arguments (a client that had values
 * restored sends them back in its history) — and returns the request with the visitor's changes,
 * copying only the nodes on the way to a changed text (the same request when nothing changed).
 * Reasoning is left alone: signatures cover it, and the model wrote it from redacted input.
 * Images, files and audio are not text.
 */
export function mapRequestTexts(request: CanonicalRequest, visit: TextVisitor): CanonicalRequest {
  const instructions = request.instructions === undefined ? undefined : visit(request.instructions, "system");
  let messages: Message[] | undefined;
  request.messages.forEach((m, i) => {
    const next = mapMessage(m, visit);
    if (next !== m) (messages ??= request.messages.slice())[i] = next;
  });
  if (instructions === request.instructions && !messages) return request;
  return { ...request, ...(instructions !== undefined && { instructions }), ...(messages && { messages }) };
}

function mapMessage(m: Message, visit: TextVisitor): Message {
  switch (m.role) {
    case "system":
    case "developer": {
      const content = mapParts(m.content, (p) => (p.type === "text" ? withText(p, visit(p.text, "system")) : p));
      return content === m.content ? m : { ...m, content };
    }
    case "user": {
      const content = mapParts(m.content, (p) => (p.type === "text" ? withText(p, visit(p.text, "user")) : p));
      return content === m.content ? m : { ...m, content };
    }
    case "assistant": {
      const content = mapParts(m.content, (p) => {
        if (p.type === "text" || p.type === "refusal") return withText(p, visit(p.text, "assistant"));
        if (p.type === "tool-call") {
          const args = visit(p.arguments, "assistant");
          return args === p.arguments ? p : { ...p, arguments: args };
        }
        return p;
      });
      return content === m.content ? m : { ...m, content };
    }
    case "tool": {
      const content = mapParts(m.content, (r) => {
        if (typeof r.content === "string") {
          const text = visit(r.content, "tool");
          return text === r.content ? r : { ...r, content: text };
        }
        const parts = mapParts(r.content, (p) => (p.type === "text" ? withText(p, visit(p.text, "tool")) : p));
        return parts === r.content ? r : { ...r, content: parts };
      });
      return content === m.content ? m : { ...m, content };
    }
  }
}

function withText<P extends { text: string }>(part: P, text: string): P {
  return text === part.text ? part : { ...part, text };
}

/** `parts` mapped; the same array when every part came back unchanged. */
function mapParts<T>(parts: T[], fn: (p: T) => T): T[] {
  let out: T[] | undefined;
  for (let i = 0; i < parts.length; i++) {
    const next = fn(parts[i]);
    if (next !== parts[i]) (out ??= parts.slice())[i] = next;
  }
  return out ?? parts;
}
