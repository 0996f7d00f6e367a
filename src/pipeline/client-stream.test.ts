import { test } from "node:test";
import assert from "node:assert/strict";
import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { sseFraming } from "../../adapters/shared/stream-framing.ts";
import { ClientStream } from "./client-stream.ts";

async function serve(handler: (res: ServerResponse) => Promise<void>): Promise<{ status: number; text: string; contentType: string | null }> {
  const server = createServer((_req, res) => void handler(res));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  try {
    const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    return { status: res.status, text: await res.text(), contentType: res.headers.get("content-type") };
  } finally {
    server.close();
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test("a silent stream gets SSE keep-alive comments, and none while frames flow", async () => {
  const { text } = await serve(async (res) => {
    const out = new ClientStream(res, { framing: sseFraming, headers: {}, status: 200, keepAliveMs: 100 });
    out.events([{ data: { n: 1 } }], true);
    await sleep(600);
    out.events([{ data: { n: 2 } }], true);
    out.end();
  });
  assert.match(text, /^data: \{"n":1\}\n\n(: keep-alive\n\n){2,}data: \{"n":2\}\n\n$/);
});

test("a format's own keep-alive frames win over the framing's (Anthropic pings)", async () => {
  const { text } = await serve(async (res) => {
    const out = new ClientStream(res, { framing: sseFraming, headers: {}, status: 200, keepAliveMs: 100, keepAlive: () => [{ event: "ping", data: { type: "ping" } }] });
    out.events([{ event: "message_start", data: {} }], true);
    await sleep(250);
    out.end();
  });
  assert.match(text, /event: ping\ndata: \{"type":"ping"\}\n\n/);
  assert.doesNotMatch(text, /keep-alive/);
});

test("metadata frames wait for content; a failure before it leaves the response free for a real error", async () => {
  const res = await serve(async (res) => {
    const out = new ClientStream(res, { framing: sseFraming, headers: {}, status: 200 });
    out.events([{ data: { type: "response.created" } }], false);
    out.discard();
    res.writeHead(529, { "content-type": "application/json" });
    res.end('{"error":"overloaded"}');
  });
  assert.equal(res.status, 529);
  assert.equal(res.text, '{"error":"overloaded"}');
});
