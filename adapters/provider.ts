import type { Readable } from "node:stream";
import type { JsonObject, WireFormat } from "../src/canonical/extras.ts";

/** A provider credential as the adapters receive it: already decrypted, never logged. */
export interface ProviderCredential {
  id: string;
  provider: string;
  apiKey?: string;
  /** Overrides the provider's default base URL (Azure, vLLM, Ollama, self-hosted, tests). */
  baseUrl?: string;
  /** Provider-specific settings: AWS region and keys, Vertex project and location, … */
  options?: Record<string, string>;
  /** Models this credential may reach; listed by GET /models. */
  models?: string[];
}

/** What the environment can say about a provider's credential (the config adds id and provider). */
export type EnvCredentialFields = Pick<ProviderCredential, "apiKey" | "baseUrl" | "options">;

export interface EnvAccess {
  env: Record<string, string | undefined>;
  /** Reads a file named by an env var (a service-account key), at start-up. */
  readFile(path: string): string;
}

/** The HTTP request an adapter wants sent upstream. */
export interface UpstreamRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  /** A body the proxy does not inspect (a file upload) may stream through. */
  body?: string | Uint8Array | Readable;
}

/**
 * The operations the router and passthrough routes call on a provider: `generate`/`stream`/
 * `models` are built by the provider from the canonical call; `passthrough` sends the client's
 * own method, path and headers to the provider's API root, adding only the credential.
 */
export type Operation = "generate" | "stream" | "models" | "passthrough";

/** What a passthrough client asked for, its credentials and our own headers already removed. */
export interface PassthroughCall {
  method: string;
  /** Path below the provider's API root, query included (`/chat/completions`, `/v1/messages?beta=true`). */
  path: string;
  headers: Record<string, string>;
}

export interface PrepareCall {
  operation: Operation;
  format: WireFormat;
  /** Upstream model id (without the router's provider prefix). */
  model: string;
  /** Encoded request body (absent for GET operations). */
  body?: UpstreamRequest["body"];
  credential: ProviderCredential;
  /** Set for the `passthrough` operation. */
  passthrough?: PassthroughCall;
}

/** How a native stream is framed on the wire (Gemini without `alt=sse` streams a JSON array). */
export type StreamFraming = "sse" | "aws-eventstream" | "json-array";

export interface ProviderDefinition {
  /** The router prefix: `openai`, `groq`, `anthropic`, … */
  id: string;
  /** Wire formats the provider speaks natively, the preferred first. */
  formats: WireFormat[];
  defaultBaseUrl?: string;
  /** Env vars that configure it: `<PREFIX>_API_KEY`, `<PREFIX>_BASE_URL`. */
  envPrefix: string;
  /** Whether an API key is required (vLLM and Ollama run without one). */
  requiresKey: boolean;
  framing(format: WireFormat): StreamFraming;
  /**
   * OpenAI-wire providers that report stream usage only when asked with
   * `stream_options.include_usage` (the proxy always asks, to log tokens, and hides the usage
   * chunk from clients that did not ask). Providers that reject unknown fields (Mistral) or
   * always send usage leave it unset.
   */
  streamUsageOption?: boolean;
  /** Options for the codec's `encodeRequest` (e.g. Chat's `maxTokensField`, `reasoningReplay`). */
  requestOptions?: JsonObject;
  /**
   * Refuses assistant-message fields other providers add (`reasoning_content`,
   * `reasoning_details`): a Chat client replaying one of our answers must not get a 400.
   */
  strictMessages?: boolean;
  prepare(call: PrepareCall): UpstreamRequest | Promise<UpstreamRequest>;
  /**
   * The credential the environment defines, when a provider reads more than
   * `<PREFIX>_API_KEY` / `<PREFIX>_BASE_URL` (AWS keys, GOOGLE_API_KEY, a service-account file).
   */
  credentialFromEnv?(access: EnvAccess): EnvCredentialFields | undefined;
  /** Extracts model ids from the provider's model listing response. */
  parseModels?(body: unknown): string[];
}

/**
 * A passthrough request to `base` + the client's path, with the client's headers and the given
 * credential headers (which win). Providers call it for the `passthrough` operation.
 */
export function passthroughRequest(base: string, call: PrepareCall, auth: Record<string, string>): UpstreamRequest {
  const p = call.passthrough;
  if (!p) throw new Error("passthroughRequest needs call.passthrough");
  return { url: joinUrl(base, p.path), method: p.method, headers: { ...p.headers, ...auth }, body: call.body };
}

/** Joins a base URL and a path without doubling or dropping the slash. */
export function joinUrl(base: string, path: string): string {
  if (base.endsWith("/")) base = base.slice(0, -1);
  return path.startsWith("/") ? base + path : `${base}/${path}`;
}
