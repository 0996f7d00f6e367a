/**
 * Every route a client reaches a model by, each driven by the provider's real SDK: the router
 * (Chat and Responses, to OpenAI and to Anthropic) and the native passthrough routes (OpenAI Chat
 * and Responses, Anthropic, Gemini, Bedrock). Not a test file.
 */

import Anthropic from "@anthropic-ai/sdk";
import { BedrockRuntimeClient, ConverseCommand, ConverseStreamCommand, type ContentBlock, type Message as BedrockMessage } from "@aws-sdk/client-bedrock-runtime";
import { GoogleGenAI, type Content, type Part } from "@google/genai";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import OpenAI from "openai";
import type { FakeReply, FakeUpstream } from "./fake-upstreams/fake-reply.ts";
import { anthropicAnswer, bedrockAnswer, chatAnswer, geminiAnswer, responsesAnswer } from "./policies-answers.ts";
import { PT_KEY, resultText, TOOL_SCHEMA, TOOLS, type Answer, type Conversation, type PolicyFixture } from "./policies-support.ts";

/** What the client got, whatever its format. */
export interface ClientAnswer {
  text: string;
  calls: Array<{ name: string; args: unknown }>;
  /** The format's own finish word (`stop`, `end_turn`, `STOP`, …; Responses: `completed`). */
  finish: string;
  /** Chat streams: the `index` of each call as sent (a client keys calls by it). */
  toolIndexes?: number[];
}

export interface SendOptions {
  proxy?: string;
  headers?: Record<string, string>;
}

export interface Route {
  name: string;
  upstream(f: PolicyFixture): FakeUpstream;
  answer(a: Answer, stream: boolean, delayMs?: number): FakeReply;
  send(f: PolicyFixture, c: Conversation, stream: boolean, o?: SendOptions): Promise<ClientAnswer>;
  /** The finish word a client must see when every tool call was removed. */
  stopWord: string;
  /** The finish word while calls remain. */
  callWord: string;
}

export const ANTHROPIC_MODEL = "claude-sonnet-4-5";
export const GEMINI_MODEL = "gemini-2.5-flash";
export const BEDROCK_MODEL = "anthropic.claude-3-5-sonnet-20240620-v1:0";

const proxyPath = (o?: SendOptions) => (o?.proxy ? `/${o.proxy}` : "");
const parse = (s: string): unknown => (s === "" ? {} : JSON.parse(s));

// ---- OpenAI Chat ----

export function chatMessages(c: Conversation): OpenAI.ChatCompletionMessageParam[] {
  const out: OpenAI.ChatCompletionMessageParam[] = [{ role: "user", content: c.user }];
  for (const s of c.steps) {
    out.push({ role: "assistant", content: null, tool_calls: [{ id: s.id, type: "function", function: { name: s.name, arguments: JSON.stringify(s.args) } }] });
    out.push({ role: "tool", tool_call_id: s.id, content: resultText(s) });
  }
  return out;
}

export const chatTools: OpenAI.ChatCompletionTool[] = TOOLS.map((name) => ({ type: "function", function: { name, parameters: TOOL_SCHEMA } }));

async function sendChat(client: OpenAI, model: string, c: Conversation, stream: boolean): Promise<ClientAnswer> {
  const body = { model, messages: chatMessages(c), tools: chatTools };
  if (!stream) {
    const res = await client.chat.completions.create(body);
    const m = res.choices[0].message;
    return { text: m.content ?? "", calls: (m.tool_calls ?? []).map((t) => (t.type === "function" ? { name: t.function.name, args: parse(t.function.arguments) } : { name: "?", args: {} })), finish: res.choices[0].finish_reason };
  }
  let text = "";
  let finish = "";
  const calls: Array<{ name: string; args: string }> = [];
  for await (const chunk of await client.chat.completions.create({ ...body, stream: true, stream_options: { include_usage: true } })) {
    const choice = chunk.choices[0];
    if (!choice) continue;
    text += choice.delta.content ?? "";
    for (const t of choice.delta.tool_calls ?? []) {
      calls[t.index] ??= { name: "", args: "" };
      calls[t.index].name += t.function?.name ?? "";
      calls[t.index].args += t.function?.arguments ?? "";
    }
    if (choice.finish_reason) {
      if (finish) throw new Error("a second finish reason");
      finish = choice.finish_reason;
    }
  }
  const sent = Object.keys(calls).map(Number);
  return { text, calls: sent.map((i) => ({ name: calls[i].name, args: parse(calls[i].args) })), finish, toolIndexes: sent };
}

