import assert from "node:assert/strict";
import { test } from "node:test";
import { ProxyError } from "../../src/canonical/error.ts";
import type { CanonicalRequest, Message } from "../../src/canonical/request.ts";
import { encodeCohereRequest, encodeThinking } from "./encode-cohere-request.ts";

const base = (messages: Message[], more: Partial<CanonicalRequest> = {}): CanonicalRequest => ({ model: "command-a-03-2025", messages, stream: false, ...more });
const user = (text: string): Message => ({ role: "user", content: [{ type: "text", text }] });

test("system and developer messages anywhere, and Responses instructions, make one leading system message", () => {
  const body = encodeCohereRequest(
    base(
      [
        user("Hi"),
        { role: "developer", content: [{ type: "text", text: "Answer in French." }] },
        { role: "assistant", content: [{ type: "text", text: "Bonjour" }] },
        { role: "system", content: [{ type: "text", text: "Be brief." }, { type: "text", text: "No emoji." }] },
        user("Ça va?"),
      ],
      { instructions: "You are Portcullis." },
    ),
  );
  assert.deepEqual(body.messages, [
    {
      role: "system",
      content: [
        { type: "text", text: "You are Portcullis." },
        { type: "text", text: "Answer in French." },
        { type: "text", text: "Be brief." },
        { type: "text", text: "No emoji." },
      ],
    },
    { role: "user", content: "Hi" },
    { role: "assistant", content: "Bonjour" },
    { role: "user", content: "Ça va?" },
  ]);
  assert.equal(body.stream, undefined, "stream is only sent when true");
  const single = encodeCohereRequest(base([{ role: "developer", content: [{ type: "text", text: "Be kind." }] }, user("Hi")]));
  assert.deepEqual(single.messages, [
    { role: "system", content: "Be kind." },
    { role: "user", content: "Hi" },
  ]);
});

test("calls and their results: text beside calls is the plan, each result its own tool message, no-arg calls send {}", () => {
  const body = encodeCohereRequest(
    base([
      user("Weather in Paris, and the time?"),
      {
        role: "assistant",
        content: [
          { type: "text", text: "Let me check both." },
          { type: "tool-call", id: "toolu_01", name: "get_weather", arguments: '{"city":"Paris"}', kind: "function" },
          { type: "tool-call", id: "toolu_02", name: "current_time", arguments: "", kind: "function" },
        ],
      },
      {
        role: "tool",
        content: [
          { type: "tool-result", callId: "toolu_01", content: [{ type: "text", text: "18C" }] },
          { type: "tool-result", callId: "toolu_02", content: "12:00", isError: false },
        ],
      },
      user("Thanks"),
    ]),
  );
  assert.deepEqual(body.messages, [
    { role: "user", content: "Weather in Paris, and the time?" },
    {
      role: "assistant",
      tool_plan: "Let me check both.",
      tool_calls: [
        { id: "toolu_01", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } },
        { id: "toolu_02", type: "function", function: { name: "current_time", arguments: "{}" } },
      ],
    },
    { role: "tool", tool_call_id: "toolu_01", content: [{ type: "text", text: "18C" }] },
    { role: "tool", tool_call_id: "toolu_02", content: "12:00" },
    { role: "user", content: "Thanks" },
  ]);
});

