import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { JsonObject } from "../../../src/canonical/extras.ts";
import type { CanonicalRequest } from "../../../src/canonical/request.ts";
import type { CanonicalResponse } from "../../../src/canonical/response.ts";
import type { EncodeContext } from "../../types.ts";
import { decodeResponsesUsage, encodeResponsesUsage } from "./convert-responses-usage.ts";
import { encodeResponsesResponse } from "./encode-responses-response.ts";
import { decodeResponsesFinish, encodeResponsesStatus } from "./map-responses-finish.ts";
import { responsesCodec } from "./responses-codec.ts";

const R = "openai-responses";

function ids(): (prefix: string) => string {
  let n = 0;
  return (prefix) => `${prefix}_${++n}`;
}

/** The request as Codex sent it to the router (decoded by this codec). */
const codexRequest = responsesCodec.decodeRequest({
  model: "anthropic:claude-sonnet-4-5",
  input: [{ type: "message", role: "user", content: [{ type: "input_text", text: "ls" }] }],
  tools: [{ type: "namespace", name: "mcp__fs", description: "fs", tools: [{ type: "function", name: "list_dir", parameters: { type: "object" } }] }],
  tool_choice: "auto",
  parallel_tool_calls: true,
  reasoning: { effort: "medium", summary: "auto" },
  store: false,
  stream: false,
  include: ["reasoning.encrypted_content"],
  prompt_cache_key: "conv-1",
  client_metadata: { a: "b" },
});
const context: EncodeContext = { request: codexRequest, model: "anthropic:claude-sonnet-4-5" };

/** An Anthropic answer in canonical form: signed thinking, cited text, a namespaced no-argument call. */
const anthropicAnswer: CanonicalResponse = {
  id: "msg_01AbC",
  model: "claude-sonnet-4-5-20250929",
  created: 1760000000,
  content: [
    { type: "reasoning", text: "The user wants a listing.", signature: "EqQBCkYIBxgCKkDsig", producer: "anthropic" },
    { type: "text", text: "Listing now.", citations: [{ type: "url", url: "https://docs.example/ls", title: "ls docs" }, { type: "document", title: "local.pdf" }] },
    { type: "tool-call", id: "toolu_01", name: "list_dir", namespace: "mcp__fs", arguments: "", kind: "function" },
  ],
  finish: { reason: "tool_calls", native: "tool_use" },
  usage: { inputTokens: 1500, outputTokens: 80, cacheReadTokens: 1000, cacheWriteTokens: 200, reasoningTokens: 30 },
};

