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
  method: "GET" | "POST";
  headers: Record<string, string>;
  body?: string | Uint8Array;
}

/** The operations the router and passthrough routes call on a provider. */
export type Operation = "generate" | "stream" | "models";

export interface PrepareCall {
  operation: Operation;
  format: WireFormat;
  /** Upstream model id (without the router's provider prefix). */
  model: string;
  /** Encoded request body (absent for GET operations). */
  body?: string;
  credential: ProviderCredential;
}

/** How a native stream is framed on the wire. */
export type StreamFraming = "sse" | "aws-eventstream";

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

/** Joins a base URL and a path without doubling or dropping the slash. */
export function joinUrl(base: string, path: string): string {
  if (base.endsWith("/")) base = base.slice(0, -1);
  return path.startsWith("/") ? base + path : `${base}/${path}`;
}