// ---- OpenAI Responses ----

export function responsesInput(c: Conversation): OpenAI.Responses.ResponseInputItem[] {
  const out: OpenAI.Responses.ResponseInputItem[] = [{ role: "user", content: c.user }];
  for (const s of c.steps) {
    out.push({ type: "function_call", call_id: s.id, name: s.name, arguments: JSON.stringify(s.args) });
    out.push({ type: "function_call_output", call_id: s.id, output: resultText(s) });
  }
  return out;
}

export const responsesTools: OpenAI.Responses.FunctionTool[] = TOOLS.map((name) => ({ type: "function", name, parameters: TOOL_SCHEMA, strict: false }));

async function sendResponses(client: OpenAI, model: string, c: Conversation, stream: boolean): Promise<ClientAnswer> {
  const body = { model, input: responsesInput(c), tools: responsesTools };
  let res: OpenAI.Responses.Response | undefined;
  if (!stream) res = await client.responses.create(body);
  else {
    let seq = -1;
    for await (const e of await client.responses.create({ ...body, stream: true })) {
      if (e.sequence_number !== seq + 1) throw new Error(`sequence_number ${e.sequence_number} after ${seq}`);
      seq = e.sequence_number;
      if (e.type === "response.completed") res = e.response;
    }
  }
  if (!res) throw new Error("no response.completed");
  const calls = res.output.flatMap((o) => (o.type === "function_call" ? [{ name: o.name, args: parse(o.arguments) }] : []));
  // `output_text` is the SDK's own convenience, set on whole responses only.
  const text = res.output.flatMap((o) => (o.type === "message" ? o.content.flatMap((c) => (c.type === "output_text" ? [c.text] : [])) : [])).join("");
  return { text, calls, finish: res.status ?? "" };
}

// ---- Anthropic ----

export function anthropicMessages(c: Conversation): Anthropic.MessageParam[] {
  const out: Anthropic.MessageParam[] = [{ role: "user", content: c.user }];
  for (const s of c.steps) {
    out.push({ role: "assistant", content: [{ type: "tool_use", id: s.id, name: s.name, input: s.args }] });
    out.push({ role: "user", content: [{ type: "tool_result", tool_use_id: s.id, content: resultText(s) }] });
  }
  return out;
}

export const anthropicTools: Anthropic.Tool[] = TOOLS.map((name) => ({ name, input_schema: { type: "object", properties: {}, additionalProperties: true } }));

async function sendAnthropic(client: Anthropic, model: string, c: Conversation, stream: boolean): Promise<ClientAnswer> {
  const body = { model, max_tokens: 512, messages: anthropicMessages(c), tools: anthropicTools };
  const msg = stream ? await client.messages.stream(body).finalMessage() : await client.messages.create(body);
  const text = msg.content.flatMap((b) => (b.type === "text" ? [b.text] : [])).join("");
  const calls = msg.content.flatMap((b) => (b.type === "tool_use" ? [{ name: b.name, args: b.input }] : []));
  return { text, calls, finish: msg.stop_reason ?? "" };
}

// ---- Gemini ----

