import type { ServerResponse } from "node:http";
import type { NativeEvent } from "../../adapters/types.ts";
import { startTestServer, type RecordedRequest } from "../helpers/http-server.ts";
import { lastRequest, replyQueue, sleep, writeSimpleReply, type FakeReply, type FakeUpstream } from "./fake-reply.ts";

/**
 * A fake OpenAI-wire upstream (Chat Completions, Responses, models) under any base path, so it
 * stands in for OpenAI, Groq, Mistral, Azure (`/openai/v1`), … Streams are SSE as OpenAI frames
 * them: Chat as bare `data:` lines ending with `data: [DONE]`; Responses with `event:` lines.
 */
export async function startOpenAiFake(): Promise<FakeUpstream> {
  const queue = replyQueue();
  const server = await startTestServer(async (req, res) => {
    const path = new URL(req.url, "http://x").pathname;
    const reply = queue.next() ?? defaultReply(req, path);
    if (writeSimpleReply(res, reply)) return;
    if (reply.kind === "stream") await writeOpenAiStream(res, reply);
  });
  return { ...server, enqueue: queue.enqueue, last: () => lastRequest(server) };
}

export async function writeOpenAiStream(res: ServerResponse, reply: Extract<FakeReply, { kind: "stream" }>): Promise<void> {
  res.writeHead(200, { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache", ...reply.headers });
  let n = 0;
  for (const e of reply.events) {
    if (reply.cutAfter !== undefined && n++ >= reply.cutAfter) {
      // Let what was written reach the peer, then drop the connection mid-response.
      await sleep(50);
      res.socket?.destroy();
      return;
    }
    const data = typeof e.data === "string" ? e.data : JSON.stringify(e.data);
    res.write((e.event ? `event: ${e.event}\n` : "") + `data: ${data}\n\n`);
    if (reply.delayMs) await sleep(reply.delayMs);
  }
  res.end();
}

function defaultReply(req: RecordedRequest, path: string): FakeReply {
  if (req.method === "GET" && path.endsWith("/models")) {
    return { kind: "json", body: { object: "list", data: ["gpt-4o-mini", "gpt-4.1"].map((id) => ({ id, object: "model", created: 1715367049, owned_by: "system" })) } };
  }
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(req.body) as Record<string, unknown>;
  } catch {
    return { kind: "json", status: 400, body: { error: { message: "We could not parse the JSON body of your request.", type: "invalid_request_error", param: null, code: null } } };
  }
  const model = typeof body.model === "string" ? body.model : "unknown";
  if (path.endsWith("/chat/completions")) {
    const text = `Hello! You said: ${lastUserText(body.messages)}`;
    const withUsage = (body.stream_options as { include_usage?: boolean } | undefined)?.include_usage === true;
    return body.stream ? { kind: "stream", events: chatStream(model, text, withUsage) } : { kind: "json", body: chatCompletion(model, text) };
  }
  if (path.endsWith("/responses")) {
    const text = `Hello! You said: ${lastUserText(typeof body.input === "string" ? [{ role: "user", content: body.input }] : body.input)}`;
    return body.stream ? { kind: "stream", events: responsesStream(model, text) } : { kind: "json", body: responseObject(model, text, "completed") };
  }
  return { kind: "json", status: 404, body: { error: { message: `Invalid URL (${req.method} ${path})`, type: "invalid_request_error", param: null, code: null } } };
}

function lastUserText(messages: unknown): string {
  if (!Array.isArray(messages)) return "";
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i] as { role?: string; content?: unknown };
    if (m?.role !== "user") continue;
    if (typeof m.content === "string") return m.content;
    if (Array.isArray(m.content)) return m.content.map((p: { text?: string }) => p?.text ?? "").join("");
  }
  return "";
}

const usage = (text: string) => {
  const completion = Math.max(1, text.split(/\s+/).length);
  return {
    prompt_tokens: 19,
    completion_tokens: completion,
    total_tokens: 19 + completion,
    prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
  };
};

