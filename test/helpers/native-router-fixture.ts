import OpenAI from "openai";
import type { ChatCompletionChunk, ChatCompletionMessage } from "openai/resources/chat/completions";
import type { ResponseStreamEvent } from "openai/resources/responses/responses";
import assert from "node:assert/strict";
import { startAnthropicFake } from "../fake-upstreams/anthropic.ts";
import { startBedrockFake } from "../fake-upstreams/bedrock.ts";
import { startCohereFake } from "../fake-upstreams/cohere.ts";
import type { FakeUpstream } from "../fake-upstreams/fake-reply.ts";
import { startGeminiFake } from "../fake-upstreams/gemini.ts";
import { startTestProxy, type TestProxy } from "./start-proxy.ts";

/** Virtual key whose Bedrock credential signs with AWS access keys (SigV4). */
export const NATIVE_KEY = "pk-test-native-0123456789abcdefghijklmnopqrstu";
/** Virtual key whose Bedrock credential is a Bedrock API key (Bearer). */
export const BEDROCK_API_KEY_KEY = "pk-test-brkey-0123456789abcdefghijklmnopqrstu";
export const AWS_KEYS = { accessKeyId: "AKIAROUTERCONFIGURED", secretAccessKey: "router/configured+secret" };
export const BEDROCK_API_KEY = "ABSK-router-bedrock-api-key";
export const VERTEX_EXPRESS_KEY = "AQ.vertex-express-key";

/** The model ids the issue names, one per native provider. */
export const MODELS = {
  anthropic: "anthropic:claude-sonnet-4-5",
  gemini: "gemini:gemini-2.5-flash",
  vertex: "vertex:gemini-2.5-pro",
  bedrock: "bedrock:anthropic.claude-3-5-sonnet-20240620-v1:0",
  cohere: "cohere:command-a-03-2025",
} as const;

export interface NativeRouterFixture {
  proxy: TestProxy;
  anthropic: FakeUpstream;
  gemini: FakeUpstream;
  /** A second Gemini fake standing in for Vertex AI (express mode, API key). */
  vertex: FakeUpstream;
  bedrock: FakeUpstream;
  cohere: FakeUpstream;
  /** OpenAI SDK on the model router with NATIVE_KEY (Bedrock over SigV4). */
  client: OpenAI;
  clientFor(key: string): OpenAI;
  close(): Promise<void>;
}

/**
 * A proxy whose credentials point at one fake per native provider, and two virtual keys that
 * reach all of them (they differ only in how Bedrock authenticates). The Bedrock fake checks
 * SigV4 signatures made with AWS_KEYS and accepts BEDROCK_API_KEY as a Bearer token.
 * Cohere lists a configured model list; the others are asked for their listing.
 */
export async function startNativeRouterFixture(): Promise<NativeRouterFixture> {
  const [anthropic, gemini, vertex, bedrock, cohere] = await Promise.all([
    startAnthropicFake(),
    startGeminiFake(),
    startGeminiFake(),
    startBedrockFake({ auth: { credentials: AWS_KEYS, apiKey: BEDROCK_API_KEY } }),
    startCohereFake(),
  ]);
  const all = (bedrock: string) => `{ anthropic: anthropic-main, gemini: gemini-main, vertex: vertex-express, bedrock: ${bedrock}, cohere: cohere-main }`;
  const proxy = await startTestProxy(`
credentials:
  - { id: anthropic-main, provider: anthropic, apiKey: sk-ant-router, baseUrl: "${anthropic.url}" }
  - { id: gemini-main, provider: gemini, apiKey: AIza-router, baseUrl: "${gemini.url}" }
  - { id: vertex-express, provider: vertex, apiKey: "${VERTEX_EXPRESS_KEY}", baseUrl: "${vertex.url}" }
  - { id: bedrock-sigv4, provider: bedrock, apiKey: "${AWS_KEYS.secretAccessKey}", baseUrl: "${bedrock.url}", options: { accessKeyId: ${AWS_KEYS.accessKeyId}, region: us-east-1 } }
  - { id: bedrock-apikey, provider: bedrock, apiKey: "${BEDROCK_API_KEY}", baseUrl: "${bedrock.url}", options: { region: us-west-2 } }
  - { id: cohere-main, provider: cohere, apiKey: co-router, baseUrl: "${cohere.url}", models: [command-a-03-2025, command-a-reasoning-08-2025] }
proxies:
  - { id: default, name: Default }
virtualKeys:
  - { name: native, key: "${NATIVE_KEY}", proxies: [default], credentials: ${all("bedrock-sigv4")} }
  - { name: bedrock-api-key, key: "${BEDROCK_API_KEY_KEY}", proxies: [default], credentials: ${all("bedrock-apikey")} }
`);
  const clientFor = (key: string) => new OpenAI({ baseURL: `${proxy.url}/v1/model-router/default`, apiKey: key, maxRetries: 0 });
  return {
    proxy,
    anthropic,
    gemini,
    vertex,
    bedrock,
    cohere,
    client: clientFor(NATIVE_KEY),
    clientFor,
    async close() {
      await proxy.stop();
      await Promise.all([anthropic.close(), gemini.close(), vertex.close(), bedrock.close(), cohere.close()]);
    },
  };
}

