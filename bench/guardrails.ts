/**
 * node bench/guardrails.ts — what the guardrails cost in-process, per request and per streamed
 * chunk, with secrets and PII both on (redact, restore). The end-to-end figure (ten policies and
 * every guardrail on against none) is `BENCH_POLICIES=compare npm run bench`.
 *
 * - small: the bench lanes' two-message request (clean).
 * - agent 100 KB: a conversation of ~100 KB (prose, code, JSON tool results) on its first turn
 *   (nothing cached), then on the next turn with one new message (history from the clean cache),
 *   then with one 5 KB tool result that holds a secret (that part is scanned again every turn).
 * - stream: a 4 KB answer in 4-character deltas through the response modifier's lookahead.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { CanonicalRequest, Message } from "../src/canonical/request.ts";
import type { StreamChunk } from "../src/canonical/stream.ts";
import { guardrailRewrite } from "../src/guardrails/guardrail-rewrite.ts";
import { CleanTextCache } from "../src/guardrails/scan-cache.ts";
import type { RequestContext } from "../src/pipeline/context.ts";
import { responseModifier } from "../src/pipeline/response-modifier.ts";
import { guardrails } from "../src/pipeline/stages/guardrails.ts";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const read = (p: string) => readFileSync(join(root, p), "utf8");
const settings = { secrets: "redact", pii: "redact", restore: true } as const;

const ctxFor = (request: CanonicalRequest) => ({ proxyId: "p", request, requestChanged: false }) as RequestContext;

function time(name: string, iterations: number, fn: () => void, per = 1): void {
  for (let i = 0; i < Math.min(50, iterations); i++) fn();
  const start = performance.now();
  for (let i = 0; i < iterations; i++) fn();
  const us = ((performance.now() - start) * 1000) / iterations / per;
  console.log(`${name.padEnd(60)} ${us.toFixed(1).padStart(9)} µs`);
}

// small
const small: CanonicalRequest = {
  model: "gpt-4o-mini",
  stream: false,
  messages: [
    { role: "system", content: [{ type: "text", text: "You are a helpful assistant." }] },
    { role: "user", content: [{ type: "text", text: "Hello, how are you doing today? Tell me something interesting about proxies." }] },
  ],
};
const stage = guardrails(() => settings);
time("small request (2 messages), cache warm", 20_000, () => void stage.request!(ctxFor(small)));

// a ~100 KB agent conversation
const sources = [read("README.md"), read("src/pipeline/modify-stream.ts"), read("adapters/openai/chat/chat-stream-decoder.ts"), read("../shared/DESIGN.md")];
function conversation(turns: number, secretInTool = false): Message[] {
  const messages: Message[] = [{ role: "system", content: [{ type: "text", text: sources[3].slice(0, 4000) }] }];
  for (let i = 0; messages.length < turns; i++) {
    const src = sources[i % 3];
    const off = (i * 2311) % Math.max(1, src.length - 6000);
    messages.push({ role: "user", content: [{ type: "text", text: `Turn ${i}: ${src.slice(off, off + 1500)}` }] });
    messages.push({ role: "assistant", content: [{ type: "tool-call", id: `call_${i}`, name: "read_file", arguments: JSON.stringify({ path: `src/file-${i}.ts` }), kind: "function" }] });
    let result = JSON.stringify({ path: `src/file-${i}.ts`, content: src.slice(off + 1500, off + 5000) });
    if (secretInTool && i === 3) result = JSON.stringify({ env: `OPENAI_API_KEY=sk-proj-Ab3dEf6hIj9kLmN0pQrStUvWxYz1234567890abcd\n${src.slice(0, 5000)}` });
    messages.push({ role: "tool", content: [{ type: "tool-result", callId: `call_${i}`, content: result }] });
  }
  return messages;
}
const history = conversation(60);
const size = JSON.stringify(history).length;
const nextTurn = (h: Message[], n: number): CanonicalRequest => ({ model: "m", stream: false, messages: [...h, { role: "user", content: [{ type: "text", text: `New question number ${n}: ${sources[0].slice(n % 1000, (n % 1000) + 500)}` }] }] });
time(`agent ${(size / 1024).toFixed(0)} KB, first turn (nothing cached)`, 30, () => void guardrails(() => settings, new CleanTextCache()).request!(ctxFor(nextTurn(history, 0))));
let n = 0;
time(`agent ${(size / 1024).toFixed(0)} KB, next turn (history cached, 1 new message)`, 500, () => void stage.request!(ctxFor(nextTurn(history, n++))));
const withSecret = conversation(60, true);
time(`agent ${(size / 1024).toFixed(0)} KB, next turn, a 5 KB tool result holds a secret`, 500, () => void stage.request!(ctxFor(nextTurn(withSecret, n++))));

// streaming
const answer = sources[0].slice(0, 4096);
const deltas: StreamChunk[] = [];
deltas.push({ events: [{ type: "part-start", index: 0, part: { type: "text", text: "" } }] });
for (let i = 0; i < answer.length; i += 4) deltas.push({ events: [{ type: "text-delta", index: 0, delta: answer.slice(i, i + 4) }] });
deltas.push({ events: [{ type: "part-end", index: 0, part: { type: "text", text: answer } }] });
const modifier = responseModifier([guardrailRewrite()]);
const streamCtx = ctxFor(small);
void stage.request!(streamCtx);
const chunks = deltas.length;
time(`stream: 4 KB answer in ${chunks} chunks, per chunk (lookahead + observer)`, 200, () => {
  const t = modifier.stream!(streamCtx)!;
  const o = stage.stream!(streamCtx)!;
  for (const c of deltas) for (const x of o.chunk(c)) t.chunk(x);
  t.flush?.();
}, chunks);