export function chatCompletion(model: string, text: string) {
  return {
    id: "chatcmpl-fake0001",
    object: "chat.completion",
    created: 1_760_000_000,
    model,
    choices: [{ index: 0, message: { role: "assistant", content: text, refusal: null, annotations: [] }, logprobs: null, finish_reason: "stop" }],
    usage: usage(text),
    service_tier: "default",
    system_fingerprint: "fp_fake",
  };
}

export function chatStream(model: string, text: string, withUsage: boolean): NativeEvent[] {
  const base = { id: "chatcmpl-fake0002", object: "chat.completion.chunk", created: 1_760_000_000, model, service_tier: "default", system_fingerprint: "fp_fake" };
  const words = text.match(/\S+\s*/g) ?? [text];
  const events: NativeEvent[] = [
    { data: { ...base, choices: [{ index: 0, delta: { role: "assistant", content: "", refusal: null }, logprobs: null, finish_reason: null }] } },
    ...words.map((w) => ({ data: { ...base, choices: [{ index: 0, delta: { content: w }, logprobs: null, finish_reason: null }] } })),
    { data: { ...base, choices: [{ index: 0, delta: {}, logprobs: null, finish_reason: "stop" }] } },
  ];
  if (withUsage) events.push({ data: { ...base, choices: [], usage: usage(text) } });
  events.push({ data: "[DONE]" });
  return events;
}

export function responseObject(model: string, text: string, status: string) {
  const u = usage(text);
  return {
    id: "resp_fake0001",
    object: "response",
    created_at: 1_760_000_000,
    status,
    error: null,
    incomplete_details: null,
    instructions: null,
    max_output_tokens: null,
    model,
    output:
      status === "completed"
        ? [{ id: "msg_fake0001", type: "message", status: "completed", role: "assistant", content: [{ type: "output_text", annotations: [], logprobs: [], text }] }]
        : [],
    parallel_tool_calls: true,
    previous_response_id: null,
    reasoning: { effort: null, summary: null },
    store: true,
    temperature: 1,
    text: { format: { type: "text" }, verbosity: "medium" },
    tool_choice: "auto",
    tools: [],
    top_p: 1,
    truncation: "disabled",
    usage:
      status === "completed"
        ? { input_tokens: u.prompt_tokens, input_tokens_details: { cached_tokens: 0 }, output_tokens: u.completion_tokens, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: u.total_tokens }
        : null,
    user: null,
    metadata: {},
  };
}

export function responsesStream(model: string, text: string): NativeEvent[] {
  const item = { id: "msg_fake0001", type: "message", status: "in_progress", role: "assistant", content: [] as unknown[] };
  const words = text.match(/\S+\s*/g) ?? [text];
  const raw: Array<Record<string, unknown>> = [
    { type: "response.created", response: responseObject(model, text, "in_progress") },
    { type: "response.in_progress", response: responseObject(model, text, "in_progress") },
    { type: "response.output_item.added", output_index: 0, item },
    { type: "response.content_part.added", item_id: item.id, output_index: 0, content_index: 0, part: { type: "output_text", annotations: [], logprobs: [], text: "" } },
    ...words.map((w) => ({ type: "response.output_text.delta", item_id: item.id, output_index: 0, content_index: 0, delta: w, logprobs: [] })),
    { type: "response.output_text.done", item_id: item.id, output_index: 0, content_index: 0, text, logprobs: [] },
    { type: "response.content_part.done", item_id: item.id, output_index: 0, content_index: 0, part: { type: "output_text", annotations: [], logprobs: [], text } },
    { type: "response.output_item.done", output_index: 0, item: { ...item, status: "completed", content: [{ type: "output_text", annotations: [], logprobs: [], text }] } },
    { type: "response.completed", response: responseObject(model, text, "completed") },
  ];
  return raw.map((data, i) => ({ event: data.type as string, data: { ...data, sequence_number: i } }));
}
