import { test } from "node:test";
import assert from "node:assert/strict";
import { providerRegistry } from "../../adapters/registry.ts";
import { classifyEndpoint, splitProxyId } from "./passthrough-endpoints.ts";

const p = (id: string) => providerRegistry.provider(id)!;
const q = (s = "") => new URLSearchParams(s);

test("inspected native endpoints are recognised, with model and stream from the URL where the format puts them", () => {
  assert.deepEqual(classifyEndpoint(p("openai"), "POST", "/chat/completions", q()), { inspected: true, format: "openai-chat", framing: "sse" });
  assert.deepEqual(classifyEndpoint(p("openai"), "POST", "/responses", q()), { inspected: true, format: "openai-responses", framing: "sse" });
  assert.equal(classifyEndpoint(p("groq"), "POST", "/responses", q()).inspected, false, "groq has no Responses API");
  assert.deepEqual(classifyEndpoint(p("anthropic"), "POST", "/v1/messages", q("beta=true")), { inspected: true, format: "anthropic", framing: "sse" });
  assert.deepEqual(classifyEndpoint(p("gemini"), "POST", "/v1beta/models/gemini-2.5-flash:streamGenerateContent", q("alt=sse")), {
    inspected: true,
    format: "gemini",
    framing: "sse",
    model: "gemini-2.5-flash",
    stream: true,
  });
  assert.equal(classifyEndpoint(p("gemini"), "POST", "/v1beta/models/gemini-2.5-flash:streamGenerateContent", q()).framing, "json-array");
  assert.deepEqual(classifyEndpoint(p("bedrock"), "POST", "/model/anthropic.claude-3-5-sonnet-20240620-v1%3A0/converse-stream", q()), {
    inspected: true,
    format: "bedrock",
    framing: "aws-eventstream",
    model: "anthropic.claude-3-5-sonnet-20240620-v1:0",
    stream: true,
  });
});

test("everything else is forwarded uninspected", () => {
  for (const [id, method, path] of [
    ["openai", "POST", "/embeddings"],
    ["openai", "GET", "/models"],
    ["openai", "POST", "/files"],
    ["anthropic", "POST", "/v1/messages/count_tokens"],
    ["anthropic", "GET", "/v1/models"],
    ["gemini", "GET", "/v1beta/models"],
    ["bedrock", "POST", "/model/x/invoke"],
  ] as const) {
    assert.equal(classifyEndpoint(p(id), method, path, q()).inspected, false, `${id} ${method} ${path}`);
  }
});

test("a first segment is a proxy id only when it names a proxy and is not an API path", () => {
  const proxies = new Set(["team-a", "v1"]);
  const isProxy = (id: string) => proxies.has(id);
  assert.deepEqual(splitProxyId("/team-a/chat/completions", isProxy), ["team-a", "/chat/completions"]);
  assert.deepEqual(splitProxyId("/chat/completions", isProxy), [undefined, "/chat/completions"]);
  assert.deepEqual(splitProxyId("/v1/messages", isProxy), [undefined, "/v1/messages"]);
  assert.deepEqual(splitProxyId("/team-b/chat/completions", isProxy), [undefined, "/team-b/chat/completions"]);
});
