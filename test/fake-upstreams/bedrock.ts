import { randomUUID } from "node:crypto";
import type { ServerResponse } from "node:http";
import { signAwsRequest, type AwsCredentials } from "../../adapters/bedrock/aws-sigv4.ts";
import { BEDROCK_STREAM_CONTENT_TYPE, isExceptionEvent, nativeEventToMessage } from "../../adapters/bedrock/bedrock-event-stream-framing.ts";
import type { NativeEvent } from "../../adapters/types.ts";
import { startTestServer, type RecordedRequest } from "../helpers/http-server.ts";
import { lastRequest, replyQueue, sleep, writeSimpleReply, type FakeReply, type FakeUpstream } from "./fake-reply.ts";

/**
 * A fake Amazon Bedrock runtime: `POST /model/{modelId}/converse` (JSON) and
 * `/converse-stream` (the binary AWS event stream, real CRCs, a `p` padding field in every
 * event payload as Bedrock sends), plus the control plane's `GET /foundation-models`.
 * Errors are `{message}` bodies with the type in `x-amzn-errortype`. Exception events in a
 * scripted stream (`throttlingException`, `modelStreamErrorException`, …) go out as exception
 * messages. With `auth` set, requests must carry that Bedrock API key or a valid SigV4
 * signature (checked with the adapter's signer) for those AWS keys, as Bedrock would insist.
 */
export interface BedrockFakeOptions {
  auth?: { apiKey?: string; credentials?: AwsCredentials };
}

const ERROR_NAMESPACE = "http://internal.amazon.com/coral/com.amazon.bedrock/";

/** A Bedrock error answer: `{message}` and its exception type in `x-amzn-errortype`. */
export function bedrockErrorReply(status: number, type: string, message: string, headers: Record<string, string> = {}): FakeReply {
  return { kind: "json", status, body: { message }, headers: { "x-amzn-errortype": `${type}:${ERROR_NAMESPACE}`, "x-amzn-requestid": randomUUID(), ...headers } };
}

export async function startBedrockFake(options: BedrockFakeOptions = {}): Promise<FakeUpstream> {
  const queue = replyQueue();
  const server = await startTestServer(async (req, res) => {
    const denied = options.auth && checkAuth(req, options.auth);
    const reply = denied ?? queue.next() ?? defaultReply(req);
    if (writeSimpleReply(res, reply)) return;
    if (reply.kind === "stream") await writeBedrockStream(res, reply);
  });
  return { ...server, enqueue: queue.enqueue, last: () => lastRequest(server) };
}

const PADDING = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
let padCount = 0;

/** Bedrock pads event payloads with a `p` field of varying length so sizes do not leak tokens. */
function padded(event: NativeEvent): NativeEvent {
  if (isExceptionEvent(event.event) || typeof event.data !== "object" || "p" in event.data) return event;
  return { event: event.event, data: { ...event.data, p: PADDING.slice(0, 1 + (padCount++ * 7) % PADDING.length) } };
}

export async function writeBedrockStream(res: ServerResponse, reply: Extract<FakeReply, { kind: "stream" }>): Promise<void> {
  res.writeHead(200, { "content-type": BEDROCK_STREAM_CONTENT_TYPE, "x-amzn-requestid": randomUUID(), ...reply.headers });
  let n = 0;
  for (const e of reply.events) {
    if (reply.cutAfter !== undefined && n++ >= reply.cutAfter) {
      res.socket?.destroy();
      return;
    }
    res.write(nativeEventToMessage(padded(e)));
    if (reply.delayMs) await sleep(reply.delayMs);
  }
  res.end();
}

function defaultReply(req: RecordedRequest): FakeReply {
  const path = new URL(req.url, "http://x").pathname;
  if (req.method === "GET" && path.endsWith("/foundation-models")) return { kind: "json", body: { modelSummaries: MODELS } };
  const match = /\/model\/([^/]+)\/(converse|converse-stream)$/.exec(path);
  if (req.method !== "POST" || !match) return bedrockErrorReply(404, "UnknownOperationException", `Unknown operation ${req.method} ${path}`);
  let body: { messages?: unknown };
  try {
    body = JSON.parse(req.body) as typeof body;
  } catch {
    return bedrockErrorReply(400, "SerializationException", "Malformed input request, please reformat your input and try again.");
  }
  if (!Array.isArray(body.messages) || body.messages.length === 0) {
    return bedrockErrorReply(400, "ValidationException", "A conversation must start with a user message. Try again with a conversation that starts with a user message.");
  }
  const text = `Hello! You said: ${lastUserText(body.messages)}`;
  return match[2] === "converse-stream" ? { kind: "stream", events: converseStream(text) } : { kind: "json", body: converseResponse(text), headers: { "x-amzn-requestid": randomUUID() } };
}

