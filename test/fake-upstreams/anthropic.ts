import type { ServerResponse } from "node:http";
import type { NativeEvent } from "../../adapters/types.ts";
import { startTestServer, type RecordedRequest } from "../helpers/http-server.ts";
import { lastRequest, replyQueue, sleep, writeSimpleReply, type FakeReply, type FakeUpstream } from "./fake-reply.ts";

/**
 * A fake Anthropic Messages API: `POST /v1/messages` (JSON, or SSE with `event:` lines when the
 * body says `stream: true`), `POST /v1/messages/count_tokens`, `GET /v1/models[/{id}]`. Like the
 * real API it wants `x-api-key` (or `Authorization: Bearer`) and `anthropic-version`, and answers
 * errors with `{type: "error", error: {type, message}, request_id}` and a `request-id` header.
 * With nothing enqueued it echoes the last user text, thinking first when thinking is on and
 * calling the forced tool when `tool_choice` forces one.
 */
export async function startAnthropicFake(): Promise<FakeUpstream> {
  const queue = replyQueue();
  let n = 0;
  const server = await startTestServer(async (req, res) => {
    const requestId = `req_fake${String(++n).padStart(6, "0")}`;
    const path = new URL(req.url, "http://x").pathname;
    const reply = queue.next() ?? defaultReply(req, path);
    const withId: FakeReply = reply.kind === "reset" ? reply : { ...reply, headers: { "request-id": requestId, ...reply.headers } };
    if (withId.kind === "json" && isErrorBody(withId.body)) withId.body = { ...withId.body, request_id: requestId };
    if (writeSimpleReply(res, withId)) return;
    if (withId.kind === "stream") await writeAnthropicStream(res, withId);
  });
  return { ...server, enqueue: queue.enqueue, last: () => lastRequest(server) };
}

const isErrorBody = (body: unknown): body is Record<string, unknown> =>
  typeof body === "object" && body !== null && (body as { type?: unknown }).type === "error" && !("request_id" in body);

