import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { ToolCallPart } from "../../src/canonical/content.ts";
import { ProxyError } from "../../src/canonical/error.ts";
import type { JsonObject } from "../../src/canonical/extras.ts";
import { wrapForeignReasoning } from "../../src/canonical/foreign-reasoning.ts";
import { decodeAnthropicRequest } from "./decode-anthropic-request.ts";
import { encodeAnthropicRequest } from "./encode-anthropic-request.ts";

/** A request in the shape Claude Code sends, with every block kind the API takes. */
function claudeCodeRequest(): JsonObject {
  return {
    model: "claude-opus-4-6",
    max_tokens: 32000,
    stream: true,
    system: [
      { type: "text", text: "You are Claude Code, Anthropic's official CLI for Claude." },
      { type: "text", text: "Project instructions…", cache_control: { type: "ephemeral", ttl: "1h" } },
    ],
    messages: [
      {
        role: "user",
        content: [
          { type: "text", text: "<system-reminder>context</system-reminder>" },
          { type: "text", text: "Fix the failing test", cache_control: { type: "ephemeral" } },
          { type: "image", source: { type: "base64", media_type: "image/png", data: "iVBORw0KGgo=" } },
          { type: "image", source: { type: "url", url: "https://example.com/a.png" } },
          { type: "document", source: { type: "base64", media_type: "application/pdf", data: "JVBERi0=" }, title: "spec.pdf", citations: { enabled: true } },
          { type: "document", source: { type: "url", url: "https://example.com/b.pdf" } },
          { type: "document", source: { type: "text", media_type: "text/plain", data: "plain text doc ✓" }, context: "notes" },
          { type: "document", source: { type: "content", content: [{ type: "text", text: "chunk" }] } },
          { type: "document", source: { type: "file", file_id: "file_011CNha8iCJcU1wXNR6q4V8w" } },
          { type: "search_result", source: "https://docs", title: "Docs", content: [{ type: "text", text: "result" }] },
          { type: "container_upload", file_id: "file_011CNha8iCJcU1wXNR6q4V8x" },
        ],
      },
      {
        role: "assistant",
        content: [
          { type: "thinking", thinking: "Let me look at the test.", signature: "EqMBCkYIBxgCKkD+sig==" },
          { type: "redacted_thinking", data: "EmwKAhgBEgy3va3pzix/LafPsn4aDFIT2Xlxh0L5L8rLVyIwxtE3rAFBa8cr3qpP" },
          { type: "text", text: "I'll run the tests." },
          { type: "tool_use", id: "toolu_01A09q90qw90lq917835lq9", name: "Bash", input: { command: "npm test", timeout: 120000 } },
          { type: "tool_use", id: "toolu_01A09q90qw90lq917835lqA", name: "mcp__github__list_issues", input: {}, caller: { type: "direct" } },
          { type: "server_tool_use", id: "srvtoolu_01", name: "web_search", input: { query: "node test runner" } },
          { type: "web_search_tool_result", tool_use_id: "srvtoolu_01", content: [{ type: "web_search_result", title: "t", url: "https://nodejs.org", encrypted_content: "Eq==" }] },
        ],
      },
      {
        role: "user",
        content: [
          { type: "tool_result", tool_use_id: "toolu_01A09q90qw90lq917835lq9", content: "1 failing", is_error: true },
          {
            type: "tool_result",
            tool_use_id: "toolu_01A09q90qw90lq917835lqA",
            content: [
              { type: "text", text: "[]" },
              { type: "image", source: { type: "base64", media_type: "image/jpeg", data: "/9j/" } },
              { type: "tool_reference", tool_name: "mcp__github__create_issue" },
              { type: "search_result", source: "s", title: "t", content: [] },
            ],
            cache_control: { type: "ephemeral" },
          },
          { type: "tool_result", tool_use_id: "toolu_x" },
          { type: "text", text: "Now fix it" },
        ],
      },
      { role: "assistant", content: "Sure." },
      { role: "system", content: "Mid-conversation system note" },
      { role: "user", content: "" },
      { role: "assistant", content: [] },
    ],
    tools: [
      { name: "Bash", description: "Run a command", input_schema: { type: "object", properties: { command: { type: "string" } }, required: ["command"] } },
      { name: "mcp__github__list_issues", description: "List issues", input_schema: { type: "object", properties: {} }, defer_loading: true, strict: true, cache_control: { type: "ephemeral" } },
      { type: "custom", name: "Edit", input_schema: { type: "object" }, eager_input_streaming: true },
      { type: "web_search_20250305", name: "web_search", max_uses: 5 },
      { type: "bash_20250124", name: "bash" },
      { type: "text_editor_20250728", name: "str_replace_based_edit_tool" },
      { type: "code_execution_20250825", name: "code_execution" },
      { type: "memory_20250818", name: "memory" },
      { type: "tool_search_tool_regex_20251119", name: "tool_search_tool_regex" },
    ],
    tool_choice: { type: "auto", disable_parallel_tool_use: true },
    thinking: { type: "enabled", budget_tokens: 16000, display: "summarized" },
    output_config: { effort: "max", format: { type: "json_schema", schema: { type: "object" } } },
    temperature: 1,
    top_p: 0.99,
    top_k: 40,
    stop_sequences: ["\n\nHuman:"],
    metadata: { user_id: "user_3f2a_account_9c1e_session_77" },
    context_management: { edits: [{ type: "clear_thinking_20251015", keep: { type: "thinking_turns", value: 1 } }] },
    mcp_servers: [{ type: "url", url: "https://mcp.example.com/sse", name: "example" }],
    container: { id: null, skills: [{ type: "anthropic", skill_id: "pptx", version: "latest" }] },
    service_tier: "auto",
    speed: "fast",
    some_future_field: { nested: [1, 2, 3] },
  };
}

