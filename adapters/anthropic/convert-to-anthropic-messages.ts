import type { Part } from "../../src/canonical/content.ts";
import type { JsonObject } from "../../src/canonical/extras.ts";
import type { Message } from "../../src/canonical/request.ts";
import { ANTHROPIC, own, spreadNative, SYSTEM_SLOT } from "./anthropic-extras.ts";
import { encodeAssistantPart, encodeTextPart, encodeToolResult, encodeUserPart } from "./encode-anthropic-content.ts";

export interface AnthropicPrompt {
  system?: string | JsonObject[];
  messages: JsonObject[];
}

interface Turn {
  key: string;
  role: "user" | "assistant";
  content: JsonObject[];
  fields: JsonObject | undefined;
  string: boolean;
}

const firstOrigin = (m: Message) => {
  const part = m.content[0] as Part | undefined;
  return part?.origin?.format === ANTHROPIC ? part.origin.index : undefined;
};

/** A block with only `type` and `text` can be written as a bare string. */
const isPlainText = (b: JsonObject) => b.type === "text" && Object.keys(b).length === 2;

/**
 * Canonical messages to `system` + `messages`. A request decoded from this format (`native`) is
 * rebuilt container by container from the parts' origins. Any other (`routed`) is grouped as the
 * Messages API requires: every system and developer message goes to `system`, in order; tool
 * results and the user message after them form one user turn with the results first, right after
 * the assistant turn holding the calls; consecutive assistant messages form one turn.
 */
export function convertToAnthropicMessages(messages: readonly Message[], native: boolean): AnthropicPrompt {
  const mode = native ? "native" : "routed";
  const out: JsonObject[] = [];
  const system: JsonObject[] = [];
  let systemMessages = 0;
  let systemString = false;
  let turn: Turn | undefined;

  const flush = () => {
    if (!turn) return;
    const t = turn;
    turn = undefined;
    if (!native) {
      if (t.content.length === 0) return;
      // A turn left empty (foreign reasoning only, empty text) must not split the turns around it.
      const prev = out.at(-1);
      if (prev?.role === t.role && Array.isArray(prev.content)) {
        (prev.content as JsonObject[]).push(...t.content);
        if (t.role === "user") toolResultsFirst(prev.content as JsonObject[]);
        return;
      }
      if (t.role === "user") toolResultsFirst(t.content);
    }
    const message: JsonObject = { role: t.role, content: t.string && t.content.length === 1 && isPlainText(t.content[0]) ? t.content[0].text : t.content };
    out.push(t.fields ? spreadNative(message, t.fields) : message);
  };

  for (let i = 0; i < messages.length; i++) {
    const m = messages[i];
    const x = own(m);
    if (m.role === "system" || m.role === "developer") {
      const index = native ? firstOrigin(m) : undefined;
      const blocks: JsonObject[] = [];
      for (const part of m.content) {
        if (part.type === "text") {
          if (native || part.text !== "") blocks.push(encodeTextPart(part, mode));
        } else if (part.format === ANTHROPIC) blocks.push(part.value);
      }
      if (index !== undefined && index !== SYSTEM_SLOT) {
        flush();
        const message: JsonObject = { role: "system", content: x.$string && blocks.length === 1 && isPlainText(blocks[0]) ? blocks[0].text : blocks };
        out.push(spreadNative(message, x));
        continue;
      }
      systemMessages++;
      systemString = x.$string === true;
      system.push(...blocks);
      continue;
    }
    const role = m.role === "assistant" ? "assistant" : "user";
    const origin = native ? firstOrigin(m) : undefined;
    const key = origin === undefined ? role : `${role}:${origin}`;
    if (!turn || turn.key !== key) {
      flush();
      turn = { key, role, content: [], fields: undefined, string: false };
    }
    const t: Turn = turn;
    for (const k in x) {
      if (k === "$string") t.string = true;
      else if (k.charCodeAt(0) !== 36) (t.fields ??= {})[k] = x[k];
    }
    const param = (j: number) => `messages[${i}].content[${j}]`;
    const push = (block: JsonObject | undefined) => block && t.content.push(block);
    if (m.role === "assistant") for (const part of m.content) push(encodeAssistantPart(part, mode));
    else if (m.role === "tool") m.content.forEach((part, j) => push(encodeToolResult(part, mode, param(j))));
    else m.content.forEach((part, j) => push(encodeUserPart(part, mode, param(j))));
  }
  flush();
  if (!native) fitConversation(out);

  const prompt: AnthropicPrompt = { messages: out };
  if (system.length > 0) {
    const asString = system.length === 1 && isPlainText(system[0]) && (native ? systemMessages === 1 && systemString : true);
    prompt.system = asString ? (system[0].text as string) : system;
  }
  return prompt;
}

/** Tool results must open the user turn that answers the calls (stable: relative order kept). */
function toolResultsFirst(content: JsonObject[]): void {
  let seenOther = false;
  for (const b of content) {
    if (b.type !== "tool_result") seenOther = true;
    else if (seenOther) {
      const results = content.filter((c) => c.type === "tool_result");
      const others = content.filter((c) => c.type !== "tool_result");
      content.length = 0;
      content.push(...results, ...others);
      return;
    }
  }
}

/**
 * OpenAI-wire conversations may open with an assistant turn (a greeting) and end with one; the
 * Messages API wants a user turn first and refuses a final assistant turn ending in whitespace.
 */
function fitConversation(out: JsonObject[]): void {
  if (out.length > 0 && out[0].role === "assistant") out.unshift({ role: "user", content: [{ type: "text", text: "." }] });
  const last = out.at(-1);
  if (last?.role !== "assistant") return;
  const blocks = last.content as JsonObject[];
  const tail = blocks.at(-1);
  if (tail?.type !== "text") return;
  const text = (tail.text as string).trimEnd();
  if (text === "") blocks.pop();
  else if (text !== tail.text) blocks[blocks.length - 1] = { ...tail, text };
  if (blocks.length === 0) out.pop();
}
