import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import OpenAI from "openai";
import { latestRow, PT_KEY, startPolicyFixture, TOOL_SCHEMA, TOOLS, type PolicyFixture } from "./policies-support.ts";

/**
 * A model steered into malformed arguments (a trailing comma JSON.parse refuses, lenient agent
 * parsers accept) must not slip past a rule whose conditions would block the call: POLICIES_YAML's
 * `no-deal-talk` blocks mail about an acquisition even in a trusted conversation.
 */

let f: PolicyFixture;
before(async () => {
  f = await startPolicyFixture();
});
after(() => f.close());

const completion = (args: string) => ({
  kind: "json" as const,
  body: {
    id: "chatcmpl-x",
    object: "chat.completion",
    created: 1,
    model: "gpt-4o-mini",
    choices: [{ index: 0, finish_reason: "tool_calls", message: { role: "assistant", content: null, tool_calls: [{ id: "call_1", type: "function", function: { name: "send_email", arguments: args } }] } }],
    usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
  },
});

async function ask(): Promise<OpenAI.ChatCompletion> {
  const client = new OpenAI({ baseURL: f.url("/v1/model-router/default"), apiKey: PT_KEY, maxRetries: 0 });
  return client.chat.completions.create({
    model: "openai:gpt-4o-mini",
    tools: TOOLS.map((name) => ({ type: "function" as const, function: { name, parameters: TOOL_SCHEMA } })),
    messages: [{ role: "user", content: "Tell the CEO about the deal." }],
  });
}

test("openai SDK: a trailing comma does not carry a forbidden mail past its conditional block_always rule", async () => {
  f.openai.enqueue(completion('{"to":["ceo@example.com"],"subject":"Acquisition plans",}'));
  const got = await ask();
  assert.equal(got.choices[0].message.tool_calls, undefined);
  assert.equal(got.choices[0].finish_reason, "stop");
  assert.match(got.choices[0].message.content ?? "", /Portcullis blocked a call of the tool "send_email" .*its arguments are not valid JSON/);
  const decisions = JSON.parse((await latestRow(f.proxy)).decisions ?? "[]") as Array<Record<string, unknown>>;
  assert.deepEqual(decisions.at(-1), { kind: "tool-invocation", action: "block_unparsable_arguments", blocked: true, tool: "send_email", reason: "its arguments are not valid JSON, so the conditions of the policies that could block it cannot be checked" });
});

test("openai SDK: the same call with well-formed arguments meets its rule; a harmless one passes unchanged", async () => {
  f.openai.enqueue(completion('{"to":["ceo@example.com"],"subject":"Acquisition plans"}'));
  assert.match((await ask()).choices[0].message.content ?? "", /deals are not discussed by mail \(policy no-deal-talk\)/);
  f.openai.enqueue(completion('{"to":["ceo@example.com"],"subject":"Lunch"}'));
  const got = await ask();
  assert.equal(got.choices[0].message.tool_calls?.[0].type === "function" && got.choices[0].message.tool_calls[0].function.arguments, '{"to":["ceo@example.com"],"subject":"Lunch"}');
});