/** Writes events as Anthropic frames them: `event: <type>` and `data: <json>` lines, a blank line after each. */
export async function writeAnthropicStream(res: ServerResponse, reply: Extract<FakeReply, { kind: "stream" }>): Promise<void> {
  res.writeHead(200, { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache", connection: "keep-alive", ...reply.headers });
  let sent = 0;
  for (const e of reply.events) {
    if (reply.cutAfter !== undefined && sent++ >= reply.cutAfter) {
      res.socket?.destroy();
      return;
    }
    const data = typeof e.data === "string" ? e.data : JSON.stringify(e.data);
    const name = e.event ?? (typeof e.data === "object" ? (e.data.type as string | undefined) : undefined);
    res.write((name ? `event: ${name}\n` : "") + `data: ${data}\n\n`);
    if (reply.delayMs) await sleep(reply.delayMs);
  }
  res.end();
}

type Block = Record<string, unknown> & { type: string };

export interface FakeMessage {
  id: string;
  type: "message";
  role: "assistant";
  model: string;
  content: Block[];
  stop_reason: string | null;
  stop_sequence: string | null;
  usage: Record<string, unknown> & { input_tokens: number; output_tokens: number };
}

/** A complete Message as the API returns it. */
export function anthropicMessage(model: string, content: Block[], options: { stopReason?: string; inputTokens?: number; id?: string } = {}): FakeMessage {
  const words = content.map((b) => String(b.text ?? b.thinking ?? JSON.stringify(b.input ?? ""))).join(" ");
  return {
    id: options.id ?? "msg_01FakeXk3b7bH5Zc2vNqJ9aT",
    type: "message",
    role: "assistant",
    model,
    content,
    stop_reason: options.stopReason ?? (content.some((b) => b.type === "tool_use") ? "tool_use" : "end_turn"),
    stop_sequence: null,
    usage: {
      input_tokens: options.inputTokens ?? 21,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
      cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 },
      output_tokens: Math.max(1, words.split(/\s+/).length),
      service_tier: "standard",
    },
  };
}

const pieces = (text: string) => text.match(/\S+\s*|\s+/g) ?? [""];

/** The stream of events the API sends for `message`: deltas in pieces, a ping after the first block opens. */
export function anthropicStreamEvents(message: FakeMessage): NativeEvent[] {
  const out: Array<Record<string, unknown>> = [];
  const { input_tokens, cache_creation_input_tokens, cache_read_input_tokens, output_tokens } = message.usage;
  out.push({ type: "message_start", message: { ...message, content: [], stop_reason: null, stop_sequence: null, usage: { ...message.usage, output_tokens: 1 } } });
  message.content.forEach((block, index) => {
    switch (block.type) {
      case "text":
        out.push({ type: "content_block_start", index, content_block: { type: "text", text: "" } });
        if (index === 0) out.push({ type: "ping" });
        for (const text of pieces(String(block.text))) out.push({ type: "content_block_delta", index, delta: { type: "text_delta", text } });
        break;
      case "thinking":
        out.push({ type: "content_block_start", index, content_block: { type: "thinking", thinking: "", signature: "" } });
        if (index === 0) out.push({ type: "ping" });
        for (const thinking of pieces(String(block.thinking))) out.push({ type: "content_block_delta", index, delta: { type: "thinking_delta", thinking } });
        out.push({ type: "content_block_delta", index, delta: { type: "signature_delta", signature: block.signature } });
        break;
      case "tool_use":
      case "server_tool_use": {
        out.push({ type: "content_block_start", index, content_block: { ...block, input: {} } });
        const json = JSON.stringify(block.input ?? {});
        out.push({ type: "content_block_delta", index, delta: { type: "input_json_delta", partial_json: "" } });
        for (let i = 0; i < json.length && json !== "{}"; i += 12) out.push({ type: "content_block_delta", index, delta: { type: "input_json_delta", partial_json: json.slice(i, i + 12) } });
        break;
      }
      default:
        out.push({ type: "content_block_start", index, content_block: block });
    }
    out.push({ type: "content_block_stop", index });
  });
  out.push({
    type: "message_delta",
    delta: { stop_reason: message.stop_reason, stop_sequence: message.stop_sequence },
    usage: { input_tokens, cache_creation_input_tokens, cache_read_input_tokens, output_tokens },
  });
  out.push({ type: "message_stop" });
  return out.map((data) => ({ event: data.type as string, data }));
}

/** An error answer: the API's body, its status, and `retry-after` for 429/529 when given. */
export function anthropicErrorReply(status: number, type: string, message: string, retryAfterSeconds?: number): FakeReply {
  const headers: Record<string, string> = {};
  if (retryAfterSeconds !== undefined) headers["retry-after"] = String(retryAfterSeconds);
  if (status === 429 || status >= 500) headers["x-should-retry"] = "true";
  return { kind: "json", status, headers, body: { type: "error", error: { type, message } } };
}

/** A stream that fails after it began: some text, then an `error` event (no message_stop), as the API does. */
export function anthropicStreamError(model: string, type = "overloaded_error", message = "Overloaded"): NativeEvent[] {
  const events = anthropicStreamEvents(anthropicMessage(model, [{ type: "text", text: "Partial answer" }])).slice(0, 4);
  events.push({ event: "error", data: { type: "error", error: { type, message } } });
  return events;
}

export const FAKE_MODELS = [
  { type: "model", id: "claude-opus-4-6", display_name: "Claude Opus 4.6", created_at: "2026-02-05T00:00:00Z" },
  { type: "model", id: "claude-sonnet-4-5-20250929", display_name: "Claude Sonnet 4.5", created_at: "2025-09-29T00:00:00Z" },
  { type: "model", id: "claude-haiku-4-5-20251001", display_name: "Claude Haiku 4.5", created_at: "2025-10-01T00:00:00Z" },
];

function defaultReply(req: RecordedRequest, path: string): FakeReply {
  const auth = req.headers["x-api-key"] ?? (typeof req.headers.authorization === "string" && req.headers.authorization.startsWith("Bearer ") ? "bearer" : undefined);
  if (!auth) return anthropicErrorReply(401, "authentication_error", "x-api-key header is required");
  if (!req.headers["anthropic-version"]) return anthropicErrorReply(400, "invalid_request_error", "anthropic-version: header is required");
  if (req.method === "GET" && path === "/v1/models") {
    return { kind: "json", body: { data: FAKE_MODELS, has_more: false, first_id: FAKE_MODELS[0].id, last_id: FAKE_MODELS.at(-1)?.id } };
  }
  if (req.method === "GET" && path.startsWith("/v1/models/")) {
    const model = FAKE_MODELS.find((m) => m.id === decodeURIComponent(path.slice("/v1/models/".length)));
    return model ? { kind: "json", body: model } : anthropicErrorReply(404, "not_found_error", `model: ${path.slice(11)}`);
  }
  if (req.method !== "POST" || (path !== "/v1/messages" && path !== "/v1/messages/count_tokens")) {
    return anthropicErrorReply(404, "not_found_error", "Not Found");
  }
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(req.body) as Record<string, unknown>;
  } catch {
    return anthropicErrorReply(400, "invalid_request_error", "There was an issue with the format of your request: invalid JSON");
  }
  if (typeof body.model !== "string") return anthropicErrorReply(400, "invalid_request_error", "model: Field required");
  if (!Array.isArray(body.messages)) return anthropicErrorReply(400, "invalid_request_error", "messages: Field required");
  if (path === "/v1/messages/count_tokens") return { kind: "json", body: { input_tokens: Math.ceil(req.body.length / 4) } };
  if (typeof body.max_tokens !== "number") return anthropicErrorReply(400, "invalid_request_error", "max_tokens: Field required");

  const content: Block[] = [];
  const thinking = (body.thinking as { type?: string } | undefined)?.type;
  if (thinking === "enabled" || thinking === "adaptive") {
    content.push({ type: "thinking", thinking: "The user wants their words back.", signature: "EqQBCkYIBxgCKkBfakeSignatureForTestsOnly0123456789" });
  }
  const forced = forcedTool(body);
  if (forced) content.push({ type: "tool_use", id: "toolu_01FakeCall0000000000000001", name: forced, input: {} });
  else content.push({ type: "text", text: `Hello! You said: ${lastUserText(body.messages)}` });
  const message = anthropicMessage(body.model, content, { inputTokens: Math.ceil(req.body.length / 4) });
  return body.stream === true ? { kind: "stream", events: anthropicStreamEvents(message) } : { kind: "json", body: message };
}

function forcedTool(body: Record<string, unknown>): string | undefined {
  const choice = body.tool_choice as { type?: string; name?: string } | undefined;
  const tools = Array.isArray(body.tools) ? (body.tools as Array<{ name?: string }>) : [];
  if (choice?.type === "tool") return choice.name;
  if (choice?.type === "any") return tools[0]?.name;
  return undefined;
}

function lastUserText(messages: unknown[]): string {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i] as { role?: string; content?: unknown };
    if (m?.role !== "user") continue;
    if (typeof m.content === "string") return m.content;
    if (Array.isArray(m.content)) return m.content.map((b: { type?: string; text?: string }) => (b?.type === "text" ? (b.text ?? "") : "")).join("");
  }
  return "";
}