test("tool definitions and every tool choice", () => {
  const tools: CanonicalRequest["tools"] = [
    { kind: "function", name: "get_weather", description: "Weather", parameters: { type: "object", properties: { city: { type: "string" } } }, strict: true },
    { kind: "function", name: "current_time" },
    { kind: "custom", name: "apply_patch", description: "Apply a patch" },
    { kind: "hosted", format: "openai-responses", value: { type: "web_search" } },
  ];
  const auto = encodeCohereRequest(base([user("x")], { tools, toolChoice: { type: "auto" }, parallelToolCalls: false }));
  assert.deepEqual(auto.tools, [
    { type: "function", function: { name: "get_weather", description: "Weather", parameters: { type: "object", properties: { city: { type: "string" } } } } },
    { type: "function", function: { name: "current_time", parameters: { type: "object", properties: {} } } },
    {
      type: "function",
      function: {
        name: "apply_patch",
        description: "Apply a patch",
        parameters: { type: "object", properties: { input: { type: "string", description: "The tool's free-text input." } }, required: ["input"] },
      },
    },
  ]);
  assert.equal(auto.tool_choice, undefined, "auto is Cohere's default");
  assert.equal(auto.strict_tools, undefined, "not every function asked for strictness");
  assert.equal("parallel_tool_calls" in auto, false);

  assert.equal(encodeCohereRequest(base([user("x")], { tools, toolChoice: { type: "none" } })).tool_choice, "NONE");
  assert.equal(encodeCohereRequest(base([user("x")], { tools, toolChoice: { type: "required" } })).tool_choice, "REQUIRED");

  const named = encodeCohereRequest(base([user("x")], { tools, toolChoice: { type: "tool", name: "get_weather" } }));
  assert.equal(named.tool_choice, "REQUIRED");
  assert.deepEqual((named.tools as Array<{ function: { name: string } }>).map((t) => t.function.name), ["get_weather"]);

  const allowed = encodeCohereRequest(base([user("x")], { tools, toolChoice: { type: "allowed", mode: "auto", names: ["current_time", "apply_patch"] } }));
  assert.equal(allowed.tool_choice, undefined);
  assert.deepEqual((allowed.tools as Array<{ function: { name: string } }>).map((t) => t.function.name), ["current_time", "apply_patch"]);

  const hostedOnly = encodeCohereRequest(base([user("x")], { tools: [{ kind: "hosted", format: "openai-responses", value: { type: "web_search" } }], toolChoice: { type: "required" } }));
  assert.equal("tools" in hostedOnly || "tool_choice" in hostedOnly, false, "no empty tool list, no choice without tools");

  const strict = encodeCohereRequest(base([user("x")], { tools: [{ kind: "function", name: "a", parameters: { type: "object" }, strict: true }] }));
  assert.equal(strict.strict_tools, true);
});

test("reasoning: Cohere's thinking goes back to a thinking model, other providers' reasoning never", () => {
  const history: Message[] = [
    user("2+2?"),
    {
      role: "assistant",
      content: [
        { type: "reasoning", text: "Claude thought this.", signature: "EqQBCkYIBxgCKkD", producer: "anthropic" },
        { type: "reasoning", encrypted: "gAAAAABo", summary: ["OpenAI summary"], producer: "openai-responses" },
        { type: "reasoning", text: "Cohere thought this.", producer: "cohere" },
        { type: "reasoning", text: "Replayed reasoning_content of unknown origin." },
        { type: "text", text: "4" },
      ],
    },
    { role: "assistant", content: [{ type: "reasoning", text: "Only foreign.", signature: "sig", producer: "anthropic" }] },
    user("And 3+3?"),
  ];
  const thinkingTurn = {
    role: "assistant",
    content: [
      { type: "thinking", thinking: "Cohere thought this." },
      { type: "thinking", thinking: "Replayed reasoning_content of unknown origin." },
      { type: "text", text: "4" },
    ],
  };
  const reasoningModel = encodeCohereRequest({ ...base(history), model: "command-a-reasoning-08-2025" });
  assert.deepEqual(reasoningModel.messages, [{ role: "user", content: "2+2?" }, thinkingTurn, { role: "user", content: "And 3+3?" }]);
  const thinkingOn = encodeCohereRequest({ ...base(history, { reasoning: { effort: "low" } }), model: "command-a-reasoning-08-2025" });
  assert.deepEqual((thinkingOn.messages as unknown[])[1], thinkingTurn);

  // A model that does not think would reject thinking blocks: only the answer goes back.
  const plain = encodeCohereRequest(base(history));
  assert.deepEqual(plain.messages, [
    { role: "user", content: "2+2?" },
    { role: "assistant", content: "4" },
    { role: "user", content: "And 3+3?" },
  ]);
  const off = encodeCohereRequest({ ...base(history, { reasoning: { disabled: true } }), model: "command-a-reasoning-08-2025" });
  assert.deepEqual((off.messages as unknown[])[1], { role: "assistant", content: "4" });
});