describe("Responses response: encoding another provider's answer", () => {
  const body = encodeResponsesResponse(anthropicAnswer, context, ids() as never);

  it("is a complete Response object with OpenAI-shaped ids and the request echoed", () => {
    const { completed_at, id, ...rest } = body;
    assert.match(String(id), /^resp_[0-9a-f]{48}$/);
    assert.equal(typeof completed_at, "number");
    assert.deepEqual(rest, {
      object: "response",
      created_at: 1760000000,
      status: "completed",
      background: false,
      error: null,
      incomplete_details: null,
      model: "claude-sonnet-4-5-20250929",
      output: [
        {
          id: "rs_1",
          type: "reasoning",
          summary: [{ type: "summary_text", text: "The user wants a listing." }],
          encrypted_content: (rest.output as JsonObject[])[0].encrypted_content,
        },
        {
          id: "msg_2",
          type: "message",
          status: "completed",
          content: [
            {
              type: "output_text",
              text: "Listing now.",
              annotations: [{ type: "url_citation", url: "https://docs.example/ls", title: "ls docs", start_index: 0, end_index: 12 }],
              logprobs: [],
            },
          ],
          role: "assistant",
        },
        { id: "fc_3", type: "function_call", status: "completed", call_id: "toolu_01", name: "list_dir", arguments: "{}", namespace: "mcp__fs" },
      ],
      instructions: null,
      max_output_tokens: null,
      max_tool_calls: null,
      parallel_tool_calls: true,
      previous_response_id: null,
      prompt_cache_key: "conv-1",
      prompt_cache_retention: null,
      reasoning: { effort: "medium", summary: "auto" },
      safety_identifier: null,
      service_tier: "default",
      store: false,
      temperature: 1,
      text: { format: { type: "text" }, verbosity: "medium" },
      tool_choice: "auto",
      tools: [{ type: "namespace", name: "mcp__fs", description: "fs", tools: [{ type: "function", name: "list_dir", parameters: { type: "object" } }] }],
      top_logprobs: 0,
      top_p: 1,
      truncation: "disabled",
      user: null,
      metadata: {},
      usage: {
        input_tokens: 1500,
        input_tokens_details: { cached_tokens: 1000, cache_write_tokens: 200 },
        output_tokens: 80,
        output_tokens_details: { reasoning_tokens: 30 },
        total_tokens: 1580,
      },
    });
  });

  it("the signed thinking survives the client: sent back as input, it decodes to Anthropic's exact reasoning", () => {
    const nextTurn = responsesCodec.decodeRequest({
      model: "anthropic:claude-sonnet-4-5",
      input: [
        { type: "message", role: "user", content: [{ type: "input_text", text: "ls" }] },
        ...(body.output as JsonObject[]).map(({ id: _, ...item }) => item),
        { type: "function_call_output", call_id: "toolu_01", output: "a.txt" },
      ],
    });
    const turn = nextTurn.messages[1];
    assert.ok(turn.role === "assistant");
    const [thinking, text, call] = turn.content;
    assert.ok(thinking.type === "reasoning");
    assert.deepEqual(
      { text: thinking.text, signature: thinking.signature, producer: thinking.producer, summary: thinking.summary },
      { text: "The user wants a listing.", signature: "EqQBCkYIBxgCKkDsig", producer: "anthropic", summary: undefined },
    );
    assert.ok(text.type === "text" && text.text === "Listing now.");
    assert.ok(call.type === "tool-call" && call.namespace === "mcp__fs" && call.id === "toolu_01");
    // And it is not sent to OpenAI, which could not verify it.
    const toOpenAi = responsesCodec.encodeRequest(nextTurn).input as JsonObject[];
    assert.deepEqual(toOpenAi.map((i) => i.type ?? i.role), ["message", "message", "function_call", "function_call_output"]);
  });

  it("without a summary request, reasoning text is reasoning_text content", () => {
    const plain: EncodeContext = { request: { model: "m", messages: [], stream: false } as CanonicalRequest, model: "m" };
    const out = encodeResponsesResponse(anthropicAnswer, plain, ids() as never).output as JsonObject[];
    assert.deepEqual(out[0].summary, []);
    assert.deepEqual(out[0].content, [{ type: "reasoning_text", text: "The user wants a listing." }]);
    assert.equal(encodeResponsesResponse(anthropicAnswer, plain).store, true, "OpenAI's default is echoed when the client said nothing");
  });

  it("finish reasons map to status and incomplete_details; no usage becomes zeros", () => {
    const cases: Array<[CanonicalResponse["finish"], string, unknown]> = [
      [{ reason: "stop", native: "end_turn" }, "completed", null],
      [{ reason: "length", native: "max_tokens" }, "incomplete", { reason: "max_output_tokens" }],
      [{ reason: "content_filter", native: "refusal" }, "incomplete", { reason: "content_filter" }],
      [{ reason: "error" }, "failed", null],
    ];
    for (const [finish, status, details] of cases) {
      const r = encodeResponsesResponse({ id: "x", model: "m", content: [{ type: "text", text: "t" }], finish }, context);
      assert.equal(r.status, status);
      assert.deepEqual(r.incomplete_details, details);
      assert.equal(r.completed_at === null, status !== "completed");
      assert.deepEqual(r.usage, { input_tokens: 0, input_tokens_details: { cached_tokens: 0 }, output_tokens: 0, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: 0 });
      if (status === "failed") assert.equal((r.error as JsonObject).code, "server_error");
    }
  });

  it("refusals, custom tool calls and OpenAI's own hosted items of a modified response", () => {
    const r = encodeResponsesResponse(
      {
        id: "resp_keep",
        model: "m",
        content: [
          { type: "refusal", text: "No." },
          { type: "tool-call", id: "call_c", name: "apply_patch", arguments: "*** Begin", kind: "custom" },
          { type: "native", format: R, value: { type: "web_search_call", id: "ws_1", status: "completed" } },
          { type: "native", format: "anthropic", value: { type: "server_tool_use" } },
        ],
        finish: { reason: "stop" },
      },
      context,
      ids() as never,
    );
    assert.equal(r.id, "resp_keep");
    assert.deepEqual(r.output, [
      { id: "msg_1", type: "message", status: "completed", content: [{ type: "refusal", refusal: "No." }], role: "assistant" },
      { id: "ctc_2", type: "custom_tool_call", status: "completed", call_id: "call_c", name: "apply_patch", input: "*** Begin" },
      { type: "web_search_call", id: "ws_1", status: "completed" },
    ]);
  });

  it("a response decoded from OpenAI and changed by a stage keeps OpenAI's items and adds the new one", () => {
    const original = {
      id: "resp_1",
      object: "response",
      created_at: 1,
      status: "completed",
      incomplete_details: null,
      model: "gpt-5",
      output: [{ id: "fc_1", type: "function_call", status: "completed", arguments: "{}", call_id: "call_1", name: "delete_repo" }],
      usage: { input_tokens: 1, input_tokens_details: { cached_tokens: 0 }, output_tokens: 1, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: 2 },
    };
    const decoded = responsesCodec.decodeResponse(original);
    decoded.content = [{ type: "refusal", text: "Blocked by policy." }];
    decoded.finish = { reason: "stop", native: "completed" };
    const out = encodeResponsesResponse(decoded, context, ids() as never);
    assert.deepEqual(out.output, [{ id: "msg_1", type: "message", status: "completed", content: [{ type: "refusal", refusal: "Blocked by policy." }], role: "assistant" }]);
    assert.equal(out.id, "resp_1");
    assert.equal(out.object, "response");
  });
});