function lastUserText(messages: unknown[]): string {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i] as { role?: string; content?: Array<{ text?: unknown }> };
    if (m?.role === "user" && Array.isArray(m.content)) return m.content.map((b) => (typeof b?.text === "string" ? b.text : "")).join("");
  }
  return "";
}

const usage = (text: string) => {
  const output = Math.max(1, text.split(/\s+/).length);
  return { inputTokens: 12, outputTokens: output, totalTokens: 12 + output };
};

export function converseResponse(text: string) {
  return {
    metrics: { latencyMs: 312 },
    output: { message: { content: [{ text }], role: "assistant" } },
    stopReason: "end_turn",
    usage: { ...usage(text), cacheReadInputTokens: 0, cacheWriteInputTokens: 0 },
  };
}

export function converseStream(text: string): NativeEvent[] {
  const words = text.match(/\S+\s*/g) ?? [text];
  return [
    { event: "messageStart", data: { role: "assistant" } },
    ...words.map((w) => ({ event: "contentBlockDelta", data: { contentBlockIndex: 0, delta: { text: w } } })),
    { event: "contentBlockStop", data: { contentBlockIndex: 0 } },
    { event: "messageStop", data: { stopReason: "end_turn" } },
    { event: "metadata", data: { usage: usage(text), metrics: { latencyMs: 287 } } },
  ];
}

const MODELS = ["anthropic.claude-3-5-sonnet-20240620-v1:0", "amazon.nova-pro-v1:0", "meta.llama3-1-70b-instruct-v1:0"].map((modelId) => ({
  modelArn: `arn:aws:bedrock:us-east-1::foundation-model/${modelId}`,
  modelId,
  modelName: modelId,
  providerName: modelId.split(".")[0],
  inputModalities: ["TEXT"],
  outputModalities: ["TEXT"],
  responseStreamingSupported: true,
  inferenceTypesSupported: ["ON_DEMAND"],
  modelLifecycle: { status: "ACTIVE" },
}));

/** Bedrock's answers to a missing or wrong key, or a signature that does not match. */
function checkAuth(req: RecordedRequest, auth: NonNullable<BedrockFakeOptions["auth"]>): FakeReply | undefined {
  const header = String(req.headers.authorization ?? "");
  if (header.startsWith("Bearer ")) {
    return auth.apiKey !== undefined && header.slice(7) === auth.apiKey ? undefined : bedrockErrorReply(403, "UnrecognizedClientException", "Invalid API Key format: Must start with pre-defined prefix");
  }
  const m = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/.exec(header);
  if (!m) return bedrockErrorReply(403, "MissingAuthenticationTokenException", "Missing Authentication Token");
  const [, keyId, , region, service, signedHeaders, signature] = m;
  const creds = auth.credentials;
  if (!creds || keyId !== creds.accessKeyId) return bedrockErrorReply(403, "UnrecognizedClientException", "The security token included in the request is invalid.");
  const headers: Record<string, string> = {};
  for (const name of signedHeaders.split(";")) {
    if (name !== "x-amz-date" && name !== "x-amz-security-token") headers[name] = String(req.headers[name] ?? "");
  }
  const token = req.headers["x-amz-security-token"];
  const amzDate = String(req.headers["x-amz-date"] ?? "");
  const date = new Date(`${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 8)}T${amzDate.slice(9, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13, 15)}Z`);
  const expected = signAwsRequest({
    method: req.method,
    url: new URL(req.url, `http://${req.headers.host}`),
    headers,
    body: req.body,
    region,
    service,
    credentials: { ...creds, ...(typeof token === "string" && { sessionToken: token }) },
    date,
  });
  if (expected.authorization.endsWith(`Signature=${signature}`)) return undefined;
  return bedrockErrorReply(
    403,
    "InvalidSignatureException",
    "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.",
  );
}