test("reasoning a Responses client sends back as a summary (no text) still reaches a thinking model", () => {
  const history: Message[] = [
    user("2+2?"),
    { role: "assistant", content: [{ type: "reasoning", summary: ["Add them.", "It is 4."] }, { type: "text", text: "4" }] },
    user("And 3+3?"),
  ];
  const body = encodeCohereRequest({ ...base(history), model: "command-a-reasoning-08-2025" });
  assert.deepEqual((body.messages as unknown[])[1], { role: "assistant", content: [{ type: "thinking", thinking: "Add them.\n\nIt is 4." }, { type: "text", text: "4" }] });
  assert.deepEqual((encodeCohereRequest(base(history)).messages as unknown[])[1], { role: "assistant", content: "4" }, "not to a model that does not think");
});

test("Cohere's plan goes back as tool_plan, whatever client carried it", () => {
  const body = encodeCohereRequest(
    base([
      user("Weather?"),
      {
        role: "assistant",
        content: [
          { type: "reasoning", text: "I will check the weather.", producer: "cohere", extras: { cohere: { $plan: true } } },
          { type: "tool-call", id: "get_weather_1", name: "get_weather", arguments: '{"city":"Paris"}', kind: "function" },
        ],
      },
      { role: "tool", content: [{ type: "tool-result", callId: "get_weather_1", content: "18C" }] },
    ]),
  );
  assert.deepEqual((body.messages as unknown[])[1], {
    role: "assistant",
    tool_plan: "I will check the weather.",
    tool_calls: [{ id: "get_weather_1", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } }],
  });
});

test("reasoning effort and budgets become Cohere's thinking budget", () => {
  assert.deepEqual(encodeThinking({ effort: "low" }), { type: "enabled", token_budget: 2048 });
  assert.deepEqual(encodeThinking({ effort: "high", summary: "auto" }), { type: "enabled", token_budget: 16384 });
  assert.deepEqual(encodeThinking({ budgetTokens: 5000, effort: "low" }), { type: "enabled", token_budget: 5000 });
  assert.deepEqual(encodeThinking({ effort: "none" }), { type: "disabled" });
  assert.deepEqual(encodeThinking({ disabled: true }), { type: "disabled" });
  assert.equal(encodeThinking({ summary: "auto" }), undefined);
  assert.equal(encodeThinking(undefined), undefined);
  const reasoningModel = { model: "command-a-reasoning-08-2025" };
  assert.deepEqual(encodeCohereRequest({ ...base([user("x")], { reasoning: { effort: "medium" } }), ...reasoningModel }).thinking, { type: "enabled", token_budget: 8192 });
  assert.deepEqual(encodeCohereRequest({ ...base([user("x")], { reasoning: { effort: "none" } }), ...reasoningModel }).thinking, { type: "disabled" });
  // Codex sends an effort whatever the model: a model that does not think gets no `thinking`.
  assert.equal(encodeCohereRequest(base([user("x")], { reasoning: { effort: "medium", summary: "auto" } })).thinking, undefined);
});

