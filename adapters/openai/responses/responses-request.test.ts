import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ProxyError } from "../../../src/canonical/error.ts";
import type { JsonObject } from "../../../src/canonical/extras.ts";
import { wrapForeignReasoning } from "../../../src/canonical/foreign-reasoning.ts";
import type { CanonicalRequest } from "../../../src/canonical/request.ts";
import { responsesCodec } from "./responses-codec.ts";

const R = "openai-responses";
const roundTrip = (body: JsonObject) => responsesCodec.encodeRequest(responsesCodec.decodeRequest(body));

/** Anthropic thinking that went out to a Responses client inside our envelope and came back. */
const anthropicEnvelope = wrapForeignReasoning({ type: "reasoning", signature: "EqQBCkYIBxgCKkDsig", producer: "anthropic" })!;

/** What Codex CLI sends (shape from codex-rs ResponsesApiRequest), a tool loop in progress. */
function codexRequest(): JsonObject {
  return {
    model: "gpt-5.1-codex",
    instructions: undefined,
    input: [
      { type: "message", role: "developer", content: [{ type: "input_text", text: "You are Codex, a coding agent." }] },
      {
        type: "message",
        role: "user",
        content: [
          { type: "input_text", text: "<environment_context>cwd=/repo</environment_context>" },
          { type: "input_text", text: "List the files, then read README.md" },
        ],
      },
      { type: "reasoning", summary: [{ type: "summary_text", text: "**Listing files**" }], content: null, encrypted_content: "gAAAAABpPDIUph8czEXz" },
      { type: "function_call", name: "list_dir", namespace: "mcp__fs", arguments: '{"path":"."}', call_id: "call_1" },
      { type: "function_call", name: "shell", arguments: '{"command":["cat","README.md"]}', call_id: "call_2" },
      { type: "function_call_output", call_id: "call_1", output: "README.md\nsrc/" },
      { type: "function_call_output", call_id: "call_2", output: [{ type: "input_text", text: "# Demo" }] },
      { type: "reasoning", summary: [{ type: "summary_text", text: "Thinking about it" }], encrypted_content: anthropicEnvelope },
      { type: "message", role: "assistant", content: [{ type: "output_text", text: "The repo has a README." }] },
      { type: "web_search_call", status: "completed", action: { type: "search", query: "codex cli" } },
      { type: "message", role: "user", content: [{ type: "input_text", text: "thanks" }] },
    ],
    tools: [
      { type: "function", name: "shell", description: "Runs a shell command", strict: false, parameters: { type: "object", properties: { command: { type: "array", items: { type: "string" } } }, required: ["command"], additionalProperties: false } },
      {
        type: "namespace",
        name: "mcp__fs",
        description: "Tools of the fs MCP server",
        tools: [
          { type: "function", name: "list_dir", description: "List a directory", parameters: { type: "object", properties: { path: { type: "string" } } } },
          { type: "function", name: "read_file", parameters: { type: "object", properties: { path: { type: "string" } } }, strict: false },
        ],
      },
      { type: "web_search", external_web_access: true },
      { type: "custom", name: "apply_patch", description: "Apply a patch", format: { type: "grammar", syntax: "lark", definition: "start: /.+/" } },
    ],
    tool_choice: "auto",
    parallel_tool_calls: true,
    reasoning: { effort: "high", summary: "auto" },
    store: false,
    stream: true,
    include: ["reasoning.encrypted_content"],
    prompt_cache_key: "0199a3c2-5b1e-7c1d-9a51-6a0a3f4e9b21",
    client_metadata: { originator: "codex_cli_rs", session: "s-1" },
    text: { verbosity: "medium" },
  };
}

function withoutUndefined(body: JsonObject): JsonObject {
  return JSON.parse(JSON.stringify(body)) as JsonObject;
}

function thrown(body: JsonObject): ProxyError {
  try {
    responsesCodec.decodeRequest(body);
  } catch (err) {
    assert.ok(err instanceof ProxyError);
    return err;
  }
  assert.fail("expected a ProxyError");
}