describe("Responses usage and status", () => {
  it("usage keeps OpenAI semantics and every details field", () => {
    const u = { input_tokens: 10, input_tokens_details: { cached_tokens: 4, cache_write_tokens: 2, future: 1 }, output_tokens: 6, output_tokens_details: { reasoning_tokens: 3 }, total_tokens: 16 };
    const usage = decodeResponsesUsage(u);
    assert.deepEqual({ ...usage, extras: undefined }, { inputTokens: 10, outputTokens: 6, cacheReadTokens: 4, cacheWriteTokens: 2, reasoningTokens: 3, totalTokens: 16, extras: undefined });
    assert.deepEqual(encodeResponsesUsage(usage), u);
    assert.deepEqual(encodeResponsesUsage({ inputTokens: 3, outputTokens: 2 }), {
      input_tokens: 3,
      input_tokens_details: { cached_tokens: 0 },
      output_tokens: 2,
      output_tokens_details: { reasoning_tokens: 0 },
      total_tokens: 5,
    });
  });

  it("status and incomplete reason ↔ finish", () => {
    assert.deepEqual(decodeResponsesFinish("completed", undefined, false), { reason: "stop", native: "completed" });
    assert.deepEqual(decodeResponsesFinish("completed", undefined, true), { reason: "tool_calls", native: "completed" });
    assert.deepEqual(decodeResponsesFinish("incomplete", "max_output_tokens", false), { reason: "length", native: "max_output_tokens" });
    assert.deepEqual(decodeResponsesFinish("incomplete", "content_filter", false), { reason: "content_filter", native: "content_filter" });
    assert.deepEqual(decodeResponsesFinish("failed", undefined, false), { reason: "error", native: "failed" });
    assert.deepEqual(decodeResponsesFinish("cancelled", undefined, false), { reason: "other", native: "cancelled" });
    for (const [status, reason] of [["completed"], ["failed"], ["cancelled"], ["incomplete", "max_output_tokens"], ["incomplete", "content_filter"]]) {
      const finish = decodeResponsesFinish(status, reason, false);
      assert.deepEqual(encodeResponsesStatus(finish, true), reason ? { status, reason } : { status });
    }
    // Another format's words are not read as Responses statuses.
    assert.deepEqual(encodeResponsesStatus({ reason: "stop", native: "failed" }, false), { status: "completed" });
  });

  it("an incomplete response round-trips", () => {
    const body = { id: "resp_2", object: "response", created_at: 2, status: "incomplete", incomplete_details: { reason: "max_output_tokens" }, model: "gpt-5", output: [], usage: null };
    const decoded = responsesCodec.decodeResponse(body);
    assert.deepEqual(decoded.finish, { reason: "length", native: "max_output_tokens" });
    assert.deepEqual(responsesCodec.encodeResponse(decoded, context), body);
  });
});
