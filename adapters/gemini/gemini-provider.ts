import { geminiCredentialFromEnv } from "./gemini-env-credentials.ts";
import { joinUrl, passthroughRequest, type PrepareCall, type ProviderDefinition, type UpstreamRequest } from "../provider.ts";

/**
 * The Gemini API (generativelanguage.googleapis.com). The key goes in `x-goog-api-key` (the
 * header Google's SDKs use; it keeps the key out of URLs and logs). Configured by GEMINI_API_KEY
 * and GEMINI_BASE_URL; GOOGLE_API_KEY is what Google's SDKs read first, and the lead's env loader
 * is asked to accept it as a fallback (see the report). A base URL may carry its own version
 * segment (`https://proxy.example.com/v1beta`); otherwise `v1beta` is used, the version that
 * has every current feature (thinking, thought signatures, JSON Schema fields).
 */
const DEFAULT_BASE = "https://generativelanguage.googleapis.com";

export const geminiProvider: ProviderDefinition = {
  id: "gemini",
  formats: ["gemini"],
  defaultBaseUrl: DEFAULT_BASE,
  envPrefix: "GEMINI",
  credentialFromEnv: ({ env }) => geminiCredentialFromEnv(env),
  requiresKey: true,
  framing: () => "sse",
  prepare(call: PrepareCall): UpstreamRequest {
    const root = versioned(call.credential.baseUrl ?? DEFAULT_BASE, "v1beta");
    const headers: Record<string, string> = {};
    if (call.credential.apiKey) headers["x-goog-api-key"] = call.credential.apiKey;
    // A passthrough client's path names its own API version (`/v1beta/models/…`).
    if (call.operation === "passthrough") return passthroughRequest(unversioned(call.credential.baseUrl ?? DEFAULT_BASE), call, headers);
    if (call.operation === "models") return { url: joinUrl(root, "/models?pageSize=1000"), method: "GET", headers: { ...headers, accept: "application/json" } };
    // Tuned models are addressed as `tunedModels/…`; base models by bare id (or `models/…`).
    const resource = call.model.includes("/") ? call.model : `models/${call.model}`;
    return generateRequest(joinUrl(root, `/${resource}`), call, headers);
  },
  parseModels: parseGeminiModels,
};

/** `…/models/{model}` + the method for the operation, as a JSON POST. */
export function generateRequest(modelUrl: string, call: PrepareCall, headers: Record<string, string>): UpstreamRequest {
  const stream = call.operation === "stream";
  return {
    url: stream ? `${modelUrl}:streamGenerateContent?alt=sse` : `${modelUrl}:generateContent`,
    method: "POST",
    headers: { ...headers, "content-type": "application/json", accept: stream ? "text/event-stream" : "application/json" },
    body: call.body,
  };
}

/** The base URL without a trailing API version segment. */
export function unversioned(base: string): string {
  const trimmed = base.endsWith("/") ? base.slice(0, -1) : base;
  return trimmed.replace(/\/v\d+(?:alpha|beta)?\d*$/, "");
}

/** The base URL with an API version segment: its own when it ends in one, else `version`. */
export function versioned(base: string, version: string): string {
  const trimmed = base.endsWith("/") ? base.slice(0, -1) : base;
  return /\/v\d+(?:alpha|beta)?\d*$/.test(trimmed) ? trimmed : `${trimmed}/${version}`;
}

/** Model ids from a Gemini (`models`) or Vertex (`publisherModels`) listing, resource prefixes removed. */
export function parseGeminiModels(body: unknown): string[] {
  const b = body as { models?: unknown; publisherModels?: unknown } | undefined;
  const list = Array.isArray(b?.models) ? b.models : Array.isArray(b?.publisherModels) ? b.publisherModels : [];
  const out: string[] = [];
  for (const m of list as Array<{ name?: unknown }>) {
    if (typeof m?.name !== "string") continue;
    const at = m.name.lastIndexOf("models/");
    out.push(at === -1 ? m.name : m.name.slice(at + 7));
  }
  return out;
}
