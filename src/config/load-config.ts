import { readFile } from "node:fs/promises";
import { parse as parseYaml } from "yaml";
import { resolveObservabilitySettings, type ObservabilitySettings } from "../observability/settings.ts";
import { toLimitDefinition } from "../limits/limit-schema.ts";
import type { LimitDefinition } from "../limits/types.ts";
import { policiesSectionProblem, toConfigPolicySets, type ConfigPolicySet } from "../policies/config-policies.ts";
import { DEFAULT_DATABASE_URL } from "../store/db.ts";
import type { NewCredential, NewVirtualKey } from "../store/types.ts";
import type { NewIdentityProvider } from "../store/identity-providers.ts";
import { configIdentityProviders, configOAuthClients, resolveAuthSettings, type AuthSettings, type ConfigOAuthClient } from "./auth-settings.ts";
import { envBaseUrl, envCredentials } from "./env-credentials.ts";
import { formatIssues } from "./format-issues.ts";
import { interpolateEnv } from "./interpolate.ts";
import { CONFIG_PROVIDERS, type ConfigProvider } from "./known-providers.ts";
import { configFileSchema, type ConfigFile } from "./schema.ts";

export interface ServerSettings {
  port: number;
  host: string;
  maxBodyBytes: number;
}

export interface ConfigCredential extends NewCredential {
  /** `env`: made from `<PREFIX>_API_KEY`; such credentials are mapped into the default proxy. */
  source: "file" | "env";
}

export interface ConfigProxy {
  id: string;
  name: string;
  /** provider -> credential id (env credentials are added to `default`'s when applied). */
  credentials: Record<string, string>;
}

/** The whole configuration, file and environment merged, defaults filled in. */
export interface LoadedConfig {
  /** The file read, if any. */
  file?: string;
  server: ServerSettings;
  database: { url: string };
  credentials: ConfigCredential[];
  proxies: ConfigProxy[];
  virtualKeys: NewVirtualKey[];
  observability: ObservabilitySettings;
  auth: AuthSettings;
  oauthClients: ConfigOAuthClient[];
  identityProviders: NewIdentityProvider[];
  /** Cost, token and request limits (ids derived where the file gives none); absent without a `limits:` section. */
  limits?: LimitDefinition[];
  /** Trusted-data and tool-invocation policies and guardrail settings per proxy (ids derived where the file gives none). */
  policies?: ConfigPolicySet[];
}

export interface LoadConfigOptions {
  argv: readonly string[];
  env: NodeJS.ProcessEnv;
  /** Providers a config may name (the registry's by default). */
  providers?: readonly ConfigProvider[];
}

export const DEFAULTS: ServerSettings = { port: 9000, host: "127.0.0.1", maxBodyBytes: 32 * 1024 * 1024 };

/**
 * Reads the config file (`--config FILE` or `PORTCULLIS_CONFIG`; none is fine), interpolates
 * `${VAR}` references, validates it, and merges the environment over it. Any problem is an Error
 * whose message names the file, the field and the reason.
 */
export async function loadConfig({ argv, env, providers = CONFIG_PROVIDERS }: LoadConfigOptions): Promise<LoadedConfig> {
  const file = configPath(argv) ?? (env.PORTCULLIS_CONFIG || undefined);
  const parsed = file ? await readConfigFile(file, env) : {};
  try {
    return mergeEnv(parsed, env, providers, file);
  } catch (err) {
    throw new Error(`Invalid configuration${file ? ` (${file})` : ""} from the environment: ${(err as Error).message}`);
  }
}

function configPath(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--config") {
      const next = argv[i + 1];
      if (!next || next.startsWith("--")) throw new Error("--config needs a file name");
      return next;
    }
    if (argv[i].startsWith("--config=")) return argv[i].slice("--config=".length);
  }
  return undefined;
}

