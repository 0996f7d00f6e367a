import type { ProviderDefinition, StreamFraming } from "../../adapters/provider.ts";
import type { WireFormat } from "../canonical/extras.ts";

/** What a native path means: inspected endpoints name their wire format. */
export type Endpoint =
  | { inspected: true; format: WireFormat; framing: StreamFraming; model?: string; stream?: boolean }
  | { inspected: false; format: WireFormat; framing: StreamFraming };

const GEMINI_GENERATE = /^\/(v1(?:alpha|beta)?\d*)\/((?:models|tunedModels)\/[^/:]+):(generateContent|streamGenerateContent)$/;
const BEDROCK_CONVERSE = /^\/model\/([^/]+)\/(converse|converse-stream)$/;

/**
 * Which native endpoint a passthrough path is (`path` below the provider's API root, no query).
 * Unknown endpoints are forwarded uninspected in the provider's first format.
 */
export function classifyEndpoint(provider: ProviderDefinition, method: string, path: string, query: URLSearchParams): Endpoint {
  const first = provider.formats[0];
  const uninspected: Endpoint = { inspected: false, format: first, framing: "sse" };
  if (method !== "POST") return uninspected;
  switch (first) {
    case "openai-chat":
      if (path === "/chat/completions") return { inspected: true, format: "openai-chat", framing: "sse" };
      if (path === "/responses" && provider.formats.includes("openai-responses")) return { inspected: true, format: "openai-responses", framing: "sse" };
      return uninspected;
    case "anthropic":
      return path === "/v1/messages" ? { inspected: true, format: "anthropic", framing: "sse" } : uninspected;
    case "cohere":
      return path === "/v2/chat" ? { inspected: true, format: "cohere", framing: "sse" } : uninspected;
    case "gemini": {
      const m = GEMINI_GENERATE.exec(path);
      if (!m) return uninspected;
      const stream = m[3] === "streamGenerateContent";
      // Without alt=sse the REST API streams one growing JSON array.
      const framing: StreamFraming = stream && query.get("alt") !== "sse" ? "json-array" : "sse";
      return { inspected: true, format: "gemini", framing, model: m[2].startsWith("models/") ? m[2].slice(7) : m[2], stream };
    }
    case "bedrock": {
      const m = BEDROCK_CONVERSE.exec(path);
      if (!m) return { ...uninspected, framing: "aws-eventstream" };
      return { inspected: true, format: "bedrock", framing: "aws-eventstream", model: decodeURIComponent(m[1]), stream: m[2] === "converse-stream" };
    }
    default:
      return uninspected;
  }
}

/** First path segments that are API paths, never proxy ids (`/v1/anthropic/v1/messages`). */
const API_SEGMENTS = new Set(["v1", "v1beta", "v1alpha", "v2", "model", "models", "chat", "responses", "embeddings", "files", "batches", "audio", "images", "moderations", "completions", "uploads", "vector_stores", "assistants", "threads", "fine_tuning", "realtime", "conversations", "containers", "tunedModels"]);

/** `/team-a/chat/completions` -> ["team-a", "/chat/completions"] when team-a is a proxy. */
export function splitProxyId(path: string, isProxy: (id: string) => boolean): [proxyId: string | undefined, rest: string] {
  const slash = path.indexOf("/", 1);
  const seg = decodeURIComponent(slash === -1 ? path.slice(1) : path.slice(1, slash));
  if (seg && !API_SEGMENTS.has(seg) && isProxy(seg)) return [seg, slash === -1 ? "/" : path.slice(slash)];
  return [undefined, path];
}