describe("Responses request: Codex CLI", () => {
  const body = withoutUndefined(codexRequest());
  const request = responsesCodec.decodeRequest(body);

  it("decodes the developer prompt, the user turn, and groups model-side items and outputs", () => {
    assert.deepEqual(request.messages.map((m) => m.role), ["developer", "user", "assistant", "tool", "assistant", "user"]);
    const dev = request.messages[0];
    assert.deepEqual(dev.content.map((p) => p.type === "text" && p.text), ["You are Codex, a coding agent."]);
    const turn = request.messages[2];
    assert.equal(turn.role, "assistant");
    assert.deepEqual(turn.content.map((p) => p.type), ["reasoning", "tool-call", "tool-call"]);
    const [reasoning, listDir, shell] = turn.content;
    assert.ok(reasoning.type === "reasoning");
    assert.deepEqual([reasoning.summary, reasoning.encrypted, reasoning.producer], [["**Listing files**"], "gAAAAABpPDIUph8czEXz", R]);
    assert.ok(listDir.type === "tool-call" && shell.type === "tool-call");
    assert.deepEqual([listDir.id, listDir.name, listDir.namespace, listDir.arguments], ["call_1", "list_dir", "mcp__fs", '{"path":"."}']);
    assert.equal(shell.namespace, undefined);
    const outputs = request.messages[3];
    assert.ok(outputs.role === "tool");
    assert.deepEqual(outputs.content.map((p) => [p.callId, p.kind]), [["call_1", "function"], ["call_2", "function"]]);
    assert.equal(outputs.content[0].content, "README.md\nsrc/");
    assert.deepEqual((outputs.content[1].content as Array<{ text: string }>).map((p) => p.text), ["# Demo"]);
  });

  it("unwraps another provider's reasoning from the envelope, and keeps hosted calls native", () => {
    const later = request.messages[4];
    assert.ok(later.role === "assistant");
    const [thinking, text, search] = later.content;
    assert.ok(thinking.type === "reasoning");
    assert.deepEqual([thinking.producer, thinking.signature, thinking.encrypted], ["anthropic", "EqQBCkYIBxgCKkDsig", undefined]);
    assert.equal(thinking.text, "Thinking about it", "the one summary paragraph of a foreign item is its text");
    assert.ok(text.type === "text" && text.text === "The repo has a README.");
    assert.ok(search.type === "native" && search.value.type === "web_search_call");
  });

  it("flattens the namespace tool, keeps hosted and custom tools, keeps the rest as extras", () => {
    const tools = request.tools!;
    assert.deepEqual(
      tools.map((t) => (t.kind === "hosted" ? `hosted:${t.value.type}` : `${t.kind}:${t.namespace ? `${t.namespace}/` : ""}${t.name}`)),
      ["function:shell", "function:mcp__fs/list_dir", "function:mcp__fs/read_file", "hosted:web_search", "custom:apply_patch"],
    );
    assert.deepEqual(tools[1].extras?.[R]?.namespaceTool, { description: "Tools of the fs MCP server" });
    assert.deepEqual(request.toolChoice, { type: "auto" });
    assert.deepEqual(request.reasoning, { effort: "high", summary: "auto" });
    assert.equal(request.stream, true);
    assert.equal(request.instructions, undefined);
    const extras = request.extras?.[R];
    assert.deepEqual(extras?.client_metadata, { originator: "codex_cli_rs", session: "s-1" });
    assert.deepEqual([extras?.store, extras?.include, extras?.prompt_cache_key], [false, ["reasoning.encrypted_content"], "0199a3c2-5b1e-7c1d-9a51-6a0a3f4e9b21"]);
    assert.deepEqual(extras?.text, { verbosity: "medium" });
  });

  it("encodes back exactly, except the foreign reasoning OpenAI could not take", () => {
    const expected = withoutUndefined(codexRequest());
    (expected.input as JsonObject[]).splice(7, 1);
    assert.deepEqual(responsesCodec.encodeRequest(request), expected);
  });

  it("with store false, reasoning OpenAI did not encrypt (ours, for a provider without signatures) is left out", () => {
    const b = withoutUndefined(codexRequest());
    (b.input as JsonObject[]).splice(7, 1, { type: "reasoning", id: "rs_made_for_deepseek", summary: [{ type: "summary_text", text: "plain thoughts" }] });
    const decoded = responsesCodec.decodeRequest(b);
    const kept = decoded.messages[4].content[0];
    assert.ok(kept.type === "reasoning" && kept.producer === undefined && kept.summary?.[0] === "plain thoughts");
    const sent = responsesCodec.encodeRequest(decoded).input as JsonObject[];
    assert.equal(sent.filter((i) => i.type === "reasoning").length, 1, "only OpenAI's own encrypted reasoning goes back");
    const stored = { ...b, store: true };
    const withStore = responsesCodec.encodeRequest(responsesCodec.decodeRequest(stored)).input as JsonObject[];
    assert.equal(withStore.filter((i) => i.type === "reasoning").length, 2, "with store true an id may name a stored item");
  });

  it("a body without foreign reasoning round-trips exactly", () => {
    const b = withoutUndefined(codexRequest());
    (b.input as JsonObject[]).splice(7, 1);
    assert.deepEqual(roundTrip(b), b);
  });
});

