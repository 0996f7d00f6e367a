import type { JsonObject } from "../../src/canonical/extras.ts";

/**
 * Cohere payloads for the tests, written to the shapes of the API reference
 * (https://docs.cohere.com/reference/chat, /reference/chat-stream) and of responses recorded by
 * the Vercel AI SDK (`packages/cohere/src/__fixtures__`): ids are UUIDs, tool call ids
 * `<name>_<random>`, stream frames carry `type` (and `index` for blocks), `message-start` carries
 * an empty message skeleton, `message-end` the finish reason and usage.
 */

export const richRequest: JsonObject = {
  model: "command-a-03-2025",
  stream: true,
  messages: [
    { role: "system", content: "You are a terse travel assistant." },
    {
      role: "user",
      content: [
        { type: "text", text: "What is the weather where this photo was taken, and in Lyon?" },
        { type: "image_url", image_url: { url: "data:image/jpeg;base64,/9j/4AAQSkZJRg==", detail: "low" } },
        { type: "image_url", image_url: { url: "https://example.org/photos/paris.jpg" } },
      ],
    },
    {
      role: "assistant",
      tool_plan: "I will look up the weather in Paris and in Lyon.",
      tool_calls: [
        { id: "get_weather_k3v8wq2m1x0p", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } },
        { id: "get_weather_7bq0zr4t9n2c", type: "function", function: { name: "get_weather", arguments: '{"city":"Lyon"}' } },
      ],
    },
    { role: "tool", tool_call_id: "get_weather_k3v8wq2m1x0p", content: '{"temperature":"18C","sky":"cloudy"}' },
    {
      role: "tool",
      tool_call_id: "get_weather_7bq0zr4t9n2c",
      content: [
        { type: "document", document: { id: "lyon-weather", data: { temperature: "21C", sky: "sunny" } } },
        { type: "text", text: "Source: Meteo service" },
      ],
    },
    {
      role: "assistant",
      content: [
        { type: "thinking", thinking: "Paris is 18C and cloudy; Lyon 21C and sunny." },
        { type: "text", text: "Paris: 18C, cloudy. Lyon: 21C, sunny." },
      ],
      citations: [
        {
          start: 7,
          end: 19,
          text: "18C, cloudy.",
          sources: [{ type: "tool", id: "get_weather_k3v8wq2m1x0p:0", tool_output: { temperature: "18C", sky: "cloudy" } }],
          content_index: 1,
          type: "TEXT_CONTENT",
        },
      ],
    },
    { role: "user", content: "Thanks. And tomorrow?" },
  ],
  tools: [
    {
      type: "function",
      function: {
        name: "get_weather",
        description: "Current weather for a city.",
        parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
      },
    },
  ],
  strict_tools: true,
  tool_choice: "REQUIRED",
  documents: [{ id: "guide", data: { title: "Guide", text: "Lyon is south of Paris." } }, "Plain string document"],
  citation_options: { mode: "FAST" },
  safety_mode: "CONTEXTUAL",
  max_tokens: 400,
  stop_sequences: ["###"],
  temperature: 0.3,
  seed: 42,
  frequency_penalty: 0.1,
  presence_penalty: 0.2,
  k: 40,
  p: 0.9,
  logprobs: false,
  thinking: { type: "enabled", token_budget: 2000 },
  priority: 1,
};

export const textResponse: JsonObject = {
  id: "5a1c2f0e-8d3b-4e51-9a7c-2b6e0f4d8c13",
  message: { role: "assistant", content: [{ type: "text", text: "Lyon lies about 390 km south-east of Paris." }] },
  finish_reason: "COMPLETE",
  usage: { billed_units: { input_tokens: 14, output_tokens: 12 }, tokens: { input_tokens: 512, output_tokens: 14 }, cached_tokens: 448 },
};

export const toolCallResponse: JsonObject = {
  id: "c0b9e8d7-1a2b-4c3d-8e9f-0a1b2c3d4e5f",
  message: {
    role: "assistant",
    tool_plan: "I will check the weather in Paris, then look up museums.",
    tool_calls: [
      { id: "get_weather_a1b2c3d4e5f6", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } },
      { id: "list_museums_q9w8e7r6t5y4", type: "function", function: { name: "list_museums", arguments: "null" } },
    ],
  },
  finish_reason: "TOOL_CALL",
  usage: { billed_units: { input_tokens: 101, output_tokens: 40 }, tokens: { input_tokens: 1480, output_tokens: 88 }, cached_tokens: 1024 },
};

export const reasoningResponse: JsonObject = {
  id: "7e6d5c4b-3a29-4817-b6f5-e4d3c2b1a098",
  message: {
    role: "assistant",
    content: [
      { type: "thinking", thinking: "Three apples plus four apples is seven apples." },
      { type: "text", text: "7" },
    ],
  },
  finish_reason: "COMPLETE",
  usage: { billed_units: { input_tokens: 9, output_tokens: 31 }, tokens: { input_tokens: 1390, output_tokens: 35 }, cached_tokens: 1344 },
};

export const citationResponse: JsonObject = {
  id: "0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9",
  message: {
    role: "assistant",
    content: [{ type: "text", text: "Sea otters weigh fourteen kilograms and eat sea urchins." }],
    citations: [
      {
        start: 17,
        end: 35,
        text: "fourteen kilograms",
        sources: [{ type: "document", id: "doc:0", document: { id: "doc:0", title: "otters.txt", text: "Adult sea otters weigh fourteen kilograms." } }],
        type: "TEXT_CONTENT",
      },
      {
        start: 40,
        end: 55,
        text: "eat sea urchins",
        sources: [{ type: "document", id: "doc:1", document: { id: "doc:1", title: "diet.txt", text: "They eat sea urchins." } }],
        type: "TEXT_CONTENT",
      },
    ],
  },
  finish_reason: "COMPLETE",
  usage: { billed_units: { input_tokens: 40, output_tokens: 14 }, tokens: { input_tokens: 1690, output_tokens: 30 } },
};

