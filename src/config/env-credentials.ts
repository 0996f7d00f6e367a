import { readFileSync } from "node:fs";
import type { NewCredential } from "../store/types.ts";
import type { ConfigProvider } from "./known-providers.ts";
import { httpUrl } from "./schema.ts";

export const envCredentialId = (providerId: string) => `env-${providerId}`;

/**
 * Credentials the environment defines: `<PREFIX>_API_KEY` makes `env-<provider>`; so does
 * `<PREFIX>_BASE_URL` alone for a provider that needs no key (vLLM, Ollama), since an address is
 * all it takes to reach one.
 */
export function envCredentials(providers: readonly ConfigProvider[], env: NodeJS.ProcessEnv): NewCredential[] {
  const out: NewCredential[] = [];
  for (const p of providers) {
    if (p.credentialFromEnv) {
      const fields = p.credentialFromEnv({ env, readFile: (path) => readFileSync(path, "utf8") });
      if (fields) {
        if (fields.baseUrl && !httpUrl.safeParse(fields.baseUrl).success) throw new Error(`${p.envPrefix}_BASE_URL: expected an http(s) URL, got '${fields.baseUrl}'`);
        out.push({ id: envCredentialId(p.id), provider: p.id, ...fields });
      }
      continue;
    }
    const apiKey = env[`${p.envPrefix}_API_KEY`] || undefined;
    const baseUrl = envBaseUrl(p, env);
    if (!apiKey && !(baseUrl && !p.requiresKey)) continue;
    const credential: NewCredential = { id: envCredentialId(p.id), provider: p.id };
    if (apiKey) credential.apiKey = apiKey;
    if (baseUrl) credential.baseUrl = baseUrl;
    out.push(credential);
  }
  return out;
}

/** `<PREFIX>_BASE_URL`, checked to be an http(s) URL. */
export function envBaseUrl(p: ConfigProvider, env: NodeJS.ProcessEnv): string | undefined {
  const name = `${p.envPrefix}_BASE_URL`;
  const value = env[name];
  if (!value) return undefined;
  if (!httpUrl.safeParse(value).success) throw new Error(`${name}: expected an http(s) URL, got '${value}'`);
  return value;
}