describe("native requests round-trip exactly", () => {
  test("a Claude Code request with every block, tool and parameter kind", () => {
    const body = claudeCodeRequest();
    const copy = structuredClone(body);
    assert.deepEqual(encodeAnthropicRequest(decodeAnthropicRequest(body)), body);
    assert.deepEqual(body, copy, "decoding does not modify the client's body");
  });

  const variants: Array<[string, JsonObject]> = [
    ["string system", { model: "claude-haiku-4-5", max_tokens: 100, system: "Be brief.", messages: [{ role: "user", content: "hi" }] }],
    ["empty string system", { model: "m", max_tokens: 1, system: "", messages: [{ role: "user", content: "hi" }] }],
    ["empty system list, null fields", { model: "m", max_tokens: 1, system: [], temperature: null, metadata: null, tools: null, messages: [{ role: "user", content: "hi" }] }],
    ["no max_tokens (count_tokens body), stream false", { model: "m", stream: false, messages: [{ role: "user", content: [{ type: "text", text: "hi" }] }] }],
    ["adaptive thinking, effort and display", { model: "claude-opus-4-7", max_tokens: 64000, thinking: { type: "adaptive", display: "omitted" }, output_config: { effort: "xhigh" }, messages: [{ role: "user", content: "hi" }] }],
    ["disabled thinking, empty output config", { model: "m", max_tokens: 5, thinking: { type: "disabled" }, output_config: {}, messages: [{ role: "user", content: "hi" }] }],
    ["between_tools thinking", { model: "claude-sonnet-5-5", max_tokens: 5, thinking: { type: "between_tools" }, messages: [{ role: "user", content: "hi" }] }],
    ["tool choices", { model: "m", max_tokens: 5, tool_choice: { type: "tool", name: "Bash", disable_parallel_tool_use: false }, tools: [{ name: "Bash", input_schema: { type: "object" } }], messages: [{ role: "user", content: "hi" }] }],
    ["tool choice any / none", { model: "m", max_tokens: 5, tool_choice: { type: "any" }, messages: [{ role: "user", content: "hi" }] }],
    ["tool choice none", { model: "m", max_tokens: 5, tool_choice: { type: "none" }, messages: [{ role: "user", content: "hi" }] }],
    ["unknown tool choice", { model: "m", max_tokens: 5, tool_choice: { type: "auto_v2", level: 3 }, messages: [{ role: "user", content: "hi" }] }],
    ["metadata without user id", { model: "m", max_tokens: 5, metadata: {}, messages: [{ role: "user", content: "hi" }] }],
    ["assistant prefill, message-level unknown field", { model: "m", max_tokens: 5, messages: [{ role: "user", content: "hi", name: "x" }, { role: "assistant", content: "The answer is (" }] }],
    ["deprecated output_format beta parameter", { model: "m", max_tokens: 5, output_format: { type: "json_schema", schema: { type: "object" } }, messages: [{ role: "user", content: "hi" }] }],
  ];
  for (const [name, body] of variants) test(name, () => assert.deepEqual(encodeAnthropicRequest(decodeAnthropicRequest(body)), body));
});

