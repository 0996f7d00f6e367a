import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { nativeEventToMessage } from "../adapters/bedrock/bedrock-event-stream-framing.ts";
import type { NativeEvent } from "../adapters/types.ts";
import type { FakeReply, FakeUpstream } from "./fake-upstreams/fake-reply.ts";
import { anthropicAnswer, bedrockAnswer, chatAnswer, geminiAnswer, responsesAnswer } from "./policies-answers.ts";
import { anthropicMessages, anthropicTools, ANTHROPIC_MODEL, bedrockMessages, BEDROCK_MODEL, chatMessages, chatTools, geminiContents, GEMINI_MODEL, responsesInput, responsesTools } from "./policies-routes.ts";
import { EXFILTRATE, latestRow, PT_KEY, startPolicyFixture, TOOL_SCHEMA, TOOLS, TRIFECTA, type Answer, type Conversation, type PolicyFixture } from "./policies-support.ts";

let f: PolicyFixture;
before(async () => {
  f = await startPolicyFixture();
});
after(() => f.close());

/** How a provider frames a stream on the wire (the fakes' framing, made here so the test knows every byte). */
type Framing = "chat" | "sse-named" | "gemini" | "bedrock";

interface RawRoute {
  name: string;
  upstream(f: PolicyFixture): FakeUpstream;
  answer(a: Answer, stream: boolean, delayMs?: number): FakeReply;
  framing: Framing;
  request(c: Conversation, stream: boolean): { path: string; headers: Record<string, string>; body: unknown };
}

const bearer = { authorization: `Bearer ${PT_KEY}` };
/** The answers end with a usage chunk, which a Chat client gets only when it asks. */
const usage = { stream_options: { include_usage: true } };

const RAW_ROUTES: RawRoute[] = [
  {
    name: "router chat → openai",
    upstream: (f) => f.openai,
    answer: (a, s, d) => chatAnswer("gpt-4o-mini", a, s, d),
    framing: "chat",
    request: (c, stream) => ({ path: "/v1/model-router/default/chat/completions", headers: bearer, body: { model: "openai:gpt-4o-mini", messages: chatMessages(c), tools: chatTools, stream, ...(stream && usage) } }),
  },
  {
    name: "router responses → openai",
    upstream: (f) => f.openai,
    answer: (a, s, d) => responsesAnswer("gpt-4o-mini", a, s, d),
    framing: "sse-named",
    request: (c, stream) => ({ path: "/v1/model-router/default/responses", headers: bearer, body: { model: "openai:gpt-4o-mini", input: responsesInput(c), tools: responsesTools, stream } }),
  },
  {
    name: "passthrough /v1/openai chat",
    upstream: (f) => f.openai,
    answer: (a, s, d) => chatAnswer("gpt-4o-mini", a, s, d),
    framing: "chat",
    request: (c, stream) => ({ path: "/v1/openai/chat/completions", headers: bearer, body: { model: "gpt-4o-mini", messages: chatMessages(c), tools: chatTools, stream, ...(stream && usage) } }),
  },
  {
    name: "passthrough /v1/openai responses",
    upstream: (f) => f.openai,
    answer: (a, s, d) => responsesAnswer("gpt-4o-mini", a, s, d),
    framing: "sse-named",
    request: (c, stream) => ({ path: "/v1/openai/responses", headers: bearer, body: { model: "gpt-4o-mini", input: responsesInput(c), tools: responsesTools, stream } }),
  },
  {
    name: "passthrough /v1/anthropic",
    upstream: (f) => f.anthropic,
    answer: (a, s, d) => anthropicAnswer(ANTHROPIC_MODEL, a, s, d),
    framing: "sse-named",
    request: (c, stream) => ({
      path: "/v1/anthropic/v1/messages",
      headers: { "x-api-key": PT_KEY, "anthropic-version": "2023-06-01" },
      body: { model: ANTHROPIC_MODEL, max_tokens: 512, messages: anthropicMessages(c), tools: anthropicTools, stream },
    }),
  },
  {
    name: "passthrough /v1/gemini",
    upstream: (f) => f.gemini,
    answer: (a, s, d) => geminiAnswer(GEMINI_MODEL, a, s, d),
    framing: "gemini",
    request: (c, stream) => ({
      path: `/v1/gemini/v1beta/models/${GEMINI_MODEL}:${stream ? "streamGenerateContent?alt=sse" : "generateContent"}`,
      headers: { "x-goog-api-key": PT_KEY },
      body: { contents: geminiContents(c), tools: [{ functionDeclarations: TOOLS.map((name) => ({ name, parametersJsonSchema: TOOL_SCHEMA })) }] },
    }),
  },
  {
    name: "passthrough /v1/bedrock",
    upstream: (f) => f.bedrock,
    answer: (a, s, d) => bedrockAnswer(a, s, d),
    framing: "bedrock",
    request: (c, stream) => ({
      path: `/v1/bedrock/model/${encodeURIComponent(BEDROCK_MODEL)}/${stream ? "converse-stream" : "converse"}`,
      headers: bearer,
      body: { messages: bedrockMessages(c), toolConfig: { tools: TOOLS.map((name) => ({ toolSpec: { name, inputSchema: { json: TOOL_SCHEMA } } })) } },
    }),
  },
];

