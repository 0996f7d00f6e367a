import { describe, test } from "node:test";
import assert from "node:assert/strict";
import OpenAI from "openai";
import type { ChatCompletion, ChatCompletionChunk } from "openai/resources/chat/completions";
import type { Response, ResponseStreamEvent } from "openai/resources/responses/responses";
import { anthropicCodec } from "../adapters/anthropic/anthropic-codec.ts";
import { bedrockCodec } from "../adapters/bedrock/bedrock-codec.ts";
import { geminiCodec } from "../adapters/gemini/gemini-codec.ts";
import { chatCodec } from "../adapters/openai/chat/chat-codec.ts";
import { responsesCodec } from "../adapters/openai/responses/responses-codec.ts";
import type { EncodeContext, NativeEvent, WireCodec } from "../adapters/types.ts";
import type { JsonObject } from "../src/canonical/extras.ts";
import { unwrapForeignReasoning } from "../src/canonical/foreign-reasoning.ts";
import { listFixtures, readFixtureChunks, readFixtureJson } from "./helpers/fixtures.ts";
import { assertWellFormedResponsesStream, streamedChat } from "./helpers/native-router-fixture.ts";

/**
 * Every recorded Anthropic, Gemini and Bedrock payload, translated to OpenAI Chat Completions and
 * Responses, whole and streamed. What each must carry (text, reasoning, signatures, tool calls,
 * usage in OpenAI semantics, finish) is read from the raw payload by the small extractors below,
 * written from the providers' documentation — not from our decoders — so a translation that
 * loses or bends anything fails here.
 */
interface Expected {
  text: string;
  reasoning: string;
  /** Signatures and opaque reasoning the client must be able to hand back. */
  signatures: string[];
  calls: Array<{ id?: string; name: string; args: unknown }>;
  usage: { prompt: number; completion: number; cached: number; reasoning: number; total?: number };
  finish: ChatCompletion.Choice["finish_reason"];
  /** URLs cited by the text (Responses url_citation annotations). */
  citedUrls: string[];
}

/** Raw fixture JSON, read field by field as the provider documents it (no SDK type covers all three formats loosely). */
type Json = Record<string, any>;

const ANTHROPIC_FINISH: Record<string, Expected["finish"]> = { end_turn: "stop", stop_sequence: "stop", tool_use: "tool_calls", max_tokens: "length", refusal: "content_filter" };

function anthropicUsage(u: Json): Expected["usage"] {
  const cached = u.cache_read_input_tokens ?? 0;
  const prompt = u.input_tokens + cached + (u.cache_creation_input_tokens ?? 0);
  return { prompt, completion: u.output_tokens, cached, reasoning: u.output_tokens_details?.thinking_tokens ?? 0, total: prompt + u.output_tokens };
}

function fromAnthropicMessage(m: Json): Expected {
  const blocks = m.content as Json[];
  return {
    text: blocks.filter((b) => b.type === "text").map((b) => b.text).join(""),
    reasoning: blocks.filter((b) => b.type === "thinking").map((b) => b.thinking).join(""),
    signatures: blocks.flatMap((b) => (b.type === "thinking" ? [b.signature] : b.type === "redacted_thinking" ? [b.data] : [])),
    calls: blocks.filter((b) => b.type === "tool_use").map((b) => ({ id: b.id, name: b.name, args: b.input })),
    usage: anthropicUsage(m.usage),
    finish: ANTHROPIC_FINISH[m.stop_reason],
    citedUrls: blocks.flatMap((b) => (b.citations ?? []).flatMap((c: Json) => (c.url ? [c.url] : []))),
  };
}

