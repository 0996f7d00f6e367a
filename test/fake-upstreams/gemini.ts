import type { ServerResponse } from "node:http";
import { GeminiJsonArrayWriter } from "../../adapters/gemini/parse-gemini-json-array-stream.ts";
import type { NativeEvent } from "../../adapters/types.ts";
import { startTestServer, type RecordedRequest } from "../helpers/http-server.ts";
import { lastRequest, replyQueue, sleep, writeSimpleReply, type FakeReply, type FakeUpstream } from "./fake-reply.ts";

/**
 * A fake Gemini API and Vertex AI upstream. Routes, under any API version:
 *   POST …/models/{model}:generateContent | :streamGenerateContent           (Gemini API)
 *   POST …/[projects/{p}/locations/{l}/]publishers/google/models/{model}:…   (Vertex AI)
 *   GET  …/models                       (Gemini listing)
 *   GET  …/publishers/google/models     (Vertex listing)
 * Streams are framed as Google frames them: SSE `data:` events ending in CRLF CRLF with
 * `?alt=sse`, else one growing JSON array. Errors carry Google's body and status; a 429 says
 * when to retry in a RetryInfo detail (Google sends no Retry-After header).
 */
export async function startGeminiFake(): Promise<FakeUpstream> {
  const queue = replyQueue();
  const server = await startTestServer(async (req, res) => {
    const url = new URL(req.url, "http://x");
    const reply = queue.next() ?? defaultReply(req, url);
    if (writeSimpleReply(res, reply)) return;
    if (reply.kind === "stream") await writeGeminiStream(res, reply, url.searchParams.get("alt") === "sse");
  });
  return { ...server, enqueue: queue.enqueue, last: () => lastRequest(server) };
}

export async function writeGeminiStream(res: ServerResponse, reply: Extract<FakeReply, { kind: "stream" }>, sse: boolean): Promise<void> {
  res.writeHead(200, { "content-type": sse ? "text/event-stream" : GeminiJsonArrayWriter.contentType, ...reply.headers });
  const array = new GeminiJsonArrayWriter(2);
  let n = 0;
  for (const e of reply.events) {
    if (reply.cutAfter !== undefined && n++ >= reply.cutAfter) {
      res.socket?.destroy();
      return;
    }
    const data = typeof e.data === "string" ? e.data : JSON.stringify(e.data);
    res.write(sse ? `data: ${data}\r\n\r\n` : array.write(e));
    if (reply.delayMs) await sleep(reply.delayMs);
  }
  res.end(sse ? undefined : array.end());
}

const STATUS_TEXT: Record<number, [string, string]> = {
  400: ["INVALID_ARGUMENT", "Request contains an invalid argument."],
  401: ["UNAUTHENTICATED", "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential."],
  403: ["PERMISSION_DENIED", "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API."],
  404: ["NOT_FOUND", "Requested entity was not found."],
  429: ["RESOURCE_EXHAUSTED", "You exceeded your current quota, please check your plan and billing details."],
  500: ["INTERNAL", "An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting"],
  503: ["UNAVAILABLE", "The model is overloaded. Please try again later."],
  504: ["DEADLINE_EXCEEDED", "Deadline expired before operation could complete."],
};

/** Google's error body for a status, as the Gemini API sends it. */
export function geminiErrorBody(status: number, message?: string, retryDelaySeconds = 20): { error: Record<string, unknown> } {
  const [code, text] = STATUS_TEXT[status] ?? ["UNKNOWN", "Unknown error."];
  const details =
    status === 429
      ? [
          {
            "@type": "type.googleapis.com/google.rpc.QuotaFailure",
            violations: [{ quotaMetric: "generativelanguage.googleapis.com/generate_content_free_tier_requests", quotaId: "GenerateRequestsPerMinutePerProjectPerModel-FreeTier", quotaValue: "10" }],
          },
          { "@type": "type.googleapis.com/google.rpc.RetryInfo", retryDelay: `${retryDelaySeconds}s` },
        ]
      : undefined;
  return { error: { code: status, message: message ?? text, status: code, ...(details && { details }) } };
}

/** A JSON error reply with Google's body. */
export function geminiErrorReply(status: number, message?: string): FakeReply {
  return { kind: "json", status, body: geminiErrorBody(status, message) };
}

const GENERATE = /\/(?:projects\/([^/]+)\/locations\/([^/]+)\/)?(publishers\/google\/)?models\/([^/:]+):(generateContent|streamGenerateContent)$/;