export const maxTokensResponse: JsonObject = {
  id: "9d8c7b6a-5f4e-4d3c-a2b1-0f9e8d7c6b5a",
  message: { role: "assistant", content: [{ type: "text", text: "Once upon a" }] },
  finish_reason: "MAX_TOKENS",
  usage: { billed_units: { input_tokens: 8, output_tokens: 3 }, tokens: { input_tokens: 500, output_tokens: 3 } },
};

const skeleton = { message: { role: "assistant", content: [], tool_plan: "", tool_calls: [], citations: [] } };

export const textStream: JsonObject[] = [
  { id: "2b7c9e1a-6f3d-4c8b-9a0e-5d1f7b3c9e2a", type: "message-start", delta: skeleton },
  { type: "content-start", index: 0, delta: { message: { content: { type: "text", text: "" } } } },
  { type: "content-delta", index: 0, delta: { message: { content: { text: "Bonjour" } } } },
  { type: "content-delta", index: 0, delta: { message: { content: { text: " de" } } } },
  { type: "content-delta", index: 0, delta: { message: { content: { text: " Lyon." } } } },
  { type: "content-end", index: 0 },
  {
    type: "message-end",
    delta: { finish_reason: "COMPLETE", usage: { billed_units: { input_tokens: 6, output_tokens: 4 }, tokens: { input_tokens: 501, output_tokens: 5 }, cached_tokens: 448 } },
  },
];

export const toolStream: JsonObject[] = [
  { id: "8f2a4c6e-0b1d-4e3f-a5c7-9e1b3d5f7a9c", type: "message-start", delta: skeleton },
  { type: "tool-plan-delta", delta: { message: { tool_plan: "I will" } } },
  { type: "tool-plan-delta", delta: { message: { tool_plan: " check the weather." } } },
  { type: "tool-call-start", index: 0, delta: { message: { tool_calls: { id: "get_weather_m4n5b6v7c8x9", type: "function", function: { name: "get_weather", arguments: "" } } } } },
  { type: "tool-call-delta", index: 0, delta: { message: { tool_calls: { function: { arguments: '{"ci' } } } } },
  { type: "tool-call-delta", index: 0, delta: { message: { tool_calls: { function: { arguments: 'ty": "Par' } } } } },
  { type: "tool-call-delta", index: 0, delta: { message: { tool_calls: { function: { arguments: 'is"}' } } } } },
  { type: "tool-call-end", index: 0 },
  { type: "tool-call-start", index: 1, delta: { message: { tool_calls: { id: "current_time_z1x2c3v4b5n6", type: "function", function: { name: "current_time", arguments: "" } } } } },
  { type: "tool-call-end", index: 1 },
  {
    type: "message-end",
    delta: { finish_reason: "TOOL_CALL", usage: { billed_units: { input_tokens: 50, output_tokens: 21 }, tokens: { input_tokens: 1450, output_tokens: 47 }, cached_tokens: 704 } },
  },
];

export const reasoningStream: JsonObject[] = [
  { id: "4c3b2a19-0f8e-4d7c-b6a5-948372615abc", type: "message-start", delta: skeleton },
  { type: "content-start", index: 0, delta: { message: { content: { type: "thinking", thinking: "" } } } },
  { type: "content-delta", index: 0, delta: { message: { content: { thinking: "Two plus" } } } },
  { type: "content-delta", index: 0, delta: { message: { content: { thinking: " two is four." } } } },
  { type: "content-end", index: 0 },
  { type: "content-start", index: 1, delta: { message: { content: { type: "text", text: "" } } } },
  { type: "content-delta", index: 1, delta: { message: { content: { text: "4" } } } },
  { type: "content-end", index: 1 },
  {
    type: "message-end",
    delta: { finish_reason: "COMPLETE", usage: { billed_units: { input_tokens: 8, output_tokens: 20 }, tokens: { input_tokens: 1394, output_tokens: 24 }, cached_tokens: 1360 } },
  },
];

export const citationStream: JsonObject[] = [
  { id: "6a5b4c3d-2e1f-4a0b-9c8d-7e6f5a4b3c2d", type: "message-start", delta: skeleton },
  { type: "content-start", index: 0, delta: { message: { content: { type: "text", text: "" } } } },
  { type: "content-delta", index: 0, delta: { message: { content: { text: "Otters weigh " } } } },
  { type: "content-delta", index: 0, delta: { message: { content: { text: "fourteen kilograms." } } } },
  { type: "content-end", index: 0 },
  {
    type: "citation-start",
    index: 0,
    delta: {
      message: {
        citations: {
          start: 13,
          end: 31,
          text: "fourteen kilograms",
          sources: [{ type: "document", id: "doc:0", document: { id: "doc:0", title: "otters.txt", text: "Adult sea otters weigh fourteen kilograms." } }],
          type: "TEXT_CONTENT",
        },
      },
    },
  },
  { type: "citation-end", index: 0 },
  { type: "message-end", delta: { finish_reason: "COMPLETE", usage: { billed_units: { input_tokens: 35, output_tokens: 8 }, tokens: { input_tokens: 1650, output_tokens: 20 } } } },
];