describe("what the canonical request says about a native one", () => {
  const req = decodeAnthropicRequest(claudeCodeRequest());

  test("top-level fields", () => {
    assert.equal(req.model, "claude-opus-4-6");
    assert.equal(req.maxOutputTokens, 32000);
    assert.equal(req.stream, true);
    assert.deepEqual(req.reasoning, { budgetTokens: 16000, effort: "xhigh" });
    assert.deepEqual(req.responseFormat, { type: "json_schema", name: "response", schema: { type: "object" } });
    assert.equal(req.temperature, 1);
    assert.equal(req.topP, 0.99);
    assert.equal(req.topK, 40);
    assert.deepEqual(req.stop, ["\n\nHuman:"]);
    assert.equal(req.user, "user_3f2a_account_9c1e_session_77");
    assert.deepEqual(req.toolChoice, { type: "auto" });
    assert.equal(req.parallelToolCalls, false);
    const extras = req.extras?.anthropic as JsonObject;
    assert.deepEqual(Object.keys(extras).sort(), ["container", "context_management", "mcp_servers", "output_config", "service_tier", "some_future_field", "speed", "thinking"]);
    assert.deepEqual(extras.thinking, { display: "summarized" });
    assert.deepEqual(extras.output_config, { effort: "max" });
  });

  test("system prompt, tool results split from user text, roles in order", () => {
    assert.deepEqual(
      req.messages.map((m) => m.role),
      ["system", "user", "assistant", "tool", "user", "assistant", "system", "user", "assistant"],
    );
    const system = req.messages[0];
    assert.equal(system.content.length, 2);
    assert.equal(system.content[1].type === "text" && system.content[1].text, "Project instructions…");
    const tool = req.messages[3];
    assert.equal(tool.role, "tool");
    if (tool.role !== "tool") return;
    assert.equal(tool.content.length, 3);
    assert.deepEqual(tool.content[0], { type: "tool-result", callId: "toolu_01A09q90qw90lq917835lq9", content: "1 failing", isError: true, origin: { format: "anthropic", index: 2 } });
    assert.ok(Array.isArray(tool.content[1].content));
    assert.deepEqual(req.messages[4].content.map((p) => p.origin?.index), [2], "the text after the results shares their native message");
  });

  test("user blocks: images, documents as files, native blocks", () => {
    const parts = req.messages[1].content;
    assert.deepEqual(
      parts.map((p) => p.type),
      ["text", "text", "image", "image", "file", "file", "file", "native", "file", "native", "native"],
    );
    assert.deepEqual(parts[1].extras, { anthropic: { cache_control: { type: "ephemeral" } } });
    const text = parts[6];
    assert.ok(text.type === "file" && text.source.kind === "base64");
    if (text.type === "file" && text.source.kind === "base64") assert.equal(Buffer.from(text.source.data, "base64").toString(), "plain text doc ✓");
    const pdf = parts[4];
    assert.ok(pdf.type === "file" && pdf.filename === "spec.pdf" && pdf.mediaType === "application/pdf");
  });

  test("assistant blocks: signed and redacted thinking, tool calls, server tools native", () => {
    const parts = req.messages[2].content;
    assert.deepEqual(parts[0], { type: "reasoning", producer: "anthropic", text: "Let me look at the test.", signature: "EqMBCkYIBxgCKkD+sig==", origin: { format: "anthropic", index: 1 } });
    assert.deepEqual(parts[1], {
      type: "reasoning",
      redacted: true,
      producer: "anthropic",
      encrypted: "EmwKAhgBEgy3va3pzix/LafPsn4aDFIT2Xlxh0L5L8rLVyIwxtE3rAFBa8cr3qpP",
      origin: { format: "anthropic", index: 1 },
    });
    const call = parts[3] as ToolCallPart;
    assert.equal(call.arguments, '{"command":"npm test","timeout":120000}');
    assert.deepEqual(parts[4].extras, { anthropic: { caller: { type: "direct" } } });
    assert.equal(parts[5].type, "native");
  });

  test("custom tools are functions, typed tools hosted", () => {
    assert.deepEqual(
      req.tools?.map((t) => t.kind),
      ["function", "function", "function", "hosted", "hosted", "hosted", "hosted", "hosted", "hosted"],
    );
    const deferred = req.tools?.[1];
    assert.ok(deferred?.kind === "function");
    if (deferred?.kind === "function") {
      assert.equal(deferred.strict, true);
      assert.deepEqual(deferred.extras, { anthropic: { defer_loading: true, cache_control: { type: "ephemeral" } } });
    }
  });

  test("a stage's edits reach the re-encoded body", () => {
    const edited = decodeAnthropicRequest(claudeCodeRequest());
    const user = edited.messages[4];
    if (user.content[0].type === "text") user.content[0].text = "[redacted]";
    edited.maxOutputTokens = 1000;
    edited.reasoning = { disabled: true };
    edited.tools = edited.tools?.slice(0, 1);
    const body = encodeAnthropicRequest(edited);
    const messages = body.messages as JsonObject[];
    assert.deepEqual((messages[2].content as JsonObject[]).at(-1), { type: "text", text: "[redacted]" });
    assert.equal(body.max_tokens, 1000);
    assert.deepEqual(body.thinking, { type: "disabled", display: "summarized" });
    assert.equal((body.tools as JsonObject[]).length, 1);
  });

  test("a message a stage inserted (no origin) does not turn the request into a translated one", () => {
    const edited = decodeAnthropicRequest(claudeCodeRequest());
    edited.messages.unshift({ role: "system", content: [{ type: "text", text: "Policy notice" }] });
    edited.messages.push({ role: "user", content: [{ type: "text", text: "appended" }] });
    const body = encodeAnthropicRequest(edited);
    assert.deepEqual((body.system as JsonObject[])[0], { type: "text", text: "Policy notice" });
    assert.deepEqual((body.messages as JsonObject[]).at(-1), { role: "user", content: [{ type: "text", text: "appended" }] });
    assert.ok(body.context_management && body.mcp_servers, "native fields survive");
  });

  test("reasoning another provider produced comes back through our envelope and is not sent to Anthropic", () => {
    const envelope = wrapForeignReasoning({ type: "reasoning", producer: "openai-responses", encrypted: "gAAAAB-opaque" }) as string;
    const r = decodeAnthropicRequest({
      model: "m",
      max_tokens: 5,
      messages: [
        { role: "user", content: "hi" },
        { role: "assistant", content: [{ type: "thinking", thinking: "summary text", signature: envelope }, { type: "text", text: "hello" }] },
      ],
    });
    assert.deepEqual(r.messages[1].content[0], { type: "reasoning", producer: "openai-responses", text: "summary text", encrypted: "gAAAAB-opaque", origin: { format: "anthropic", index: 1 } });
    assert.deepEqual((encodeAnthropicRequest(r).messages as JsonObject[])[1].content, [{ type: "text", text: "hello" }]);
  });
});

describe("bad input is a 400 naming the field", () => {
  const expect400 = (body: unknown, param: string) =>
    assert.throws(
      () => decodeAnthropicRequest(body as JsonObject),
      (err: unknown) => err instanceof ProxyError && err.error.status === 400 && err.error.param === param,
    );
  test("missing or mistyped fields", () => {
    expect400({ messages: [] }, "model");
    expect400({ model: "m" }, "messages");
    expect400({ model: "m", messages: [{ role: "robot", content: "x" }] }, "messages[0].role");
    expect400({ model: "m", messages: [{ role: "user", content: 5 }] }, "messages[0].content");
    expect400({ model: "m", max_tokens: "10", messages: [] }, "max_tokens");
  });
  test("a content block that is not a block", () => {
    expect400({ model: "m", messages: [{ role: "user", content: [{ type: "text", text: "ok" }, "oops"] }] }, "messages[0].content[1]");
    expect400({ model: "m", messages: [{ role: "assistant", content: [{ text: "no type" }] }] }, "messages[0].content[0]");
    expect400({ model: "m", system: [{ text: 1 }], messages: [] }, "system[0]");
  });
});
