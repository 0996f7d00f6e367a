/** The model's answer (text, then tool calls) as each provider sends it, whole and streamed (not a test file). */

import type { NativeEvent } from "../adapters/types.ts";
import { anthropicMessage, anthropicStreamEvents } from "./fake-upstreams/anthropic.ts";
import type { FakeReply } from "./fake-upstreams/fake-reply.ts";
import { responseObject } from "./fake-upstreams/openai.ts";
import type { Answer } from "./policies-support.ts";

const args = (c: Answer["calls"][number]) => JSON.stringify(c.args);
/** Argument JSON in pieces, as providers stream it. */
const pieces = (s: string, n = 9) => Array.from({ length: Math.ceil(s.length / n) }, (_, i) => s.slice(i * n, i * n + n));
const words = (s: string) => s.match(/\S+\s*/g) ?? [s];

const chatUsage = { prompt_tokens: 50, completion_tokens: 20, total_tokens: 70 };

export function chatAnswer(model: string, a: Answer, stream: boolean, delayMs?: number): FakeReply {
  const toolCalls = a.calls.map((c) => ({ id: c.id, type: "function", function: { name: c.name, arguments: args(c) } }));
  const finish = a.calls.length > 0 ? "tool_calls" : "stop";
  if (!stream) {
    const message = { role: "assistant", content: a.text ?? null, refusal: null, ...(toolCalls.length > 0 && { tool_calls: toolCalls }), annotations: [] };
    return { kind: "json", body: { id: "chatcmpl-pol1", object: "chat.completion", created: 1_760_000_000, model, choices: [{ index: 0, message, logprobs: null, finish_reason: finish }], usage: chatUsage, service_tier: "default", system_fingerprint: "fp_fake" } };
  }
  const base = { id: "chatcmpl-pol2", object: "chat.completion.chunk", created: 1_760_000_000, model, service_tier: "default", system_fingerprint: "fp_fake" };
  const chunk = (delta: object, finish_reason: string | null = null) => ({ data: { ...base, choices: [{ index: 0, delta, logprobs: null, finish_reason }] } });
  const events: NativeEvent[] = [chunk({ role: "assistant", content: "", refusal: null })];
  for (const w of words(a.text ?? "")) if (w) events.push(chunk({ content: w }));
  a.calls.forEach((c, index) => {
    events.push(chunk({ tool_calls: [{ index, id: c.id, type: "function", function: { name: c.name, arguments: "" } }] }));
    for (const p of pieces(args(c))) events.push(chunk({ tool_calls: [{ index, function: { arguments: p } }] }));
  });
  events.push(chunk({}, finish));
  events.push({ data: { ...base, choices: [], usage: chatUsage } });
  events.push({ data: "[DONE]" });
  return { kind: "stream", events, delayMs };
}

export function responsesAnswer(model: string, a: Answer, stream: boolean, delayMs?: number): FakeReply {
  const message = a.text
    ? [{ id: "msg_pol1", type: "message", status: "completed", role: "assistant", content: [{ type: "output_text", annotations: [], logprobs: [], text: a.text }] }]
    : [];
  const calls = a.calls.map((c, i) => ({ id: `fc_pol${i}`, type: "function_call", status: "completed", arguments: args(c), call_id: c.id, name: c.name }));
  const done = { ...responseObject(model, a.text ?? "", "completed"), id: "resp_pol1", output: [...message, ...calls] };
  if (!stream) return { kind: "json", body: done };
  const pending = { ...done, status: "in_progress", output: [], usage: null };
  const raw: Array<Record<string, unknown>> = [
    { type: "response.created", response: pending },
    { type: "response.in_progress", response: pending },
  ];
  let output = 0;
  if (a.text) {
    const item = { id: "msg_pol1", type: "message", status: "in_progress", role: "assistant", content: [] };
    const part = { type: "output_text", annotations: [], logprobs: [], text: "" };
    raw.push({ type: "response.output_item.added", output_index: output, item });
    raw.push({ type: "response.content_part.added", item_id: item.id, output_index: output, content_index: 0, part });
    for (const w of words(a.text)) raw.push({ type: "response.output_text.delta", item_id: item.id, output_index: output, content_index: 0, delta: w, logprobs: [] });
    raw.push({ type: "response.output_text.done", item_id: item.id, output_index: output, content_index: 0, text: a.text, logprobs: [] });
    raw.push({ type: "response.content_part.done", item_id: item.id, output_index: output, content_index: 0, part: { ...part, text: a.text } });
    raw.push({ type: "response.output_item.done", output_index: output, item: message[0] });
    output++;
  }
  for (const call of calls) {
    raw.push({ type: "response.output_item.added", output_index: output, item: { ...call, status: "in_progress", arguments: "" } });
    for (const p of pieces(call.arguments)) raw.push({ type: "response.function_call_arguments.delta", item_id: call.id, output_index: output, delta: p });
    raw.push({ type: "response.function_call_arguments.done", item_id: call.id, output_index: output, arguments: call.arguments });
    raw.push({ type: "response.output_item.done", output_index: output, item: call });
    output++;
  }
  raw.push({ type: "response.completed", response: done });
  return { kind: "stream", delayMs, events: raw.map((data, i) => ({ event: data.type as string, data: { ...data, sequence_number: i } })) };
}

