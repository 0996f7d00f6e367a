import type { WireFormat } from "../../src/canonical/extras.ts";
import { joinUrl, passthroughRequest, type PrepareCall, type ProviderDefinition, type UpstreamRequest } from "../provider.ts";
import { mergeBetas } from "./anthropic-betas.ts";

export const ANTHROPIC_BASE_URL = "https://api.anthropic.com";
/** The version the Messages API semantics here are written against (sampling parameters included). */
export const ANTHROPIC_VERSION = "2023-06-01";

/**
 * The Anthropic provider. Credential options: `anthropicVersion` (forces a version),
 * `anthropicBeta` (comma-separated betas added to every call), `authHeader: "bearer"` for
 * Anthropic-compatible servers that want `Authorization: Bearer` instead of `x-api-key`.
 * The base URL may be given with or without its `/v1` (both spellings are common).
 *
 * Betas: requests translated from another format use only generally available features
 * (structured outputs are `output_config.format`, no beta), so they need none. A native client's
 * body may use beta features, and its betas also switch on behaviour no body shows
 * (interleaved thinking, 1M context, …): its own `anthropic-beta` and `anthropic-version` headers
 * are what count, passed on as `clientHeaders` (scanning the body for them would cost ~0.1 ms on
 * a Claude Code request and still miss most).
 */
function apiBase(base: string): string {
  const trimmed = base.endsWith("/") ? base.slice(0, -1) : base;
  return trimmed.endsWith("/v1") ? trimmed.slice(0, -3) : trimmed;
}

export const anthropicProvider: ProviderDefinition = {
  id: "anthropic",
  formats: ["anthropic"],
  defaultBaseUrl: ANTHROPIC_BASE_URL,
  envPrefix: "ANTHROPIC",
  requiresKey: true,
  framing: (_format: WireFormat) => "sse",
  prepare(call: PrepareCall): UpstreamRequest {
    const { credential } = call;
    const options = credential.options ?? {};
    const base = apiBase(credential.baseUrl ?? ANTHROPIC_BASE_URL);
    const client = call.passthrough?.headers;
    const headers: Record<string, string> = {
      "anthropic-version": options.anthropicVersion ?? client?.["anthropic-version"] ?? ANTHROPIC_VERSION,
      accept: call.operation === "stream" ? "text/event-stream" : "application/json",
    };
    if (credential.apiKey) {
      if (options.authHeader === "bearer") headers.authorization = `Bearer ${credential.apiKey}`;
      else headers["x-api-key"] = credential.apiKey;
    }
    const betas = mergeBetas(client?.["anthropic-beta"], options.anthropicBeta);
    if (betas) headers["anthropic-beta"] = betas;
    if (call.operation === "passthrough") {
      // The client's own anthropic-version and betas travel with its headers; ours only add to them.
      const { accept: _accept, ...auth } = headers;
      if (!options.anthropicVersion) delete auth["anthropic-version"];
      if (!options.anthropicBeta) delete auth["anthropic-beta"];
      return passthroughRequest(base, call, auth);
    }
    if (call.operation === "models") return { url: joinUrl(base, "/v1/models?limit=1000"), method: "GET", headers };
    headers["content-type"] = "application/json";
    return { url: joinUrl(base, "/v1/messages"), method: "POST", headers, body: call.body };
  },
  parseModels(body: unknown): string[] {
    const data = (body as { data?: Array<{ id?: unknown }> } | undefined)?.data;
    return Array.isArray(data) ? data.flatMap((m) => (typeof m?.id === "string" ? [m.id] : [])) : [];
  },
};
