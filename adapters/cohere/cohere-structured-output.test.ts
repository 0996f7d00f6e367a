import assert from "node:assert/strict";
import { test } from "node:test";
import type { JsonObject } from "../../src/canonical/extras.ts";
import type { CanonicalRequest } from "../../src/canonical/request.ts";
import type { StreamEvent } from "../../src/canonical/stream.ts";
import { cohereStreamDecoder } from "./cohere-stream-decoder.ts";
import { ANSWER_TOOL } from "./cohere-structured-output.ts";
import { decodeCohereRequest } from "./decode-cohere-request.ts";
import { decodeCohereResponse } from "./decode-cohere-response.ts";
import { encodeCohereRequest } from "./encode-cohere-request.ts";

const schema = { type: "object", properties: { city: { type: "string" }, celsius: { type: "number" } }, required: ["city", "celsius"] };
const request = (more: Partial<CanonicalRequest>): CanonicalRequest => ({
  model: "command-a-03-2025",
  messages: [{ role: "user", content: [{ type: "text", text: "Weather in Paris as JSON" }] }],
  stream: false,
  responseFormat: { type: "json_schema", name: "weather", schema, strict: true },
  ...more,
});
const weatherTool: NonNullable<CanonicalRequest["tools"]> = [{ kind: "function", name: "get_weather", parameters: { type: "object", properties: { city: { type: "string" } } } }];

test("without tools, a JSON schema is Cohere's structured output", () => {
  const body = encodeCohereRequest(request({}));
  assert.deepEqual(body.response_format, { type: "json_object", json_schema: schema });
  assert.equal(body.tools, undefined);
});

test("beside tools (which Cohere's structured output refuses), the schema becomes an answer tool", () => {
  const body = encodeCohereRequest(request({ tools: weatherTool }));
  assert.equal(body.response_format, undefined);
  const tools = body.tools as Array<{ function: { name: string; parameters: JsonObject; description: string } }>;
  assert.deepEqual(tools.map((t) => t.function.name), ["get_weather", ANSWER_TOOL]);
  assert.deepEqual(tools[1].function.parameters, schema);
  assert.match(tools[1].function.description, /final answer/);
  // A Cohere client's own request is never rewritten.
  const own = decodeCohereRequest({
    model: "command-a-03-2025",
    messages: [{ role: "user", content: "x" }],
    tools: [{ type: "function", function: { name: "t", parameters: { type: "object" } } }],
    response_format: { type: "json_object", json_schema: schema },
  });
  assert.deepEqual(encodeCohereRequest(own).response_format, { type: "json_object", json_schema: schema });
});

test("a call of the answer tool comes back as the answer's text and finishes as stop", () => {
  const res = decodeCohereResponse({
    id: "3f1a2b4c-5d6e-4f70-8a9b-c0d1e2f3a4b5",
    message: {
      role: "assistant",
      tool_plan: "I will give the final answer.",
      tool_calls: [{ id: `${ANSWER_TOOL}_x1`, type: "function", function: { name: ANSWER_TOOL, arguments: '{"city":"Paris","celsius":18}' } }],
    },
    finish_reason: "TOOL_CALL",
    usage: { tokens: { input_tokens: 900, output_tokens: 30 } },
  });
  assert.deepEqual(res.content.map((p) => [p.type, p.type === "text" || p.type === "reasoning" ? p.text : ""]), [
    ["reasoning", "I will give the final answer."],
    ["text", '{"city":"Paris","celsius":18}'],
  ]);
  assert.deepEqual(res.finish, { reason: "stop", native: "TOOL_CALL" });

  const withRealCall = decodeCohereResponse({
    id: "x",
    message: {
      role: "assistant",
      tool_calls: [
        { id: "get_weather_1", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } },
        { id: `${ANSWER_TOOL}_2`, type: "function", function: { name: ANSWER_TOOL, arguments: "{}" } },
      ],
    },
    finish_reason: "TOOL_CALL",
  });
  assert.equal(withRealCall.finish.reason, "tool_calls", "a real call still needs its result");
});

test("streamed, the answer tool's arguments are text deltas and the finish is stop", () => {
  const decoder = cohereStreamDecoder();
  const frames: JsonObject[] = [
    { id: "a", type: "message-start", delta: { message: { role: "assistant", content: [], tool_plan: "", tool_calls: [], citations: [] } } },
    { type: "tool-plan-delta", delta: { message: { tool_plan: "Answering." } } },
    { type: "tool-call-start", index: 0, delta: { message: { tool_calls: { id: `${ANSWER_TOOL}_1`, type: "function", function: { name: ANSWER_TOOL, arguments: "" } } } } },
    { type: "tool-call-delta", index: 0, delta: { message: { tool_calls: { function: { arguments: '{"city":"Pa' } } } } },
    { type: "tool-call-delta", index: 0, delta: { message: { tool_calls: { function: { arguments: 'ris","celsius":18}' } } } } },
    { type: "tool-call-end", index: 0 },
    { type: "message-end", delta: { finish_reason: "TOOL_CALL", usage: { tokens: { input_tokens: 900, output_tokens: 30 } } } },
  ];
  const events: StreamEvent[] = frames.flatMap((data) => decoder.decode({ event: data.type as string, data }).events);
  assert.equal(events.some((e) => e.type === "tool-args-delta" || (e.type === "part-start" && e.part.type === "tool-call")), false);
  assert.equal(events.flatMap((e) => (e.type === "text-delta" ? [e.delta] : [])).join(""), '{"city":"Paris","celsius":18}');
  const end = events.find((e) => e.type === "part-end" && e.part.type === "text");
  assert.equal(end?.type === "part-end" && end.part.type === "text" && end.part.text, '{"city":"Paris","celsius":18}');
  assert.deepEqual(events.at(-1)?.type === "finish" && events.at(-1), { type: "finish", finish: { reason: "stop", native: "TOOL_CALL" }, usage: { inputTokens: 900, outputTokens: 30 } });
});