export function anthropicAnswer(model: string, a: Answer, stream: boolean, delayMs?: number): FakeReply {
  const blocks = [...(a.text ? [{ type: "text", text: a.text }] : []), ...a.calls.map((c) => ({ type: "tool_use", id: c.id, name: c.name, input: c.args }))];
  const message = anthropicMessage(model, blocks);
  return stream ? { kind: "stream", events: anthropicStreamEvents(message), delayMs } : { kind: "json", body: message };
}

const geminiUsage = { promptTokenCount: 50, candidatesTokenCount: 20, totalTokenCount: 70 };

export function geminiAnswer(model: string, a: Answer, stream: boolean, delayMs?: number): FakeReply {
  const callParts = a.calls.map((c) => ({ functionCall: { name: c.name, args: c.args } }));
  const envelope = { modelVersion: model, responseId: "polGeminiResp1" };
  if (!stream) {
    const parts = [...(a.text ? [{ text: a.text }] : []), ...callParts];
    return { kind: "json", body: { candidates: [{ content: { role: "model", parts }, finishReason: "STOP", index: 0 }], usageMetadata: geminiUsage, ...envelope } };
  }
  const chunk = (parts: object[], last: boolean) => ({ data: { candidates: [{ content: { role: "model", parts }, ...(last && { finishReason: "STOP" }), index: 0 }], usageMetadata: geminiUsage, ...envelope } });
  const events: NativeEvent[] = words(a.text ?? "").filter(Boolean).map((w) => chunk([{ text: w }], false));
  events.push(chunk(callParts, true));
  return { kind: "stream", events, delayMs };
}

const bedrockUsage = { inputTokens: 50, outputTokens: 20, totalTokens: 70 };

export function bedrockAnswer(a: Answer, stream: boolean, delayMs?: number): FakeReply {
  const stopReason = a.calls.length > 0 ? "tool_use" : "end_turn";
  if (!stream) {
    const content = [...(a.text ? [{ text: a.text }] : []), ...a.calls.map((c) => ({ toolUse: { toolUseId: c.id, name: c.name, input: c.args } }))];
    return { kind: "json", body: { metrics: { latencyMs: 300 }, output: { message: { role: "assistant", content } }, stopReason, usage: bedrockUsage } };
  }
  const events: NativeEvent[] = [{ event: "messageStart", data: { role: "assistant" } }];
  let index = 0;
  if (a.text) {
    for (const w of words(a.text)) events.push({ event: "contentBlockDelta", data: { contentBlockIndex: index, delta: { text: w } } });
    events.push({ event: "contentBlockStop", data: { contentBlockIndex: index++ } });
  }
  for (const c of a.calls) {
    events.push({ event: "contentBlockStart", data: { contentBlockIndex: index, start: { toolUse: { toolUseId: c.id, name: c.name } } } });
    for (const p of pieces(args(c))) events.push({ event: "contentBlockDelta", data: { contentBlockIndex: index, delta: { toolUse: { input: p } } } });
    events.push({ event: "contentBlockStop", data: { contentBlockIndex: index++ } });
  }
  events.push({ event: "messageStop", data: { stopReason } });
  events.push({ event: "metadata", data: { usage: bedrockUsage, metrics: { latencyMs: 280 } } });
  return { kind: "stream", events, delayMs };
}