export function geminiContents(c: Conversation): Content[] {
  const out: Content[] = [{ role: "user", parts: [{ text: c.user }] }];
  for (const s of c.steps) {
    out.push({ role: "model", parts: [{ functionCall: { id: s.id, name: s.name, args: s.args } }] });
    const response = typeof s.result === "string" ? { output: s.result } : s.result;
    out.push({ role: "user", parts: [{ functionResponse: { id: s.id, name: s.name, response } }] });
  }
  return out;
}

async function sendGemini(ai: GoogleGenAI, c: Conversation, stream: boolean): Promise<ClientAnswer> {
  const request = { model: GEMINI_MODEL, contents: geminiContents(c), config: { tools: [{ functionDeclarations: TOOLS.map((name) => ({ name, parametersJsonSchema: TOOL_SCHEMA })) }] } };
  const parts: Part[] = [];
  let finish = "";
  const take = (r: { candidates?: Array<{ content?: Content; finishReason?: string }> }) => {
    const cand = r.candidates?.[0];
    parts.push(...(cand?.content?.parts ?? []));
    if (cand?.finishReason) finish = cand.finishReason;
  };
  if (!stream) take(await ai.models.generateContent(request));
  else for await (const chunk of await ai.models.generateContentStream(request)) take(chunk);
  return {
    text: parts.map((p) => p.text ?? "").join(""),
    calls: parts.flatMap((p) => (p.functionCall ? [{ name: p.functionCall.name ?? "", args: p.functionCall.args }] : [])),
    finish,
  };
}

// ---- Bedrock ----

export function bedrockMessages(c: Conversation): BedrockMessage[] {
  const out: BedrockMessage[] = [{ role: "user", content: [{ text: c.user }] }];
  for (const s of c.steps) {
    out.push({ role: "assistant", content: [{ toolUse: { toolUseId: s.id, name: s.name, input: s.args as never } }] });
    out.push({ role: "user", content: [{ toolResult: { toolUseId: s.id, content: [{ text: resultText(s) }] } }] });
  }
  return out;
}

async function sendBedrock(client: BedrockRuntimeClient, c: Conversation, stream: boolean): Promise<ClientAnswer> {
  const input = {
    modelId: BEDROCK_MODEL,
    messages: bedrockMessages(c),
    toolConfig: { tools: TOOLS.map((name) => ({ toolSpec: { name, inputSchema: { json: TOOL_SCHEMA as never } } })) },
  };
  if (!stream) {
    const out = await client.send(new ConverseCommand(input));
    const content: ContentBlock[] = out.output?.message?.content ?? [];
    return {
      text: content.map((b) => b.text ?? "").join(""),
      calls: content.flatMap((b) => (b.toolUse ? [{ name: b.toolUse.name ?? "", args: b.toolUse.input }] : [])),
      finish: out.stopReason ?? "",
    };
  }
  const out = await client.send(new ConverseStreamCommand(input));
  let text = "";
  let finish = "";
  const calls: Array<{ name: string; args: string }> = [];
  for await (const e of out.stream ?? []) {
    if (e.contentBlockStart?.start?.toolUse) calls.push({ name: e.contentBlockStart.start.toolUse.name ?? "", args: "" });
    text += e.contentBlockDelta?.delta?.text ?? "";
    const piece = e.contentBlockDelta?.delta?.toolUse?.input;
    if (piece !== undefined) calls[calls.length - 1].args += piece;
    if (e.messageStop) finish = e.messageStop.stopReason ?? "";
  }
  return { text, calls: calls.map((t) => ({ name: t.name, args: parse(t.args) })), finish };
}

// ---- the routes ----

const openai = (f: PolicyFixture, base: string, o?: SendOptions) => new OpenAI({ baseURL: f.url(base), apiKey: PT_KEY, maxRetries: 0, defaultHeaders: o?.headers });

