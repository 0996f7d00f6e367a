import { vertexCredentialFromEnv } from "./gemini-env-credentials.ts";
import { joinUrl, type PrepareCall, type ProviderDefinition, type UpstreamRequest } from "../provider.ts";
import { generateRequest, parseGeminiModels, versioned } from "./gemini-provider.ts";
import { parseServiceAccount, vertexAccessToken } from "./vertex-access-token.ts";

/**
 * Gemini on Vertex AI: same wire format, other URLs and auth. Credential options: `project`
 * (default: the service account's project_id), `location` (default `global`, the endpoint every
 * current Gemini model is served from; `us`/`eu` are multi-regional endpoints), `tokenUri` (a
 * token endpoint other than the key's own, for tests). The credential's apiKey is either a Vertex
 * API key (express mode, `x-goog-api-key`) or a service account JSON key, exchanged for an
 * OAuth2 access token. Without a project (express mode) the project-less publisher path is used.
 */
export const vertexProvider: ProviderDefinition = {
  id: "vertex",
  formats: ["gemini"],
  // The default host depends on the location: see baseUrl().
  envPrefix: "VERTEX",
  credentialFromEnv: ({ env, readFile }) => vertexCredentialFromEnv(env, readFile),
  requiresKey: true,
  framing: () => "sse",
  async prepare(call: PrepareCall): Promise<UpstreamRequest> {
    const options = call.credential.options ?? {};
    const account = parseServiceAccount(call.credential.apiKey);
    const project = options.project ?? account?.project_id;
    const location = options.location ?? "global";
    const root = versioned(call.credential.baseUrl ?? vertexBaseUrl(location), "v1");
    const headers: Record<string, string> = {};
    if (account) headers.authorization = `Bearer ${await vertexAccessToken(account, options.tokenUri)}`;
    else if (call.credential.apiKey) headers["x-goog-api-key"] = call.credential.apiKey;
    if (call.operation === "passthrough") throw new Error("Vertex AI has no passthrough route: use the model router (vertex:<model>)");
    if (call.operation === "models") {
      // Base models are listed without a project (Vertex rejects the prefix there), on v1beta1 only.
      const listRoot = call.credential.baseUrl ? root.replace(/\/v1$/, "/v1beta1") : versioned(vertexBaseUrl(location), "v1beta1");
      return { url: joinUrl(listRoot, "/publishers/google/models?pageSize=1000"), method: "GET", headers: { ...headers, accept: "application/json" } };
    }
    return generateRequest(joinUrl(root, `/${vertexModelPath(call.model, project, location)}`), call, headers);
  },
  parseModels: parseGeminiModels,
};

export function vertexBaseUrl(location: string): string {
  if (location === "global") return "https://aiplatform.googleapis.com";
  if (location === "us" || location === "eu") return `https://aiplatform.${location}.rep.googleapis.com`;
  return `https://${location}-aiplatform.googleapis.com`;
}

/** A model id, a `publishers/…/models/…` name or a full `projects/…` resource (tuned endpoints) -> its resource path. */
export function vertexModelPath(model: string, project: string | undefined, location: string): string {
  if (model.startsWith("projects/")) return model;
  const resource = model.includes("/") ? model : `publishers/google/models/${model}`;
  return project ? `projects/${project}/locations/${location}/${resource}` : resource;
}