function fromAnthropicStream(events: Json[]): Expected {
  const start = events.find((e) => e.type === "message_start")!.message;
  const delta = events.find((e) => e.type === "message_delta")!;
  const blocks: Json[] = [];
  for (const e of events) {
    if (e.type === "content_block_start") blocks[e.index] = { ...e.content_block, json: "" };
    if (e.type !== "content_block_delta") continue;
    const b = blocks[e.index];
    const d = e.delta;
    if (d.type === "text_delta") b.text += d.text;
    if (d.type === "thinking_delta") b.thinking += d.thinking;
    if (d.type === "signature_delta") b.signature = d.signature;
    if (d.type === "input_json_delta") b.json += d.partial_json;
    if (d.type === "citations_delta") (b.citations ??= []).push(d.citation);
  }
  for (const b of blocks) if (b.type === "tool_use") b.input = b.json === "" ? {} : JSON.parse(b.json);
  // message_delta's counts are cumulative and win; what it leaves out comes from message_start.
  const usage: Json = { ...start.usage };
  for (const [k, v] of Object.entries(delta.usage ?? {})) if (v !== null) usage[k] = v;
  return fromAnthropicMessage({ content: blocks, usage, stop_reason: delta.delta.stop_reason });
}

/** Vertex streams call arguments as JSON-path fragments; strings continue across fragments. */
function setAtPath(root: Json, path: string, value: unknown, append: boolean): void {
  const keys = [...path.slice(1).matchAll(/\.([^.[\]]+)|\[(\d+)\]/g)].map((m) => (m[2] !== undefined ? Number(m[2]) : m[1]));
  let node: Json = root;
  keys.forEach((k, i) => {
    if (i === keys.length - 1) node[k] = append && typeof node[k] === "string" ? node[k] + (value as string) : value;
    else node = node[k] ??= typeof keys[i + 1] === "number" ? [] : {};
  });
}

function fromGeminiParts(parts: Json[], usage: Json, finishReason: string): Expected {
  const calls: Expected["calls"] = [];
  let open: Json | undefined;
  let text = "";
  let reasoning = "";
  const signatures: string[] = [];
  for (const p of parts) {
    if (p.thoughtSignature) signatures.push(p.thoughtSignature);
    if (typeof p.text === "string") {
      if (p.thought) reasoning += p.text;
      else text += p.text;
    }
    const fc = p.functionCall;
    if (!fc) continue;
    if (fc.name) {
      open = { name: fc.name, args: fc.args ?? {} };
      calls.push(open as Expected["calls"][number]);
    }
    for (const a of fc.partialArgs ?? []) {
      const value = "stringValue" in a ? a.stringValue : "numberValue" in a ? a.numberValue : "boolValue" in a ? a.boolValue : null;
      setAtPath(open!.args, a.jsonPath, value, "stringValue" in a);
    }
  }
  return {
    text,
    reasoning,
    signatures,
    calls,
    usage: {
      prompt: usage.promptTokenCount,
      completion: (usage.candidatesTokenCount ?? 0) + (usage.thoughtsTokenCount ?? 0),
      cached: usage.cachedContentTokenCount ?? 0,
      reasoning: usage.thoughtsTokenCount ?? 0,
      total: usage.totalTokenCount,
    },
    finish: finishReason === "STOP" ? (calls.length > 0 ? "tool_calls" : "stop") : finishReason === "MAX_TOKENS" ? "length" : "content_filter",
    citedUrls: [],
  };
}

function fromGeminiStream(chunks: Json[]): Expected {
  const parts = chunks.flatMap((c) => c.candidates?.[0]?.content?.parts ?? []);
  const usage = chunks.map((c) => c.usageMetadata).filter((u) => u?.promptTokenCount !== undefined).at(-1);
  const finish = chunks.map((c) => c.candidates?.[0]?.finishReason).filter(Boolean).at(-1);
  return fromGeminiParts(parts, usage, finish);
}

const BEDROCK_FINISH: Record<string, Expected["finish"]> = { end_turn: "stop", stop_sequence: "stop", tool_use: "tool_calls", max_tokens: "length", guardrail_intervened: "content_filter", content_filtered: "content_filter" };

