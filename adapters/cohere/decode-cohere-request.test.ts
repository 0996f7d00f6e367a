import assert from "node:assert/strict";
import { test } from "node:test";
import { ProxyError } from "../../src/canonical/error.ts";
import type { JsonObject } from "../../src/canonical/extras.ts";
import { richRequest } from "./cohere-test-payloads.ts";
import { decodeCohereRequest } from "./decode-cohere-request.ts";
import { encodeCohereRequest } from "./encode-cohere-request.ts";

test("a rich Cohere request survives decode then encode unchanged", () => {
  assert.deepEqual(encodeCohereRequest(decodeCohereRequest(richRequest)), richRequest);
});

test("the rich request decodes to the canonical view policies read", () => {
  const req = decodeCohereRequest(richRequest);
  assert.equal(req.model, "command-a-03-2025");
  assert.equal(req.stream, true);
  assert.deepEqual(req.messages.map((m) => m.role), ["system", "user", "assistant", "tool", "assistant", "user"]);

  const [system, user, calls, results, answer] = req.messages;
  assert.deepEqual(system.content, [{ type: "text", text: "You are a terse travel assistant.", origin: { format: "cohere", index: 0 } }]);
  assert.equal(user.role, "user");
  assert.deepEqual(
    user.content.map((p) => (p.type === "image" ? p.source : p.type)),
    ["text", { kind: "base64", data: "/9j/4AAQSkZJRg==", mediaType: "image/jpeg" }, { kind: "url", url: "https://example.org/photos/paris.jpg" }],
  );
  assert.equal(user.content[1].type === "image" && user.content[1].detail, "low");

  // tool_plan is Cohere's reasoning before the calls; both calls keep their argument text.
  assert.equal(calls.role, "assistant");
  const [plan, call1, call2] = calls.content;
  assert.deepEqual(plan, {
    type: "reasoning",
    text: "I will look up the weather in Paris and in Lyon.",
    producer: "cohere",
    origin: { format: "cohere", index: 2 },
    extras: { cohere: { $plan: true } },
  });
  assert.deepEqual(call1, { type: "tool-call", id: "get_weather_k3v8wq2m1x0p", name: "get_weather", arguments: '{"city":"Paris"}', kind: "function", origin: { format: "cohere", index: 2 } });
  assert.equal(call2.type === "tool-call" && call2.arguments, '{"city":"Lyon"}');

  // Two tool messages are one canonical tool message; names are resolved from the calls.
  assert.equal(results.role, "tool");
  assert.equal(results.content.length, 2);
  assert.equal(results.content[0].name, "get_weather");
  assert.equal(results.content[0].content, '{"temperature":"18C","sky":"cloudy"}');
  const docParts = results.content[1].content;
  assert.ok(Array.isArray(docParts));
  assert.equal(docParts[0].type === "text" && JSON.parse(docParts[0].text).sky, "sunny", "a document block reads as its JSON data");

  // Thinking is reasoning produced by Cohere; the citation sits on the text it cites.
  assert.equal(answer.role, "assistant");
  const [thinking, text] = answer.content;
  assert.deepEqual(thinking, { type: "reasoning", text: "Paris is 18C and cloudy; Lyon 21C and sunny.", producer: "cohere", origin: { format: "cohere", index: 5 } });
  assert.equal(text.type, "text");
  assert.equal(text.type === "text" && text.citations?.[0].startIndex, 7);

  assert.deepEqual(req.tools, [
    {
      kind: "function",
      name: "get_weather",
      description: "Current weather for a city.",
      parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
      strict: true,
    },
  ]);
  assert.deepEqual(req.toolChoice, { type: "required" });
  assert.equal(req.maxOutputTokens, 400);
  assert.deepEqual(req.stop, ["###"]);
  assert.equal(req.temperature, 0.3);
  assert.equal(req.topP, 0.9);
  assert.equal(req.topK, 40);
  assert.equal(req.seed, 42);
  assert.equal(req.frequencyPenalty, 0.1);
  assert.equal(req.presencePenalty, 0.2);
  assert.deepEqual(req.reasoning, { budgetTokens: 2000 });
  assert.deepEqual(Object.keys(req.extras?.cohere ?? {}).sort(), ["citation_options", "documents", "logprobs", "priority", "safety_mode"]);
});

test("edge shapes round trip: block content, empty plan and calls, null arguments, stream false, unknown blocks", () => {
  const body: JsonObject = {
    model: "command-r7b-12-2024",
    stream: false,
    messages: [
      { role: "system", content: [{ type: "text", text: "Be brief." }] },
      { role: "user", content: [{ type: "text", text: "Time?" }] },
      {
        role: "assistant",
        content: [],
        tool_plan: "",
        tool_calls: [{ id: "current_time_1", type: "function", function: { name: "current_time", arguments: "null" } }],
        citations: [],
      },
      { role: "tool", tool_call_id: "current_time_1", content: [{ type: "text", text: "12:00" }, { type: "future_block", payload: 1 }] },
      { role: "assistant", content: "It is noon.", tool_calls: [] },
      { role: "user", content: "" },
    ],
    tools: [{ type: "function", function: { name: "current_time", parameters: { type: "object", properties: {} } } }],
    strict_tools: false,
    tool_choice: "NONE",
    response_format: { type: "json_object", json_schema: { type: "object", properties: { t: { type: "string" } } } },
    thinking: { type: "disabled" },
  };
  const req = decodeCohereRequest(body);
  assert.equal(req.stream, false);
  const call = req.messages[2].content[0];
  assert.equal(call.type === "tool-call" && call.arguments, "{}", "Cohere's \"null\" means no arguments");
  assert.deepEqual(req.responseFormat, { type: "json_schema", name: "response", schema: { type: "object", properties: { t: { type: "string" } } } });
  assert.deepEqual(req.reasoning, { disabled: true });
  assert.deepEqual(req.toolChoice, { type: "none" });
  assert.equal(req.tools?.[0].kind === "function" && req.tools[0].strict, false);
  assert.deepEqual(encodeCohereRequest(req), body);
});

test("bad bodies are 400s naming the field", () => {
  const cases: Array<[JsonObject, string]> = [
    [{ messages: [] }, "model"],
    [{ model: "command-a-03-2025", messages: [{ role: "wizard", content: "hi" }] }, "messages[0].role"],
    [{ model: "command-a-03-2025", messages: [{ role: "tool", content: "x" }] }, "messages[0].tool_call_id"],
    [{ model: "command-a-03-2025", messages: [{ role: "user", content: 5 }] }, "messages[0].content"],
    [{ model: "command-a-03-2025", messages: [{ role: "user", content: [{ type: "text" }] }] }, "messages[0].content[0].text"],
    [{ model: "command-a-03-2025", messages: [{ role: "user", content: [{ type: "image_url", image_url: {} }] }] }, "messages[0].content[0].image_url.url"],
    [{ model: "command-a-03-2025", messages: [], tool_choice: "AUTO" }, "tool_choice"],
    [{ model: "command-a-03-2025", messages: [], thinking: { type: "enabled", token_budget: -1 } }, "thinking.token_budget"],
  ];
  for (const [body, param] of cases) {
    assert.throws(
      () => decodeCohereRequest(body),
      (err: unknown) => err instanceof ProxyError && err.error.status === 400 && err.error.param === param,
      `expected a 400 on ${param}`,
    );
  }
});