const CONTENT_TYPE: Record<Framing, string> = { chat: "text/event-stream", "sse-named": "text/event-stream", gemini: "text/event-stream", bedrock: "application/vnd.amazon.eventstream" };

function frame(framing: Framing, e: NativeEvent): string | Uint8Array {
  const data = typeof e.data === "string" ? e.data : JSON.stringify(e.data);
  switch (framing) {
    case "chat":
      return `data: ${data}\n\n`;
    case "sse-named":
      return `event: ${e.event}\ndata: ${data}\n\n`;
    case "gemini":
      return `data: ${data}\r\n\r\n`;
    case "bedrock":
      return nativeEventToMessage(e);
  }
}

/** The answer as exact bytes: one write per frame (or the whole JSON body). */
function rawReply(route: RawRoute, a: Answer, stream: boolean): { reply: FakeReply; bytes: Buffer } {
  const native = route.answer(a, stream);
  if (native.kind === "json") {
    const body = JSON.stringify(native.body);
    return { reply: { kind: "raw", status: 200, headers: { "content-type": "application/json" }, body }, bytes: Buffer.from(body) };
  }
  if (native.kind !== "stream") throw new Error("unexpected reply");
  const parts = native.events.map((e) => frame(route.framing, e));
  return { reply: { kind: "raw", status: 200, headers: { "content-type": CONTENT_TYPE[route.framing] }, body: parts, delayMs: 2 }, bytes: Buffer.concat(parts.map((p) => Buffer.from(p))) };
}

async function post(route: RawRoute, c: Conversation, stream: boolean): Promise<Response> {
  const { path, headers, body } = route.request(c, stream);
  return fetch(f.url(path), { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });
}

/** A colleague gets mail from a tainted conversation: a call that could be blocked, held, then allowed. */
const INTERNAL_MAIL: Answer = { text: "Sending the minutes to the team.", calls: [{ id: "call_ok1", name: "send_email", args: { to: ["a@example.com", "b@example.com"], subject: "minutes" } }] };