function fromBedrock(blocks: Json[], usage: Json, stopReason: string): Expected {
  const cached = usage.cacheReadInputTokens ?? 0;
  return {
    text: blocks.filter((b) => typeof b.text === "string").map((b) => b.text).join(""),
    reasoning: blocks.map((b) => b.reasoningContent?.reasoningText?.text ?? "").join(""),
    signatures: blocks.flatMap((b) => (b.reasoningContent?.reasoningText?.signature ? [b.reasoningContent.reasoningText.signature] : [])),
    calls: blocks.filter((b) => b.toolUse).map((b) => ({ id: b.toolUse.toolUseId, name: b.toolUse.name, args: b.toolUse.input })),
    usage: { prompt: usage.inputTokens + cached + (usage.cacheWriteInputTokens ?? 0), completion: usage.outputTokens, cached, reasoning: 0, total: usage.totalTokens },
    finish: BEDROCK_FINISH[stopReason],
    citedUrls: [],
  };
}

function fromBedrockStream(events: Json[]): Expected {
  const blocks: Json[] = [];
  let stop = "";
  let usage: Json = {};
  for (const e of events) {
    const [name, d] = Object.entries(e)[0] as [string, Json];
    if (name === "contentBlockStart" && d.start.toolUse) blocks[d.contentBlockIndex] = { toolUse: { ...d.start.toolUse, json: "" } };
    if (name === "contentBlockDelta") {
      const b = (blocks[d.contentBlockIndex] ??= {});
      if (typeof d.delta.text === "string") b.text = (b.text ?? "") + d.delta.text;
      const r = d.delta.reasoningContent;
      if (r) {
        const rt = ((b.reasoningContent ??= {}).reasoningText ??= { text: "" });
        if (r.text) rt.text += r.text;
        if (r.signature) rt.signature = r.signature;
      }
      if (d.delta.toolUse) b.toolUse.json += d.delta.toolUse.input;
    }
    if (name === "messageStop") stop = d.stopReason;
    if (name === "metadata") usage = d.usage;
  }
  for (const b of blocks) if (b?.toolUse) b.toolUse.input = b.toolUse.json === "" ? {} : JSON.parse(b.toolUse.json);
  return fromBedrock(blocks.filter(Boolean), usage, stop);
}

/** What a Chat client got, whole. */
function fromChat(c: ChatCompletion): Omit<Expected, "citedUrls"> {
  const m = c.choices[0].message as ChatCompletion.Choice["message"] & { reasoning_content?: string; reasoning_details?: Json[] };
  const calls = (m.tool_calls ?? []) as Array<Json>;
  return {
    text: m.content ?? "",
    reasoning: m.reasoning_content ?? "",
    signatures: [...(m.reasoning_details ?? []).map((d) => d.signature ?? d.data), ...calls.flatMap((t) => t.extra_content?.google?.thought_signature ?? [])],
    calls: calls.map((t) => ({ id: t.id, name: t.function.name, args: JSON.parse(t.function.arguments) })),
    usage: {
      prompt: c.usage!.prompt_tokens,
      completion: c.usage!.completion_tokens,
      cached: c.usage!.prompt_tokens_details?.cached_tokens ?? 0,
      reasoning: c.usage!.completion_tokens_details?.reasoning_tokens ?? 0,
      total: c.usage!.total_tokens,
    },
    finish: c.choices[0].finish_reason,
  };
}

/** What a Responses client got: the items, read as a client reads them. */
function fromResponses(r: Response): Expected {
  const reasoningItems = r.output.filter((o) => o.type === "reasoning");
  const text = r.output.flatMap((o) => (o.type === "message" ? o.content.flatMap((c) => (c.type === "output_text" ? [c.text] : [])) : [])).join("");
  const u = r.usage!;
  return {
    text,
    reasoning: reasoningItems.map((o) => (o.content ?? []).map((c) => c.text).join("") || o.summary.map((s) => s.text).join("")).join(""),
    signatures: reasoningItems.flatMap((o) => {
      const env = o.encrypted_content ? unwrapForeignReasoning(o.encrypted_content) : undefined;
      return env ? [env.signature ?? env.encrypted!] : [];
    }),
    calls: r.output.flatMap((o) => (o.type === "function_call" ? [{ id: o.call_id, name: o.name, args: JSON.parse(o.arguments) }] : [])),
    usage: { prompt: u.input_tokens, completion: u.output_tokens, cached: u.input_tokens_details.cached_tokens, reasoning: u.output_tokens_details.reasoning_tokens, total: u.total_tokens },
    finish: r.status === "incomplete" ? "length" : r.output.some((o) => o.type === "function_call") ? "tool_calls" : "stop",
    citedUrls: r.output.flatMap((o) => (o.type === "message" ? o.content.flatMap((c) => (c.type === "output_text" ? c.annotations.flatMap((a) => (a.type === "url_citation" ? [a.url] : [])) : [])) : [])),
  };
}

