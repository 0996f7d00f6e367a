import { joinUrl, passthroughRequest, type PrepareCall, type ProviderDefinition, type UpstreamRequest } from "../provider.ts";
import { signAwsRequest } from "./aws-sigv4.ts";
import { bedrockAuth, bedrockCredentialFromEnv, bedrockRegion, regionFromUrl } from "./bedrock-auth.ts";

/** `{region}` is filled from the credential (see bedrock-auth). */
export const BEDROCK_DEFAULT_BASE_URL = "https://bedrock-runtime.{region}.amazonaws.com";

/** Model ids go in the path as one segment: `…-v1:0` → `…-v1%3A0`, an ARN's `/` → `%2F` (as the AWS SDK sends them). */
export function bedrockModelPath(model: string, operation: "generate" | "stream"): string {
  return `/model/${encodeURIComponent(model)}/${operation === "stream" ? "converse-stream" : "converse"}`;
}

/**
 * The model listing lives on Bedrock's control plane (`bedrock.<region>.amazonaws.com`, not the
 * runtime host); a credential with a custom base URL (a gateway, a test fake) is asked there, and
 * `options.controlPlaneUrl` overrides both. Credentials that list their `models` are not asked.
 */
function modelsUrl(call: PrepareCall, region: string): string {
  const o = call.credential.options ?? {};
  const base = o.controlPlaneUrl || (call.credential.baseUrl && !regionFromUrl(call.credential.baseUrl) ? call.credential.baseUrl : `https://bedrock.${region}.amazonaws.com`);
  return joinUrl(base, "/foundation-models?byOutputModality=TEXT");
}

/**
 * Amazon Bedrock (Converse / ConverseStream). Env: `BEDROCK_API_KEY`, `BEDROCK_BASE_URL`, and the
 * AWS standard variables through `bedrockCredentialFromEnv`. `requiresKey` is false because AWS
 * access keys come as options; a credential with neither is refused when a call is prepared.
 */
export const bedrockProvider: ProviderDefinition = {
  id: "bedrock",
  formats: ["bedrock"],
  defaultBaseUrl: BEDROCK_DEFAULT_BASE_URL,
  envPrefix: "BEDROCK",
  credentialFromEnv: ({ env }) => bedrockCredentialFromEnv(env),
  requiresKey: false,
  framing: () => "aws-eventstream",

  prepare(call: PrepareCall): UpstreamRequest {
    const region = bedrockRegion(call.credential);
    const auth = bedrockAuth(call.credential);
    // A passthrough client may bring its own Bedrock API key, forwarded in its own headers.
    if (auth.kind === "none" && call.operation !== "passthrough") {
      throw new Error(`Bedrock credential ${call.credential.id} has neither an API key nor AWS access keys (options.accessKeyId + secret)`);
    }
    const body = call.body;
    if (body !== undefined && typeof body !== "string" && !(body instanceof Uint8Array)) {
      throw new Error("a Bedrock request body must be buffered: SigV4 signs its hash");
    }
    let req: UpstreamRequest;
    if (call.operation === "passthrough") {
      req = passthroughRequest((call.credential.baseUrl ?? BEDROCK_DEFAULT_BASE_URL).replace("{region}", region), call, {});
    } else if (call.operation === "models") {
      req = { url: modelsUrl(call, region), method: "GET", headers: { accept: "application/json" } };
    } else {
      if (call.format !== "bedrock") throw new Error(`provider bedrock does not speak ${call.format}`);
      const base = (call.credential.baseUrl ?? BEDROCK_DEFAULT_BASE_URL).replace("{region}", region);
      req = {
        url: joinUrl(base, bedrockModelPath(call.model, call.operation === "stream" ? "stream" : "generate")),
        method: "POST",
        // What the AWS SDK sends: no accept header, for either operation.
        headers: { "content-type": "application/json" },
        body: body ?? "{}",
      };
    }
    if (auth.kind === "bearer") req.headers.authorization = `Bearer ${auth.token}`;
    else if (auth.kind === "sigv4") Object.assign(req.headers, signAwsRequest({ method: req.method, url: new URL(req.url), headers: req.headers, body, region, service: "bedrock", credentials: auth.credentials }));
    return req;
  },

  parseModels(body: unknown): string[] {
    const list = (body as { modelSummaries?: Array<{ modelId?: unknown }> } | undefined)?.modelSummaries;
    return Array.isArray(list) ? list.flatMap((m) => (typeof m?.modelId === "string" ? [m.modelId] : [])) : [];
  },
};
