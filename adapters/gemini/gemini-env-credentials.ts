import type { EnvCredentialFields } from "../provider.ts";

type Env = Record<string, string | undefined>;

/**
 * Gemini API from env: GEMINI_API_KEY, else GOOGLE_API_KEY (the name Google's SDKs read first —
 * users switching from them have that one set); GEMINI_BASE_URL.
 */
export function geminiCredentialFromEnv(env: Env): EnvCredentialFields | undefined {
  const apiKey = env.GEMINI_API_KEY || env.GOOGLE_API_KEY || undefined;
  if (!apiKey) return undefined;
  return { apiKey, ...(env.GEMINI_BASE_URL && { baseUrl: env.GEMINI_BASE_URL }) };
}

/**
 * Vertex AI from env: VERTEX_API_KEY (an express-mode API key or a service account JSON key),
 * else the service account file named by GOOGLE_APPLICATION_CREDENTIALS (read with `readFile`,
 * at startup); project from VERTEX_PROJECT or GOOGLE_CLOUD_PROJECT, location from
 * VERTEX_LOCATION or GOOGLE_CLOUD_LOCATION (the @google/genai SDK's names); VERTEX_BASE_URL.
 */
export function vertexCredentialFromEnv(env: Env, readFile?: (path: string) => string): EnvCredentialFields | undefined {
  let apiKey = env.VERTEX_API_KEY || undefined;
  if (!apiKey && env.GOOGLE_APPLICATION_CREDENTIALS && readFile) apiKey = readFile(env.GOOGLE_APPLICATION_CREDENTIALS);
  if (!apiKey) return undefined;
  const options: Record<string, string> = {};
  const project = env.VERTEX_PROJECT || env.GOOGLE_CLOUD_PROJECT;
  const location = env.VERTEX_LOCATION || env.GOOGLE_CLOUD_LOCATION;
  if (project) options.project = project;
  if (location) options.location = location;
  return { apiKey, ...(env.VERTEX_BASE_URL && { baseUrl: env.VERTEX_BASE_URL }), ...(Object.keys(options).length > 0 && { options }) };
}