/** Made-up call ids (Gemini gives none) are compared by name and arguments only. */
function assertSame(actual: Omit<Expected, "citedUrls">, expected: Expected, where: string, ids: boolean): void {
  assert.equal(actual.text, expected.text, `${where}: text`);
  assert.equal(actual.reasoning, expected.reasoning, `${where}: reasoning`);
  assert.deepEqual([...actual.signatures].sort(), [...expected.signatures].sort(), `${where}: signatures`);
  const strip = (calls: Expected["calls"]) => calls.map((c) => (ids ? c : { name: c.name, args: c.args }));
  assert.deepEqual(strip(actual.calls), strip(expected.calls), `${where}: tool calls`);
  const { total, ...usage } = expected.usage;
  const { total: actualTotal, ...got } = actual.usage;
  assert.deepEqual(got, usage, `${where}: usage`);
  if (total !== undefined) assert.equal(actualTotal, total, `${where}: total tokens`);
  assert.equal(actual.finish, expected.finish, `${where}: finish`);
}

const context = (stream: boolean): EncodeContext => ({
  request: { model: "m", messages: [{ role: "user", content: [{ type: "text", text: "hi" }] }], stream, streamUsage: stream },
  model: "m",
});

/** Runs Responses events through the openai SDK's strict accumulator. */
async function sdkFinalResponse(events: NativeEvent[]): Promise<Response> {
  const body = events.map((e) => `event: ${e.event}\ndata: ${JSON.stringify(e.data)}\n\n`).join("");
  const client = new OpenAI({ apiKey: "k", baseURL: "http://sdk.test/v1", fetch: async () => new globalThis.Response(body, { headers: { "content-type": "text/event-stream" } }) });
  return client.responses.stream({ model: "m", input: "hi" }).finalResponse();
}

/** The SDK adds `parsed` / `parsed_arguments` helpers to what it was sent. */
function withoutSdkFields(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutSdkFields);
  if (typeof value !== "object" || value === null) return value;
  return Object.fromEntries(Object.entries(value).filter(([k]) => k !== "parsed" && k !== "parsed_arguments").map(([k, v]) => [k, withoutSdkFields(v)]));
}

interface Format {
  folder: string;
  codec: WireCodec;
  event(line: JsonObject): NativeEvent;
  whole(body: Json): Expected;
  streamed(lines: Json[]): Expected;
  ids: boolean;
}

const FORMATS: Format[] = [
  { folder: "anthropic", codec: anthropicCodec, event: (d) => ({ event: d.type as string, data: d }), whole: fromAnthropicMessage, streamed: fromAnthropicStream, ids: true },
  { folder: "gemini", codec: geminiCodec, event: (d) => ({ data: d }), whole: (b) => fromGeminiParts(b.candidates[0].content.parts, b.usageMetadata, b.candidates[0].finishReason), streamed: fromGeminiStream, ids: false },
  {
    folder: "bedrock",
    codec: bedrockCodec,
    event: (d) => {
      const [event, data] = Object.entries(d)[0];
      return { event, data: data as JsonObject };
    },
    whole: (b) => fromBedrock(b.output.message.content, b.usage, b.stopReason),
    streamed: fromBedrockStream,
    ids: true,
  },
];