describe("Responses request: other clients", () => {
  it("OpenAI Agents SDK: whole history resent, instructions, nulls, stored items with ids", () => {
    const body: JsonObject = {
      model: "gpt-4.1",
      instructions: "You are a weather bot.",
      input: [
        { role: "user", content: "Weather in Tokyo?" },
        { id: "fc_68a1", type: "function_call", call_id: "call_9", name: "get_weather", arguments: '{"city":"Tokyo"}', status: "completed" },
        { type: "function_call_output", call_id: "call_9", output: '{"sky":"sunny"}' },
        { id: "msg_68a2", type: "message", role: "assistant", status: "completed", content: [{ type: "output_text", text: "Sunny.", annotations: [], logprobs: [] }] },
        { id: "rs_68a3", type: "reasoning", summary: [] },
        { role: "user", content: "And tomorrow?" },
      ],
      tools: [{ type: "function", name: "get_weather", description: "Weather for a city", parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"], additionalProperties: false }, strict: true }],
      tool_choice: { type: "function", name: "get_weather" },
      parallel_tool_calls: null,
      temperature: null,
      top_p: null,
      max_output_tokens: null,
      truncation: "auto",
      store: true,
      stream: false,
      include: [],
      reasoning: null,
      text: { format: { type: "text" } },
      metadata: { run: "42" },
      user: "user-7",
    };
    const request = responsesCodec.decodeRequest(body);
    assert.equal(request.instructions, "You are a weather bot.");
    assert.deepEqual(request.toolChoice, { type: "tool", name: "get_weather" });
    assert.deepEqual(request.responseFormat, { type: "text" });
    assert.deepEqual([request.temperature, request.parallelToolCalls, request.reasoning], [undefined, undefined, undefined]);
    assert.equal(request.user, "user-7");
    assert.deepEqual(request.metadata, { run: "42" });
    const user = request.messages[0];
    assert.ok(user.role === "user" && user.content[0].type === "text" && user.content[0].text === "Weather in Tokyo?");
    const call = request.messages[1].content[0];
    assert.ok(call.type === "tool-call" && call.itemId === "fc_68a1");
    assert.deepEqual(roundTrip(body), body);
  });

  it("Vercel AI SDK: system role, images and files as data URLs, json_schema output, forced tool, safety_identifier", () => {
    const body: JsonObject = {
      model: "gpt-5-mini",
      input: [
        { role: "system", content: "Answer in JSON." },
        {
          role: "user",
          content: [
            { type: "input_text", text: "Describe these." },
            { type: "input_image", image_url: "data:image/png;base64,iVBORw0KGgo=" },
            { type: "input_image", file_id: "file-abc", detail: "low" },
            { type: "input_file", filename: "report.pdf", file_data: "data:application/pdf;base64,JVBERi0x" },
            { type: "input_file", file_url: "https://example.com/doc.pdf" },
            { type: "input_audio", input_audio: { data: "UklGRg==", format: "wav" } },
          ],
        },
        { role: "assistant", content: [{ type: "output_text", text: "{}" }], id: "msg_1" },
        { type: "item_reference", id: "rs_77" },
        { type: "custom_tool_call", call_id: "call_c", name: "apply_patch", input: "*** Begin Patch" },
        { type: "custom_tool_call_output", call_id: "call_c", output: "applied" },
        { type: "computer_call_output", call_id: "call_pc", output: { type: "computer_screenshot", image_url: "data:image/png;base64,AA==" } },
      ],
      max_output_tokens: 2048,
      temperature: 0.2,
      top_p: 0.9,
      text: { format: { type: "json_schema", strict: true, name: "answer", schema: { type: "object", properties: {} } }, verbosity: "low" },
      tools: [{ type: "custom", name: "apply_patch" }],
      tool_choice: { type: "custom", name: "apply_patch" },
      safety_identifier: "hash-123",
      stream: true,
    };
    const request = responsesCodec.decodeRequest(body);
    assert.deepEqual(request.responseFormat, { type: "json_schema", name: "answer", schema: { type: "object", properties: {} }, strict: true });
    assert.equal(request.user, "hash-123");
    assert.deepEqual(request.toolChoice, { type: "tool", name: "apply_patch" });
    const user = request.messages[1];
    assert.ok(user.role === "user");
    assert.deepEqual(user.content.map((p) => p.type), ["text", "image", "image", "file", "file", "audio"]);
    const [, image, byId, pdf, link, audio] = user.content;
    assert.ok(image.type === "image" && image.source.kind === "url" && image.detail === undefined);
    assert.ok(byId.type === "image" && byId.source.kind === "file-id" && byId.detail === "low");
    assert.ok(pdf.type === "file" && pdf.source.kind === "url" && pdf.mediaType === "application/pdf" && pdf.filename === "report.pdf");
    assert.ok(link.type === "file" && link.source.kind === "url" && link.source.url === "https://example.com/doc.pdf");
    assert.deepEqual(audio.type === "audio" && [audio.data, audio.format], ["UklGRg==", "wav"]);
    const turn = request.messages[2];
    assert.ok(turn.role === "assistant");
    assert.deepEqual(turn.content.map((p) => p.type), ["text", "native", "tool-call"]);
    assert.ok(turn.content[2].type === "tool-call" && turn.content[2].kind === "custom");
    const outputs = request.messages[3];
    assert.ok(outputs.role === "tool" && outputs.content[0].kind === "custom");
    const computer = request.messages[4];
    assert.ok(computer.role === "user" && computer.content[0].type === "native");
    assert.deepEqual(roundTrip(body), body);
  });

  it("a string input is one user message and comes back a string", () => {
    const body = { model: "gpt-5", input: "Hello" };
    const request = responsesCodec.decodeRequest(body);
    assert.deepEqual(request.messages, [{ role: "user", content: [{ type: "text", text: "Hello" }] }]);
    assert.equal(request.stream, false);
    assert.deepEqual(roundTrip(body), body);
  });

  it("keeps odd but valid shapes: hosted tool_choice, allowed_tools, unknown items, content parts and fields", () => {
    const bodies: JsonObject[] = [
      { model: "m", tools: [{ type: "web_search_preview" }], tool_choice: { type: "web_search_preview" } },
      { model: "m", tools: [{ type: "function", name: "a" }, { type: "mcp", server_label: "x" }], tool_choice: { type: "allowed_tools", mode: "auto", tools: [{ type: "function", name: "a" }, { type: "mcp", server_label: "x" }] } },
      { model: "m", tool_choice: { type: "allowed_tools", mode: "required", tools: [{ type: "function", name: "a" }] } },
      { model: "m", input: [{ type: "compaction", encrypted_content: "xyz" }, { type: "mcp_approval_response", approval_request_id: "a", approve: true }] },
      { model: "m", input: [{ type: "message", role: "user", content: [{ type: "input_video", url: "v" }], status: "completed" }] },
      { model: "m", input: [{ id: "msg_ref" }], stream: null, reasoning: { effort: "minimal", generate_summary: "auto" }, text: null },
      { model: "m", input: [{ type: "reasoning", id: "rs_1", summary: [], content: [{ type: "reasoning_text", text: "a" }, { type: "reasoning_text", text: "b" }] }] },
      { model: "m", input: [{ role: "assistant", content: "plain", phase: "final_answer" }, { role: "developer", content: [] }] },
      { model: "m", input: [{ type: "function_call_output", call_id: "c", output: [{ type: "input_image", image_url: "https://x/y.png", detail: "high" }, { type: "input_file", file_id: "file-1" }] }] },
      { model: "m", input: [{ type: "message", role: "user", content: [{ type: "input_file", file_data: "JVBERi0x", filename: "a.pdf" }] }] },
      { model: "m", input: [{ type: "function_call", id: null, call_id: "c", name: "f", arguments: "", namespace: null, status: "in_progress" }] },
      { model: "m", input: [{ role: "user", content: [{ type: "input_text", text: "x", annotations: null }, { type: "input_image", image_url: "https://x", detail: null }] }] },
    ];
    for (const body of bodies) assert.deepEqual(roundTrip(body), body, JSON.stringify(body));
  });
});

describe("Responses request: validation", () => {
  const cases: Array<[string, JsonObject, string]> = [
    ["model missing", { input: "hi" }, "model"],
    ["input not a list", { model: "m", input: 5 }, "input"],
    ["function_call without call_id", { model: "m", input: [{ role: "user", content: "x" }, { type: "function_call", name: "f", arguments: "{}" }] }, "input[1].call_id"],
    ["arguments as an object", { model: "m", input: [{ type: "function_call", call_id: "c", name: "f", arguments: {} }] }, "input[0].arguments"],
    ["bad role", { model: "m", input: [{ role: "robot", content: "x" }] }, "input[0].role"],
    ["content part without type", { model: "m", input: [{ role: "user", content: [{ text: "x" }] }] }, "input[0].content"],
    ["output missing", { model: "m", input: [{ type: "function_call_output", call_id: "c" }] }, "input[0].output"],
    ["item with neither type nor role", { model: "m", input: [{ content: "x" }] }, "input[0].type"],
    ["namespace without tools", { model: "m", tools: [{ type: "namespace", name: "n" }] }, "tools[0].tools"],
    ["function tool without name", { model: "m", tools: [{ type: "function" }] }, "tools[0].name"],
    ["temperature as a string", { model: "m", temperature: "hot" }, "temperature"],
    ["negative max_output_tokens", { model: "m", max_output_tokens: -1 }, "max_output_tokens"],
    ["metadata values must be strings", { model: "m", metadata: { a: 1 } }, "metadata.a"],
  ];
  for (const [name, body, param] of cases) {
    it(`${name} → 400 naming ${param}`, () => {
      const err = thrown(body);
      assert.equal(err.error.status, 400);
      assert.equal(err.error.param, param);
      assert.match(err.message, new RegExp(param.replace(/[[\].]/g, "\\$&")));
    });
  }

  it("unknown fields and item types pass", () => {
    const request = responsesCodec.decodeRequest({ model: "m", input: [{ type: "brand_new_item", x: 1 }], brand_new_param: { a: 1 } });
    assert.deepEqual(request.extras?.[R]?.brand_new_param, { a: 1 });
    assert.ok(request.messages[0].content[0].type === "native");
  });
});

describe("Responses request: encoding a request of another origin", () => {
  it("writes what OpenAI needs: store false, non-strict functions, items, reasoning only when OpenAI made it", () => {
    const request: CanonicalRequest = {
      model: "gpt-5.1",
      messages: [
        { role: "system", content: [{ type: "text", text: "Be brief." }] },
        {
          role: "user",
          content: [
            { type: "text", text: "Look:" },
            { type: "image", source: { kind: "base64", data: "iVBO", mediaType: "image/png" } },
            { type: "file", source: { kind: "base64", data: "JVBE", mediaType: "application/pdf" } },
          ],
        },
        {
          role: "assistant",
          content: [
            { type: "reasoning", text: "hmm", signature: "sig", producer: "anthropic" },
            { type: "reasoning", text: "plain chat reasoning" },
            { type: "text", text: "Let me check." },
            { type: "tool-call", id: "toolu_1", name: "now", arguments: "", kind: "function" },
          ],
        },
        { role: "tool", content: [{ type: "tool-result", callId: "toolu_1", content: [{ type: "text", text: "12:00" }] }] },
      ],
      tools: [
        { kind: "function", name: "now", description: "Current time" },
        { kind: "hosted", format: "anthropic", value: { type: "web_search_20250305", name: "web_search" } },
      ],
      toolChoice: { type: "tool", name: "now" },
      responseFormat: { type: "json_schema", name: "out", schema: { type: "object" }, strict: true },
      reasoning: { budgetTokens: 10000 },
      maxOutputTokens: 1000,
      temperature: 0.5,
      stop: ["END"],
      seed: 7,
      stream: true,
      user: "u1",
    };
    assert.deepEqual(responsesCodec.encodeRequest(request), {
      model: "gpt-5.1",
      store: false,
      input: [
        { role: "system", content: [{ type: "input_text", text: "Be brief." }] },
        {
          role: "user",
          content: [
            { type: "input_text", text: "Look:" },
            { type: "input_image", image_url: "data:image/png;base64,iVBO", detail: "auto" },
            { type: "input_file", file_data: "data:application/pdf;base64,JVBE", filename: "document.pdf" },
          ],
        },
        { role: "assistant", content: [{ type: "output_text", text: "Let me check." }] },
        { type: "function_call", call_id: "toolu_1", name: "now", arguments: "{}" },
        { type: "function_call_output", call_id: "toolu_1", output: [{ type: "input_text", text: "12:00" }] },
      ],
      tools: [{ type: "function", name: "now", description: "Current time", parameters: { type: "object", properties: {} }, strict: false }],
      tool_choice: { type: "function", name: "now" },
      max_output_tokens: 1000,
      temperature: 0.5,
      reasoning: { effort: "medium" },
      text: { format: { type: "json_schema", name: "out", schema: { type: "object" }, strict: true } },
      stream: true,
      user: "u1",
    });
  });

  it("a changed tool choice wins over the native one kept beside it", () => {
    const request = responsesCodec.decodeRequest({ model: "m", tools: [{ type: "web_search" }], tool_choice: { type: "web_search_preview" } });
    request.toolChoice = { type: "none" };
    assert.equal(responsesCodec.encodeRequest(request).tool_choice, "none");
  });
});