function defaultReply(req: RecordedRequest, url: URL): FakeReply {
  const path = url.pathname;
  const vertex = path.includes("/publishers/");
  const authed = Boolean(req.headers["x-goog-api-key"] || url.searchParams.get("key") || req.headers.authorization);
  if (req.method === "GET" && /\/publishers\/google\/models$/.test(path)) {
    return { kind: "json", body: { publisherModels: ["gemini-2.5-flash", "gemini-2.5-pro"].map((m) => ({ name: `publishers/google/models/${m}`, versionId: "001", openSourceCategory: "PROPRIETARY" })) } };
  }
  if (req.method === "GET" && /\/models$/.test(path)) {
    if (!authed) return geminiErrorReply(403);
    return {
      kind: "json",
      body: {
        models: ["gemini-2.5-flash", "gemini-2.5-pro", "gemini-3-pro-preview"].map((m) => ({
          name: `models/${m}`,
          version: "001",
          displayName: m,
          inputTokenLimit: 1048576,
          outputTokenLimit: 65536,
          supportedGenerationMethods: ["generateContent", "countTokens"],
          thinking: true,
        })),
      },
    };
  }
  const match = req.method === "POST" ? GENERATE.exec(path) : null;
  if (!match) return { kind: "json", status: 404, body: geminiErrorBody(404, `Method not found: ${req.method} ${path}`) };
  if (!authed) return vertex ? geminiErrorReply(401) : geminiErrorReply(403);
  let body: { contents?: unknown };
  try {
    body = JSON.parse(req.body) as { contents?: unknown };
  } catch {
    return geminiErrorReply(400, `Invalid JSON payload received. Unexpected token.\n${req.body.slice(0, 20)}\n^`);
  }
  if (!Array.isArray(body.contents) || body.contents.length === 0) return geminiErrorReply(400, "* GenerateContentRequest.contents: contents is not specified\n");
  const model = match[4];
  const text = `Hello! You said: ${lastUserText(body.contents)}`;
  return match[5] === "streamGenerateContent" ? { kind: "stream", events: geminiStream(model, text, vertex) } : { kind: "json", body: geminiResponse(model, text, vertex) };
}

function lastUserText(contents: unknown[]): string {
  for (let i = contents.length - 1; i >= 0; i--) {
    const c = contents[i] as { role?: string; parts?: Array<{ text?: unknown }> };
    if (c?.role !== undefined && c.role !== "user") continue;
    const texts = (c?.parts ?? []).flatMap((p) => (typeof p?.text === "string" ? [p.text] : []));
    if (texts.length > 0) return texts.join("");
  }
  return "";
}

const PROMPT_TOKENS = 12;
const tokens = (text: string) => Math.max(1, text.split(/\s+/).length);

function usage(text: string, vertex: boolean) {
  const out = tokens(text);
  return {
    promptTokenCount: PROMPT_TOKENS,
    candidatesTokenCount: out,
    totalTokenCount: PROMPT_TOKENS + out,
    ...(vertex && { trafficType: "ON_DEMAND" }),
    promptTokensDetails: [{ modality: "TEXT", tokenCount: PROMPT_TOKENS }],
    ...(vertex && { candidatesTokensDetails: [{ modality: "TEXT", tokenCount: out }] }),
  };
}

/** The envelope fields every response and chunk carries (Vertex adds createTime and drops `index`). */
function envelope(model: string, vertex: boolean) {
  return { modelVersion: model, responseId: vertex ? "fakeVertexResp01" : "fakeGeminiResp01", ...(vertex && { createTime: "2026-01-01T00:00:00.000000Z" }) };
}

export function geminiResponse(model: string, text: string, vertex = false) {
  return {
    candidates: [{ content: { role: "model", parts: [{ text }] }, finishReason: "STOP", ...(!vertex && { index: 0 }) }],
    usageMetadata: usage(text, vertex),
    ...envelope(model, vertex),
  };
}

export function geminiStream(model: string, text: string, vertex = false): NativeEvent[] {
  const words = text.match(/\S+\s*/g) ?? [text];
  let sent = "";
  return words.map((w, i) => {
    sent += w;
    const last = i === words.length - 1;
    return {
      data: {
        candidates: [{ content: { role: "model", parts: [{ text: w }] }, ...(last && { finishReason: "STOP" }), ...(!vertex && { index: 0 }) }],
        usageMetadata: vertex && !last ? { trafficType: "ON_DEMAND" } : usage(sent, vertex),
        ...envelope(model, vertex),
      },
    };
  });
}
