import { joinUrl, passthroughRequest, type PrepareCall, type ProviderDefinition, type UpstreamRequest } from "../provider.ts";
import type { CohereModelList } from "./cohere-api-types.ts";
import { isObject } from "./cohere-extras.ts";

export const COHERE_BASE_URL = "https://api.cohere.com";

/** Chat models only, in one page (the API's maximum page size). */
const MODELS_PATH = "/v1/models?endpoint=chat&page_size=1000";

/**
 * Cohere (https://docs.cohere.com/reference/chat): Bearer auth; `POST /v2/chat` for both
 * operations (`stream: true` in the body makes it SSE); chat models from `GET /v1/models`.
 * `COHERE_API_KEY` / `COHERE_BASE_URL` configure it; Cohere's own SDKs read `CO_API_KEY`.
 */
export const cohereProvider: ProviderDefinition = {
  id: "cohere",
  formats: ["cohere"],
  defaultBaseUrl: COHERE_BASE_URL,
  envPrefix: "COHERE",
  // Cohere's own SDKs read CO_API_KEY: accept it too.
  credentialFromEnv: ({ env }) => {
    const apiKey = env.COHERE_API_KEY || env.CO_API_KEY;
    return apiKey ? { apiKey, ...(env.COHERE_BASE_URL && { baseUrl: env.COHERE_BASE_URL }) } : undefined;
  },
  requiresKey: true,
  framing: () => "sse",
  prepare(call: PrepareCall): UpstreamRequest {
    const base = call.credential.baseUrl ?? COHERE_BASE_URL;
    const headers: Record<string, string> = { accept: call.operation === "stream" ? "text/event-stream" : "application/json" };
    if (call.credential.apiKey) headers.authorization = `Bearer ${call.credential.apiKey}`;
    if (call.operation === "passthrough") return passthroughRequest(base, call, call.credential.apiKey ? { authorization: `Bearer ${call.credential.apiKey}` } : {});
    if (call.operation === "models") return { url: joinUrl(base, MODELS_PATH), method: "GET", headers };
    if (call.format !== "cohere") throw new Error(`provider cohere does not speak ${call.format}`);
    headers["content-type"] = "application/json";
    return { url: joinUrl(base, "/v2/chat"), method: "POST", headers, body: call.body };
  },
  parseModels(body: unknown): string[] {
    const models = isObject(body) ? (body as CohereModelList).models : undefined;
    return Array.isArray(models) ? models.flatMap((m) => (isObject(m) && typeof m.name === "string" ? [m.name] : [])) : [];
  },
};