for (const fmt of FORMATS) {
  describe(`${fmt.folder}: recorded responses → OpenAI Chat and Responses`, () => {
    for (const file of listFixtures(fmt.folder, ".json")) {
      test(file, () => {
        const body = readFixtureJson(fmt.folder, file);
        const decoded = fmt.codec.decodeResponse(body);
        assert.deepEqual(fmt.codec.encodeResponse(decoded, context(false)), body, "encode(decode(x)) equals x");
        const expected = fmt.whole(body as Json);
        const chat = chatCodec.encodeResponse(decoded, context(false)) as unknown as ChatCompletion;
        assertSame(fromChat(chat), expected, "chat", fmt.ids);
        const responses = fromResponses(responsesCodec.encodeResponse(decoded, context(false)) as unknown as Response);
        assertSame(responses, expected, "responses", fmt.ids);
        assert.deepEqual([...new Set(responses.citedUrls)].sort(), [...new Set(expected.citedUrls)].sort(), "cited URLs");
      });
    }
  });

  describe(`${fmt.folder}: recorded streams → OpenAI Chat and Responses streams`, () => {
    for (const file of listFixtures(fmt.folder, ".chunks.txt")) {
      test(file, async () => {
        const lines = readFixtureChunks(fmt.folder, file);
        const events = lines.map(fmt.event);
        const expected = fmt.streamed(lines as Json[]);

        // Each event decodes and re-encodes to itself.
        const own = fmt.codec.streamEncoder(context(true));
        const roundTrip = fmt.codec.streamDecoder();
        events.forEach((e, i) => assert.deepEqual(own.encode(roundTrip.decode(e)), [e], `event ${i} round-trips`));

        const decoder = fmt.codec.streamDecoder();
        const chunks = events.map((e) => decoder.decode(e));
        const tail = decoder.end();
        if (tail) chunks.push(tail);
        assert.ok(!chunks.some((c) => c.events.some((e) => e.type === "error")), "a complete recording decodes without error");

        const chatEncoder = chatCodec.streamEncoder(context(true));
        const chatOut = [...chunks.flatMap((c) => chatEncoder.encode(c)), ...chatEncoder.end()];
        assert.equal(chatOut.at(-1)?.data, "[DONE]");
        const chatChunks = chatOut.slice(0, -1).map((e) => e.data as unknown as ChatCompletionChunk);
        const s = streamedChat(chatChunks);
        assert.equal(s.finishReasons.length, 1, "one finish reason");
        const u = s.usage!;
        const asChat = {
          text: s.text,
          reasoning: s.reasoning,
          signatures: [
            ...s.reasoningDetails.map((d) => (d.signature ?? d.data) as string),
            ...chatChunks.flatMap((c) => (c.choices[0]?.delta.tool_calls ?? []).flatMap((t) => (t as Json).extra_content?.google?.thought_signature ?? [])),
          ],
          calls: s.calls.map((c) => ({ id: c.id, name: c.name, args: JSON.parse(c.args) })),
          usage: { prompt: u.prompt_tokens, completion: u.completion_tokens, cached: u.prompt_tokens_details?.cached_tokens ?? 0, reasoning: u.completion_tokens_details?.reasoning_tokens ?? 0, total: u.total_tokens },
          finish: s.finishReasons[0] as Expected["finish"],
        };
        assertSame(asChat, expected, "chat stream", fmt.ids);

        const responsesEncoder = responsesCodec.streamEncoder(context(true));
        const responsesOut = [...chunks.flatMap((c) => responsesEncoder.encode(c)), ...responsesEncoder.end()];
        assertWellFormedResponsesStream(responsesOut.map((e) => e.data as unknown as ResponseStreamEvent));
        const final = await sdkFinalResponse(responsesOut);
        const fromStream = fromResponses(final);
        assertSame(fromStream, expected, "responses stream", fmt.ids);
        assert.deepEqual([...new Set(fromStream.citedUrls)].sort(), [...new Set(expected.citedUrls)].sort(), "cited URLs");
        const completed = responsesOut.at(-1)!.data as unknown as { response: Response };
        assert.deepEqual(withoutSdkFields(final.output), completed.response.output, "the SDK's assembly equals response.completed");
      });
    }
  });
}