/** A Responses stream must start with response.created, end with response.completed, and number every event without a gap. */
export function assertWellFormedResponsesStream(events: readonly ResponseStreamEvent[], last = "response.completed"): void {
  assert.ok(events.length > 1, "a Responses stream has events");
  assert.equal(events[0].type, "response.created");
  assert.equal(events.at(-1)?.type, last);
  events.forEach((e, i) => assert.equal(e.sequence_number, i, `sequence_number gap at event ${i} (${e.type})`));
  const created = events[0].type === "response.created" ? events[0].response.id : undefined;
  for (const e of events) {
    if ("response" in e && e.response && typeof e.response === "object") assert.equal((e.response as { id: string }).id, created, `${e.type} names another response id`);
  }
  // Items open before they close, and close once.
  const open = new Set<number>();
  const closed = new Set<number>();
  for (const e of events) {
    if (e.type === "response.output_item.added") {
      assert.ok(!open.has(e.output_index), `output_index ${e.output_index} added twice`);
      open.add(e.output_index);
    }
    if (e.type === "response.output_item.done") {
      assert.ok(open.has(e.output_index), `output_index ${e.output_index} done before added`);
      assert.ok(!closed.has(e.output_index), `output_index ${e.output_index} done twice`);
      closed.add(e.output_index);
    }
  }
  if (last === "response.completed") assert.deepEqual([...closed].sort(), [...open].sort(), "every item that was added is done");
}

/** Collects every event of an SDK stream. */
export async function collect<T>(stream: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const e of stream) out.push(e);
  return out;
}

/** The reasoning text a Chat message carries (`reasoning_content`, which the SDK does not type). */
export function chatReasoning(message: object): string | undefined {
  return (message as { reasoning_content?: string }).reasoning_content;
}

/** A Chat message's tool calls as [id, name, parsed arguments]. */
export function chatToolCalls(message: ChatCompletionMessage): Array<[string, string, unknown]> {
  return (message.tool_calls ?? []).map((c) => {
    assert.equal(c.type, "function");
    const fn = (c as { function: { name: string; arguments: string } }).function;
    return [c.id, fn.name, JSON.parse(fn.arguments)];
  });
}

export interface StreamedChat {
  text: string;
  reasoning: string;
  /** Tool calls assembled by their Chat `index`. */
  calls: Array<{ id: string; name: string; args: string }>;
  /** The `index` of each tool-call delta that opened a call (has an id), in order. */
  toolIndexes: number[];
  finishReasons: string[];
  usage: ChatCompletionChunk["usage"];
  /** `reasoning_details` entries sent in deltas. */
  reasoningDetails: Array<Record<string, unknown>>;
}

/** Folds Chat chunks the way a careful client does, checking the stream's own rules as it goes. */
export function streamedChat(chunks: readonly ChatCompletionChunk[]): StreamedChat {
  const out: StreamedChat = { text: "", reasoning: "", calls: [], toolIndexes: [], finishReasons: [], usage: undefined, reasoningDetails: [] };
  const ids = new Set(chunks.map((c) => c.id));
  assert.equal(ids.size, 1, "every chunk carries the same id");
  for (const c of chunks) {
    assert.equal(c.object, "chat.completion.chunk");
    if (c.usage) out.usage = c.usage;
    const choice = c.choices[0];
    if (!choice) continue;
    const d = choice.delta as ChatCompletionChunk.Choice.Delta & { reasoning_content?: string; reasoning_details?: Array<Record<string, unknown>> };
    out.text += d.content ?? "";
    out.reasoning += d.reasoning_content ?? "";
    out.reasoningDetails.push(...(d.reasoning_details ?? []));
    for (const t of d.tool_calls ?? []) {
      if (t.id) {
        assert.equal(out.calls[t.index], undefined, `tool-call index ${t.index} opened twice`);
        out.toolIndexes.push(t.index);
        out.calls[t.index] = { id: t.id, name: t.function?.name ?? "", args: "" };
      }
      const call = out.calls[t.index];
      assert.ok(call, `arguments for tool-call index ${t.index} before it opened`);
      call.args += t.function?.arguments ?? "";
    }
    if (choice.finish_reason) out.finishReasons.push(choice.finish_reason);
  }
  return out;
}
