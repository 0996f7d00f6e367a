import type { IncomingHttpHeaders } from "node:http";
import type { Readable } from "node:stream";
import type { ProviderCredential, ProviderDefinition, StreamFraming } from "../../adapters/provider.ts";
import type { WireCodec } from "../../adapters/types.ts";
import type { CanonicalError } from "../canonical/error.ts";
import type { JsonObject, WireFormat } from "../canonical/extras.ts";
import type { CanonicalRequest } from "../canonical/request.ts";
import type { CanonicalResponse, Finish, Usage } from "../canonical/response.ts";
import type { UpstreamResponse } from "../http/upstream-transport.ts";
import type { ProxyRecord } from "../store/types.ts";

/** Who is calling, as far as the proxy could establish it. */
export interface Caller {
  authMethod: "virtual-key" | "oauth-client" | "idp-user" | "provider-key" | "none";
  virtualKeyId?: string;
  /** The OAuth client whose access token authenticated the call. */
  oauthClientId?: string;
  /** The identity provider whose JWT authenticated the call (its `userId` is then verified). */
  identityProviderId?: string;
  /** The caller's own provider -> credential id mapping (virtual key, OAuth client). */
  credentialMapping?: Record<string, string>;
  /** Proxies the caller may use. */
  allowedProxies?: string[];
  agentId?: string;
  userId?: string;
  sessionId?: string;
  executionId?: string;
}

/** What a native passthrough route knows from its URL. */
export interface PassthroughInfo {
  provider: ProviderDefinition;
  method: string;
  /** The upstream path below the provider's API root, query included (the client's `?key=` removed). */
  path: string;
  /** Decoded and run through the policy stages; false for files, batches and other endpoints. */
  inspected: boolean;
  /** Gemini and Bedrock name the model and whether to stream in the URL, not the body. */
  model?: string;
  stream?: boolean;
  /** The client signed with SigV4: only a virtual key as its access key id can be re-signed. */
  sigv4?: boolean;
  /** The request body, for endpoints whose body streams through without being read. */
  bodyStream?: Readable;
}

/** Where the request goes. */
export interface Target {
  provider: ProviderDefinition;
  /** The upstream model id (the router's prefix removed). */
  model: string;
  /** The format spoken upstream. */
  format: WireFormat;
  codec: WireCodec;
  credential: ProviderCredential;
  /** How the upstream frames its stream. */
  framing: StreamFraming;
}

/** One policy or guardrail verdict on an interaction, recorded in the log and on the trace span. */
export interface PolicyDecision {
  /** What decided: a tool-invocation or trusted-data policy, or a guardrail detector. */
  kind: "tool-invocation" | "trusted-data" | "guardrail";
  /** The action taken, in the config's words (`block_always`, `redact`, `mark_as_untrusted`, …). */
  action: string;
  /** True when something was refused or replaced (feeds `blocked` and `llm_blocked_tools_total`). */
  blocked: boolean;
  policyId?: string;
  tool?: string;
  reason?: string;
}

/** Where the conversation became untrusted (the taint boundary). */
export interface TaintBoundary {
  /** An untrusted tool result, the `X-Archestra-Context-Untrusted` header, or the proxy's setting. */
  source: "tool-result" | "header" | "proxy";
  /** Index in the canonical request's messages of the first untrusted content. */
  messageIndex?: number;
  tool?: string;
  toolCallId?: string;
}

/**
 * Everything the stages know about one interaction. Stages read and extend it; they never see
 * express objects.
 */
export interface RequestContext {
  readonly id: string;
  readonly receivedAt: Date;
  /** performance.now() at arrival. */
  readonly startedAt: number;
  readonly route: "router" | "passthrough";
  readonly headers: IncomingHttpHeaders;
  /** The socket's remote address (authentication resolves the client's behind trusted proxies). */
  readonly peer?: string;
  readonly clientFormat: WireFormat;
  readonly clientCodec: WireCodec;
  /** How the client wants a stream framed (SSE, except Bedrock's event stream and Gemini's JSON array). */
  readonly clientFraming: StreamFraming;
  /** Set on native passthrough routes. */
  readonly passthrough?: PassthroughInfo;
  readonly proxyId: string;
  proxy?: ProxyRecord;
  caller: Caller;
  /** The model string as the client sent it (`openai:gpt-4o-mini`). */
  requestedModel?: string;
  target?: Target;
  /** Reads the client's body (bounded); called once, by the decode stage. */
  readonly readBody: () => Promise<Buffer>;
  rawBody?: Buffer;
  /** The client's body, parsed. */
  body: JsonObject;
  /** The canonical view every stage inspects. Set `requestChanged` when a stage alters it. */
  request: CanonicalRequest;
  requestChanged: boolean;
  upstream?: UpstreamResponse;
  /** Outcome. */
  status?: number;
  error?: CanonicalError;
  response?: CanonicalResponse;
  usage?: Usage;
  finish?: Finish;
  responseModel?: string;
  /** performance.now() when the first content reached the client, and when it all ended. */
  firstTokenAt?: number;
  endedAt?: number;
  /** Policy and guardrail decisions in the order taken (`(ctx.decisions ??= []).push(…)`). */
  decisions?: PolicyDecision[];
  /** Set once the context is untrusted: where it became so. */
  taint?: TaintBoundary;
  /**
   * Applied to the request and response bodies before the interaction log stores them: the
   * guardrail stage sets it so that what it redacted upstream is redacted in the log too.
   */
  redactForLog?: (text: string) => string;
  /** `X-RateLimit-*` of the tightest limit, set by the limits stage; every answer carries them. */
  rateLimitHeaders?: Record<string, string>;
  readonly abort: AbortController;
}
