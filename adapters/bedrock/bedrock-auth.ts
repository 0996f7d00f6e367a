import type { ProviderCredential } from "../provider.ts";
import type { AwsCredentials } from "./aws-sigv4.ts";

/**
 * How a Bedrock credential authenticates:
 * - a Bedrock API key (`apiKey`, no `accessKeyId` option): `Authorization: Bearer <key>`;
 * - AWS credentials: options `accessKeyId`, `secretAccessKey` (or the secret in `apiKey`, so it is
 *   stored encrypted like every other provider secret), optional `sessionToken`: SigV4-signed,
 *   service `bedrock`.
 * The region: option `region`, else the one in a regional base URL, else us-east-1.
 */
export type BedrockAuth = { kind: "bearer"; token: string } | { kind: "sigv4"; credentials: AwsCredentials } | { kind: "none" };

export const DEFAULT_REGION = "us-east-1";

export function bedrockAuth(credential: ProviderCredential): BedrockAuth {
  const o = credential.options ?? {};
  if (o.accessKeyId) {
    const secretAccessKey = o.secretAccessKey ?? credential.apiKey;
    if (!secretAccessKey) throw new Error(`Bedrock credential ${credential.id} has an accessKeyId but no secret access key (options.secretAccessKey or apiKey)`);
    return { kind: "sigv4", credentials: { accessKeyId: o.accessKeyId, secretAccessKey, ...(o.sessionToken && { sessionToken: o.sessionToken }) } };
  }
  if (credential.apiKey) return { kind: "bearer", token: credential.apiKey };
  return { kind: "none" };
}

/** `https://bedrock-runtime.eu-west-1.amazonaws.com` → `eu-west-1` (FIPS and .cn endpoints too). */
export function regionFromUrl(url: string | undefined): string | undefined {
  if (!url) return undefined;
  return url.match(/^https?:\/\/bedrock(?:-runtime)?(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?(?:[/:]|$)/)?.[1];
}

export function bedrockRegion(credential: ProviderCredential): string {
  return credential.options?.region || regionFromUrl(credential.baseUrl) || DEFAULT_REGION;
}

/**
 * The credential settings the AWS standard environment gives, for the config loader:
 * `AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY` / `AWS_SESSION_TOKEN` → options, `AWS_REGION`
 * (or `AWS_DEFAULT_REGION`) → options.region, and a Bedrock API key from `BEDROCK_API_KEY` or
 * AWS's own `AWS_BEARER_TOKEN_BEDROCK`. An API key wins over access keys when both are set,
 * as in the AWS SDK. Returns undefined when the environment configures no Bedrock access.
 */
export function bedrockCredentialFromEnv(env: Record<string, string | undefined>): Pick<ProviderCredential, "apiKey" | "baseUrl" | "options"> | undefined {
  const options: Record<string, string> = {};
  const region = env.AWS_REGION || env.AWS_DEFAULT_REGION;
  if (region) options.region = region;
  const apiKey = env.BEDROCK_API_KEY || env.AWS_BEARER_TOKEN_BEDROCK;
  const baseUrl = env.BEDROCK_BASE_URL || undefined;
  if (apiKey) return { apiKey, options, ...(baseUrl && { baseUrl }) };
  if (env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) {
    // The secret goes where secrets are kept (apiKey: encrypted at rest, never shown).
    options.accessKeyId = env.AWS_ACCESS_KEY_ID;
    if (env.AWS_SESSION_TOKEN) options.sessionToken = env.AWS_SESSION_TOKEN;
    return { apiKey: env.AWS_SECRET_ACCESS_KEY, options, ...(baseUrl && { baseUrl }) };
  }
  return undefined;
}