export const ROUTES: Route[] = [
  {
    name: "router chat → openai",
    upstream: (f) => f.openai,
    answer: (a, s, d) => chatAnswer("gpt-4o-mini", a, s, d),
    send: (f, c, s, o) => sendChat(openai(f, `/v1/model-router/${o?.proxy ?? "default"}`, o), "openai:gpt-4o-mini", c, s),
    stopWord: "stop",
    callWord: "tool_calls",
  },
  {
    name: "router responses → openai",
    upstream: (f) => f.openai,
    answer: (a, s, d) => responsesAnswer("gpt-4o-mini", a, s, d),
    send: (f, c, s, o) => sendResponses(openai(f, `/v1/model-router/${o?.proxy ?? "default"}`, o), "openai:gpt-4o-mini", c, s),
    stopWord: "completed",
    callWord: "completed",
  },
  {
    name: "router chat → anthropic",
    upstream: (f) => f.anthropic,
    answer: (a, s, d) => anthropicAnswer(ANTHROPIC_MODEL, a, s, d),
    send: (f, c, s, o) => sendChat(openai(f, `/v1/model-router/${o?.proxy ?? "default"}`, o), `anthropic:${ANTHROPIC_MODEL}`, c, s),
    stopWord: "stop",
    callWord: "tool_calls",
  },
  {
    name: "passthrough /v1/openai chat",
    upstream: (f) => f.openai,
    answer: (a, s, d) => chatAnswer("gpt-4o-mini", a, s, d),
    send: (f, c, s, o) => sendChat(openai(f, `/v1/openai${proxyPath(o)}`, o), "gpt-4o-mini", c, s),
    stopWord: "stop",
    callWord: "tool_calls",
  },
  {
    name: "passthrough /v1/openai responses",
    upstream: (f) => f.openai,
    answer: (a, s, d) => responsesAnswer("gpt-4o-mini", a, s, d),
    send: (f, c, s, o) => sendResponses(openai(f, `/v1/openai${proxyPath(o)}`, o), "gpt-4o-mini", c, s),
    stopWord: "completed",
    callWord: "completed",
  },
  {
    name: "passthrough /v1/anthropic",
    upstream: (f) => f.anthropic,
    answer: (a, s, d) => anthropicAnswer(ANTHROPIC_MODEL, a, s, d),
    send: (f, c, s, o) => sendAnthropic(new Anthropic({ apiKey: PT_KEY, baseURL: f.url(`/v1/anthropic${proxyPath(o)}`), maxRetries: 0, defaultHeaders: o?.headers }), ANTHROPIC_MODEL, c, s),
    stopWord: "end_turn",
    callWord: "tool_use",
  },
  {
    name: "passthrough /v1/gemini",
    upstream: (f) => f.gemini,
    answer: (a, s, d) => geminiAnswer(GEMINI_MODEL, a, s, d),
    send: (f, c, s, o) => sendGemini(new GoogleGenAI({ apiKey: PT_KEY, httpOptions: { baseUrl: f.url(`/v1/gemini${proxyPath(o)}`), apiVersion: "v1beta", headers: o?.headers } }), c, s),
    stopWord: "STOP",
    callWord: "STOP",
  },
  {
    name: "passthrough /v1/bedrock",
    upstream: (f) => f.bedrock,
    answer: (a, s, d) => bedrockAnswer(a, s, d),
    send: (f, c, s, o) => sendBedrock(bedrockClient(f, o), c, s),
    stopWord: "end_turn",
    callWord: "tool_use",
  },
];

function bedrockClient(f: PolicyFixture, o?: SendOptions): BedrockRuntimeClient {
  const client = new BedrockRuntimeClient({
    region: "us-east-1",
    endpoint: f.url(`/v1/bedrock${proxyPath(o)}`),
    credentials: { accessKeyId: PT_KEY, secretAccessKey: "anything" },
    maxAttempts: 1,
    requestHandler: new NodeHttpHandler(),
  });
  const headers = o?.headers;
  if (headers) {
    client.middlewareStack.add(
      (next) => async (args) => {
        const request = args.request as { headers: Record<string, string> };
        Object.assign(request.headers, headers);
        return next(args);
      },
      { step: "build" },
    );
  }
  return client;
}
