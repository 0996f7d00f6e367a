import type { ServerResponse } from "node:http";
import type { NativeEvent } from "../../adapters/types.ts";
import { startTestServer, type RecordedRequest } from "../helpers/http-server.ts";
import { lastRequest, replyQueue, sleep, writeSimpleReply, type FakeReply, type FakeUpstream } from "./fake-reply.ts";

/**
 * A fake Cohere upstream: `POST /v2/chat` (JSON, or SSE when the body says `stream: true`) and
 * `GET /v1/models`. Streams are framed as Cohere frames them — `event: <type>` and `data: <json>`
 * per frame, then `data: [DONE]`; errors are `{id, message}` with Cohere's statuses. Without a
 * script it answers a short text that echoes the last user text, or, when the request forces a
 * tool (`tool_choice: "REQUIRED"`), a plan and a call of the first tool.
 */
export async function startCohereFake(): Promise<FakeUpstream> {
  const queue = replyQueue();
  const server = await startTestServer(async (req, res) => {
    const path = new URL(req.url, "http://x").pathname;
    const reply = queue.next() ?? defaultReply(req, path);
    if (writeSimpleReply(res, reply)) return;
    if (reply.kind === "stream") await writeCohereStream(res, reply);
  });
  return { ...server, enqueue: queue.enqueue, last: () => lastRequest(server) };
}

/** A Cohere error reply: `{id, message}` with the status (and headers, e.g. `retry-after`). */
export function cohereError(status: number, message: string, headers?: Record<string, string>): FakeReply {
  return { kind: "json", status, body: { id: crypto.randomUUID(), message }, headers };
}

export async function writeCohereStream(res: ServerResponse, reply: Extract<FakeReply, { kind: "stream" }>): Promise<void> {
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", ...reply.headers });
  let n = 0;
  for (const e of reply.events) {
    if (reply.cutAfter !== undefined && n++ >= reply.cutAfter) {
      res.socket?.destroy();
      return;
    }
    const data = typeof e.data === "string" ? e.data : JSON.stringify(e.data);
    const name = e.event ?? (typeof e.data === "object" && typeof e.data.type === "string" ? e.data.type : undefined);
    res.write((name ? `event: ${name}\n` : "") + `data: ${data}\n\n`);
    if (reply.delayMs) await sleep(reply.delayMs);
  }
  res.end();
}

function defaultReply(req: RecordedRequest, path: string): FakeReply {
  const auth = req.headers.authorization;
  if (!auth) return { kind: "json", status: 401, body: { message: "no api key supplied" } };
  if (!/^Bearer \S+$/i.test(auth)) return cohereError(401, "invalid api token");
  if (req.method === "GET" && path === "/v1/models") return { kind: "json", body: modelList() };
  if (req.method !== "POST" || path !== "/v2/chat") return cohereError(404, `route ${req.method} ${path} not found`);
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(req.body) as Record<string, unknown>;
  } catch {
    return cohereError(400, "invalid request: the request body must be valid JSON");
  }
  if (typeof body.model !== "string") return cohereError(400, "invalid request: model must be provided");
  if (!Array.isArray(body.messages) || body.messages.length === 0) return cohereError(400, "invalid request: messages must not be empty");
  const tool = forcedTool(body);
  if (tool) {
    return body.stream ? { kind: "stream", events: cohereToolCallStream(tool) } : { kind: "json", body: cohereToolCallResponse(tool) };
  }
  const text = `Hello! You said: ${lastUserText(body.messages)}`;
  return body.stream ? { kind: "stream", events: cohereChatStream(text) } : { kind: "json", body: cohereChatResponse(text) };
}

function forcedTool(body: Record<string, unknown>): string | undefined {
  if (body.tool_choice !== "REQUIRED" || !Array.isArray(body.tools)) return undefined;
  const name = (body.tools[0] as { function?: { name?: unknown } } | undefined)?.function?.name;
  return typeof name === "string" ? name : undefined;
}

function lastUserText(messages: unknown[]): string {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i] as { role?: string; content?: unknown };
    if (m?.role !== "user") continue;
    if (typeof m.content === "string") return m.content;
    if (Array.isArray(m.content)) return m.content.map((p: { text?: string }) => p?.text ?? "").join("");
  }
  return "";
}

const words = (text: string) => text.match(/\S+\s*/g) ?? [text];

function usage(text: string) {
  const output = words(text).length;
  return { billed_units: { input_tokens: 12, output_tokens: output }, tokens: { input_tokens: 508, output_tokens: output + 2 }, cached_tokens: 448 };
}

export function cohereChatResponse(text: string) {
  return {
    id: crypto.randomUUID(),
    message: { role: "assistant", content: [{ type: "text", text }] },
    finish_reason: "COMPLETE",
    usage: usage(text),
  };
}

const skeleton = () => ({ message: { role: "assistant", content: [], tool_plan: "", tool_calls: [], citations: [] } });

export function cohereChatStream(text: string): NativeEvent[] {
  const frames: Array<Record<string, unknown>> = [
    { id: crypto.randomUUID(), type: "message-start", delta: skeleton() },
    { type: "content-start", index: 0, delta: { message: { content: { type: "text", text: "" } } } },
    ...words(text).map((w) => ({ type: "content-delta", index: 0, delta: { message: { content: { text: w } } } })),
    { type: "content-end", index: 0 },
    { type: "message-end", delta: { finish_reason: "COMPLETE", usage: usage(text) } },
  ];
  return [...frames.map((data) => ({ event: data.type as string, data })), { data: "[DONE]" }];
}

const planFor = (tool: string) => `I will use the ${tool} tool.`;
const callId = (tool: string) => `${tool}_fake0000001`;

export function cohereToolCallResponse(tool: string) {
  return {
    id: crypto.randomUUID(),
    message: { role: "assistant", tool_plan: planFor(tool), tool_calls: [{ id: callId(tool), type: "function", function: { name: tool, arguments: "{}" } }] },
    finish_reason: "TOOL_CALL",
    usage: usage(planFor(tool)),
  };
}

export function cohereToolCallStream(tool: string): NativeEvent[] {
  const frames: Array<Record<string, unknown>> = [
    { id: crypto.randomUUID(), type: "message-start", delta: skeleton() },
    ...words(planFor(tool)).map((w) => ({ type: "tool-plan-delta", delta: { message: { tool_plan: w } } })),
    { type: "tool-call-start", index: 0, delta: { message: { tool_calls: { id: callId(tool), type: "function", function: { name: tool, arguments: "" } } } } },
    { type: "tool-call-delta", index: 0, delta: { message: { tool_calls: { function: { arguments: "{}" } } } } },
    { type: "tool-call-end", index: 0 },
    { type: "message-end", delta: { finish_reason: "TOOL_CALL", usage: usage(planFor(tool)) } },
  ];
  return [...frames.map((data) => ({ event: data.type as string, data })), { data: "[DONE]" }];
}

function modelList() {
  const model = (name: string, contextLength: number) => ({
    name,
    endpoints: ["chat"],
    finetuned: false,
    context_length: contextLength,
    tokenizer_url: `https://storage.googleapis.com/cohere-public/tokenizers/${name}.json`,
    default_endpoints: [],
    features: ["tools", "json_mode", "json_schema"],
  });
  return { models: [model("command-a-03-2025", 256000), model("command-a-reasoning-08-2025", 256000), model("command-r7b-12-2024", 128000)], next_page_token: "" };
}