async function readConfigFile(file: string, env: NodeJS.ProcessEnv): Promise<ConfigFile> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (err) {
    throw new Error(`Cannot read config file ${file}: ${(err as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = parseYaml(text) ?? {};
  } catch (err) {
    throw new Error(`Invalid config file ${file}: not valid YAML: ${(err as Error).message}`);
  }
  if (typeof raw !== "object" || Array.isArray(raw)) throw new Error(`Invalid config file ${file}: expected a mapping of sections at the top level`);
  try {
    raw = interpolateEnv(raw, env);
  } catch (err) {
    throw new Error(`Invalid config file ${file}: ${(err as Error).message}`);
  }
  const result = configFileSchema.safeParse(raw);
  if (!result.success) {
    const lines = formatIssues(result.error.issues);
    throw new Error(`Invalid config file ${file}:${lines.length === 1 ? " " : "\n  "}${lines.join("\n  ")}`);
  }
  const duplicate = findDuplicate(result.data);
  if (duplicate) throw new Error(`Invalid config file ${file}: ${duplicate}`);
  return result.data;
}

function findDuplicate(file: ConfigFile): string | undefined {
  const check = (section: string, values: string[], what: string) => {
    const seen = new Set<string>();
    for (let i = 0; i < values.length; i++) {
      if (seen.has(values[i])) return `${section}[${i}].${what}: duplicate ${what} '${values[i]}'`;
      seen.add(values[i]);
    }
    return undefined;
  };
  return (
    check("credentials", (file.credentials ?? []).map((c) => c.id), "id") ??
    check("proxies", (file.proxies ?? []).map((p) => p.id), "id") ??
    check("virtualKeys", (file.virtualKeys ?? []).map((k) => k.name), "name") ??
    check("oauthClients", (file.oauthClients ?? []).map((c) => c.clientId), "clientId") ??
    check("identityProviders", (file.identityProviders ?? []).map((i) => i.id), "id") ??
    check("limits", (file.limits ?? []).map((l) => toLimitDefinition(l).id), "id") ??
    policiesSectionProblem(file.policies)
  );
}

function mergeEnv(file: ConfigFile, env: NodeJS.ProcessEnv, providers: readonly ConfigProvider[], path: string | undefined): LoadedConfig {
  const server: ServerSettings = {
    port: envInteger(env, env.PORTCULLIS_PORT ? "PORTCULLIS_PORT" : "PORT", 0, 65535) ?? file.server?.port ?? DEFAULTS.port,
    host: env.HOST || file.server?.host || DEFAULTS.host,
    maxBodyBytes: envInteger(env, "PORTCULLIS_MAX_BODY_BYTES", 1, Number.MAX_SAFE_INTEGER) ?? file.server?.maxBodyBytes ?? DEFAULTS.maxBodyBytes,
  };
  const database = { url: env.DATABASE_URL || file.database?.url || DEFAULT_DATABASE_URL };

  const byProvider = new Map(providers.map((p) => [p.id, p]));
  const credentials: ConfigCredential[] = (file.credentials ?? []).map((c) => {
    const credential: ConfigCredential = { ...c, source: "file" };
    // A config credential that names no address takes the environment's, like the env credential.
    const provider = byProvider.get(c.provider);
    if (!credential.baseUrl && provider) {
      const baseUrl = envBaseUrl(provider, env);
      if (baseUrl) credential.baseUrl = baseUrl;
    }
    return credential;
  });
  const fileIds = new Set(credentials.map((c) => c.id));
  for (const c of envCredentials(providers, env)) if (!fileIds.has(c.id)) credentials.push({ ...c, source: "env" });

  const proxies: ConfigProxy[] = (file.proxies ?? []).map((p) => ({ id: p.id, name: p.name ?? p.id, credentials: p.credentials ?? {} }));
  const virtualKeys: NewVirtualKey[] = (file.virtualKeys ?? []).map((k) => {
    const key: NewVirtualKey = { name: k.name, proxies: k.proxies, credentials: k.credentials ?? {} };
    if (k.key) key.key = k.key;
    if (k.expiresAt) key.expiresAt = new Date(k.expiresAt).toISOString();
    return key;
  });
  const observability = resolveObservabilitySettings(file.observability, env);
  const auth = resolveAuthSettings(file, env);
  return {
    file: path,
    server,
    database,
    credentials,
    proxies,
    virtualKeys,
    observability,
    auth,
    oauthClients: configOAuthClients(file),
    identityProviders: configIdentityProviders(file),
    ...(file.limits && { limits: file.limits.map(toLimitDefinition) }),
    ...(file.policies && { policies: toConfigPolicySets(file.policies) }),
  };
}

function envInteger(env: NodeJS.ProcessEnv, name: string, min: number, max: number): number | undefined {
  const text = env[name];
  if (!text) return undefined;
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < min || n > max) throw new Error(`${name}: expected an integer from ${min} to ${max}, got '${text}'`);
  return n;
}