test("images by URL, base64 and data URL; text files become documents", () => {
  const body = encodeCohereRequest(
    base([
      {
        role: "user",
        content: [
          { type: "text", text: "Compare" },
          { type: "image", source: { kind: "url", url: "https://example.org/a.png" }, detail: "high" },
          { type: "image", source: { kind: "base64", data: "iVBORw0KGgo=", mediaType: "image/png" } },
          { type: "file", source: { kind: "base64", data: Buffer.from("Lyon: 21C").toString("base64"), mediaType: "text/plain" }, filename: "notes.txt" },
        ],
      },
    ]),
  );
  assert.deepEqual(body.messages, [
    {
      role: "user",
      content: [
        { type: "text", text: "Compare" },
        { type: "image_url", image_url: { url: "https://example.org/a.png", detail: "high" } },
        { type: "image_url", image_url: { url: "data:image/png;base64,iVBORw0KGgo=" } },
      ],
    },
  ]);
  assert.deepEqual(body.documents, [{ data: { text: "Lyon: 21C", title: "notes.txt" } }]);

  // A turn of files only would be empty (Cohere rejects that): the file text is the turn.
  const onlyFile = encodeCohereRequest(
    base([{ role: "user", content: [{ type: "file", source: { kind: "base64", data: Buffer.from('{"a":1}').toString("base64"), mediaType: "application/json" } }] }]),
  );
  assert.deepEqual(onlyFile.messages, [{ role: "user", content: '{"a":1}' }]);
  assert.equal(onlyFile.documents, undefined);
});

test("what Cohere cannot read is a 400 naming the part", () => {
  const pdf: Message = { role: "user", content: [{ type: "file", source: { kind: "base64", data: "JVBERi0=", mediaType: "application/pdf" } }] };
  const audio: Message = { role: "user", content: [{ type: "text", text: "hi" }, { type: "audio", data: "UklGR", format: "wav" }] };
  const fileId: Message = { role: "user", content: [{ type: "image", source: { kind: "file-id", fileId: "file-abc" } }] };
  for (const [m, param] of [[pdf, "messages[0].content[0]"], [audio, "messages[0].content[1]"], [fileId, "messages[0].content[0]"]] as const) {
    assert.throws(() => encodeCohereRequest(base([m])), (e: unknown) => e instanceof ProxyError && e.error.status === 400 && e.error.param === param);
  }
});

test("sampling, stop, structured output; user and metadata have no Cohere field", () => {
  const body = encodeCohereRequest(
    base([user("x")], {
      stream: true,
      maxOutputTokens: 300,
      temperature: 0.5,
      topP: 0.8,
      topK: 20,
      seed: 7,
      frequencyPenalty: 0.3,
      presencePenalty: 0.4,
      stop: ["END"],
      responseFormat: { type: "json_schema", name: "weather", schema: { type: "object", properties: { t: { type: "number" } } }, strict: true },
      user: "user-123",
      metadata: { team: "a" },
    }),
  );
  assert.deepEqual(body, {
    model: "command-a-03-2025",
    messages: [{ role: "user", content: "x" }],
    stream: true,
    max_tokens: 300,
    temperature: 0.5,
    p: 0.8,
    k: 20,
    seed: 7,
    frequency_penalty: 0.3,
    presence_penalty: 0.4,
    stop_sequences: ["END"],
    response_format: { type: "json_object", json_schema: { type: "object", properties: { t: { type: "number" } } } },
  });
  assert.deepEqual(encodeCohereRequest(base([user("x")], { responseFormat: { type: "json_object" } })).response_format, { type: "json_object" });
});

test("citations of another format go back as Cohere citations on the assistant turn", () => {
  const body = encodeCohereRequest(
    base([
      user("Otters?"),
      { role: "assistant", content: [{ type: "text", text: "They weigh 14 kg.", citations: [{ type: "url", url: "https://example.org", title: "Otters", startIndex: 11, endIndex: 16 }] }] },
      user("More"),
    ]),
  );
  const assistant = (body.messages as Array<Record<string, unknown>>)[1];
  assert.deepEqual(assistant.citations, [
    { start: 11, end: 16, text: "14 kg", sources: [{ type: "document", id: "https://example.org", document: { title: "Otters", url: "https://example.org" } }], type: "TEXT_CONTENT", content_index: 0 },
  ]);
});