for (const route of RAW_ROUTES) {
  describe(route.name, () => {
    for (const stream of [false, true]) {
      test(`${stream ? "stream" : "whole"}: a held call that the policies allow reaches the client byte for byte`, async () => {
        const { reply, bytes } = rawReply(route, INTERNAL_MAIL, stream);
        route.upstream(f).enqueue(reply);
        const res = await post(route, TRIFECTA, stream);
        assert.equal(res.status, 200);
        const got = Buffer.from(await res.arrayBuffer());
        assert.ok(got.equals(bytes), `the client's bytes differ from the upstream's:\n${got.toString("latin1").slice(0, 600)}\n---\n${bytes.toString("latin1").slice(0, 600)}`);
        const row = await latestRow(f.proxy);
        assert.equal(row.blocked, 0);
        assert.ok(row.taint, "the conversation was tainted: the call was judged, and allowed");
        assert.deepEqual(JSON.parse(row.decisions ?? "[]").at(-1), { kind: "tool-invocation", action: "allow_when_context_is_untrusted", blocked: false, policyId: "internal-mail", tool: "send_email", reason: "internal mail only" });
      });
    }

    test("stream: text is not delayed by a held tool call", async () => {
      const answer: Answer = { text: "alpha bravo charlie delta ", calls: EXFILTRATE.calls };
      route.upstream(f).enqueue(route.answer(answer, true, 80));
      const started = performance.now();
      const res = await post(route, TRIFECTA, true);
      assert.equal(res.status, 200);
      let seen = "";
      let textAt = 0;
      let refusalAt = 0;
      for await (const chunk of res.body!) {
        seen += Buffer.from(chunk).toString("latin1");
        const now = performance.now() - started;
        if (!textAt && seen.includes("delta")) textAt = now;
        if (!refusalAt && seen.includes("Portcullis blocked")) refusalAt = now;
      }
      assert.ok(textAt > 0 && refusalAt > 0, seen.slice(0, 400));
      assert.ok(textAt < 1500, `text reached the client at ${textAt.toFixed(0)} ms`);
      // Gemini sends a call whole, in one chunk after the text: there is nothing to hold across frames.
      if (route.framing === "gemini") return assert.ok(refusalAt >= textAt);
      // The call's frames take 80 ms each upstream; the text went out as it came, long before.
      assert.ok(refusalAt - textAt > 300, `text at ${textAt.toFixed(0)} ms, the held call released at ${refusalAt.toFixed(0)} ms`);
    });
  });
}

describe("keep-alives while a call is held", { concurrency: true }, () => {
  for (const [name, marker] of [
    ["passthrough /v1/openai chat", ": keep-alive\n\n"],
    ["passthrough /v1/anthropic", "event: ping"],
  ] as const) {
    test(`${name}: the client hears from the proxy while the upstream is slow to finish a held call`, async () => {
      const route = RAW_ROUTES.find((r) => r.name === name)!;
      const native = route.answer({ text: "One moment.", calls: EXFILTRATE.calls }, true);
      if (native.kind !== "stream") throw new Error("a stream");
      const frames = native.events.map((e) => frame(route.framing, e));
      // The call starts, then the upstream is silent for longer than the keep-alive interval (5 s, checked every 2.5 s).
      const callStart = native.events.findIndex((e) => JSON.stringify(e.data).includes('"send_email"'));
      const before = frames.slice(0, callStart + 2).join("");
      const after = frames.slice(callStart + 2).join("");
      route.upstream(f).enqueue({ kind: "raw", status: 200, headers: { "content-type": "text/event-stream" }, body: [before, after], delayMs: 8000 });
      const res = await post(route, TRIFECTA, true);
      let text = "";
      const reader = res.body!.getReader();
      while (!text.includes("Portcullis blocked")) {
        const { value, done } = await reader.read();
        if (done) break;
        text += Buffer.from(value).toString("utf8");
      }
      await reader.cancel();
      const textAt = text.indexOf("moment.");
      const keepAliveAt = text.indexOf(marker, textAt);
      const refusalAt = text.indexOf("Portcullis blocked");
      assert.ok(textAt >= 0 && refusalAt > 0, text.slice(0, 500));
      assert.ok(keepAliveAt > textAt && keepAliveAt < refusalAt, `a keep-alive between the text and the released call:\n${text}`);
    });
  }
});
