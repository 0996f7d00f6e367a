import { retiredKeyLifetime } from "../auth/signing-keys.ts";
import type { Store } from "../store/db.ts";
import { upsertIdentityProvider } from "../store/identity-providers.ts";
import { createOAuthClient, listOAuthClients, updateOAuthClientFromConfig } from "../store/oauth-clients.ts";
import { ensureSigningKey } from "../store/signing-keys.ts";
import { listCredentials, upsertCredential } from "../store/credentials.ts";
import { syncConfigLimits } from "../store/limits.ts";
import { syncConfigPolicies } from "../store/policies.ts";
import { unknownLimitSubject } from "../limits/check-limit-subjects.ts";
import { bumpCatalogVersion } from "../store/meta.ts";
import { DEFAULT_PROXY_ID, getProxy, listProxies, upsertProxy } from "../store/proxies.ts";
import type { SecretBox } from "../store/secret-box.ts";
import type { NewCredential } from "../store/types.ts";
import { countVirtualKeys, createVirtualKey, getVirtualKeyByName, updateVirtualKeyByName } from "../store/virtual-keys.ts";
import type { LoadedConfig } from "./load-config.ts";

export const DEFAULT_VIRTUAL_KEY_NAME = "default";

export interface ApplyResult {
  /** Lines to print once (generated keys): they are never shown again. */
  printOnce: string[];
}

/**
 * Makes the store hold what the config says, idempotently: applying the same config twice
 * changes nothing the second time (no writes, no catalog bump, nothing to print). Entities the
 * config names are set as written; others (made through the admin API) are left alone.
 */
export async function applyConfig(store: Store, box: SecretBox, config: LoadedConfig): Promise<ApplyResult> {
  await checkReferences(store, config);
  let changed = false;
  const note = (result: "created" | "updated" | "unchanged" | "missing") => {
    if (result === "created" || result === "updated") changed = true;
  };

  for (const { source: _source, ...credential } of config.credentials) note(await upsertCredential(store, box, credential satisfies NewCredential));

  for (const proxy of config.proxies) if (proxy.id !== DEFAULT_PROXY_ID) note(await upsertProxy(store, proxy));
  // The default proxy always exists; env credentials serve it for providers it maps to nothing.
  const declared = config.proxies.find((p) => p.id === DEFAULT_PROXY_ID);
  const base = declared ?? (await getProxy(store, DEFAULT_PROXY_ID)) ?? { name: "Default", credentials: {} };
  const envMapping: Record<string, string> = {};
  for (const c of config.credentials) if (c.source === "env") envMapping[c.provider] = c.id;
  note(await upsertProxy(store, { id: DEFAULT_PROXY_ID, name: base.name, credentials: { ...envMapping, ...base.credentials } }));

  const printOnce: string[] = [];
  for (const [i, key] of config.virtualKeys.entries()) {
    const updated = await updateVirtualKeyByName(store, key);
    if (updated !== "missing") {
      note(updated);
      continue;
    }
    const created = await createVirtualKey(store, key);
    if (created) {
      changed = true;
      if (created.generated) printOnce.push(keyLine(key.name, created.plaintext));
    } else if (!(await getVirtualKeyByName(store, key.name))) {
      // Not a concurrent start creating the same name: the key itself belongs to another entry.
      throw new Error(`Invalid ${where(config)}: virtualKeys[${i}].key: this key is already used by another virtual key`);
    }
  }

  for (const client of config.oauthClients) {
    const updated = await updateOAuthClientFromConfig(store, client);
    if (updated !== "missing") {
      note(updated);
      continue;
    }
    const created = await createOAuthClient(store, client);
    if (created) {
      changed = true;
      if (created.generated) printOnce.push(`OAuth client '${client.clientId}' secret (shown once, store it now): ${created.secret}`);
    }
  }
  for (const idp of config.identityProviders) note(await upsertIdentityProvider(store, idp));
  if (await syncConfigLimits(store, config.limits ?? [])) changed = true;
  if (await syncConfigPolicies(store, config.policies ?? [])) changed = true;
  // The proxy's own token signing key: made on the first start, rotated when the algorithm changes.
  const clientTtls = (await listOAuthClients(store)).map((c) => c.tokenTtlSeconds);
  const retiredValid = retiredKeyLifetime(config.auth.accessTokenTtlSeconds, clientTtls);
  if (await ensureSigningKey(store, box, config.auth.signingAlgorithm, retiredValid)) changed = true;

  if ((await countVirtualKeys(store)) === 0) {
    const created = await createVirtualKey(store, { name: DEFAULT_VIRTUAL_KEY_NAME, proxies: [DEFAULT_PROXY_ID], credentials: {} });
    if (created) {
      changed = true;
      printOnce.push(keyLine(DEFAULT_VIRTUAL_KEY_NAME, created.plaintext));
    }
  }

  if (changed) await bumpCatalogVersion(store);
  return { printOnce };
}

function keyLine(name: string, plaintext: string): string {
  return `Virtual key '${name}' (shown once, store it now): ${plaintext}`;
}

const where = (config: LoadedConfig) => (config.file ? `config file ${config.file}` : "configuration");

/**
 * Every id the config refers to exists (in the config or already in the store) and every
 * mapping pairs a provider with a credential of that provider. Checked before any write, so a
 * bad config changes nothing.
 */
async function checkReferences(store: Store, config: LoadedConfig): Promise<void> {
  const credentialProvider = new Map((await listCredentials(store)).map((c) => [c.id, c.provider]));
  for (const c of config.credentials) credentialProvider.set(c.id, c.provider);
  const proxyIds = new Set((await listProxies(store)).map((p) => p.id));
  proxyIds.add(DEFAULT_PROXY_ID);
  for (const p of config.proxies) proxyIds.add(p.id);

  const fail = (path: string, message: string): never => {
    throw new Error(`Invalid ${where(config)}: ${path}: ${message}`);
  };
  const checkMapping = (path: string, mapping: Record<string, string> | undefined) => {
    for (const [provider, id] of Object.entries(mapping ?? {})) {
      const actual = credentialProvider.get(id);
      if (actual === undefined) fail(`${path}.${provider}`, `unknown credential '${id}'`);
      if (actual !== provider) fail(`${path}.${provider}`, `credential '${id}' is for provider '${actual}', not '${provider}'`);
    }
  };
  config.proxies.forEach((p, i) => checkMapping(`proxies[${i}].credentials`, p.credentials));
  const keys = new Map<string, number>();
  config.virtualKeys.forEach((k, i) => {
    k.proxies.forEach((id, j) => {
      if (!proxyIds.has(id)) fail(`virtualKeys[${i}].proxies[${j}]`, `unknown proxy '${id}'`);
    });
    checkMapping(`virtualKeys[${i}].credentials`, k.credentials);
    if (k.key !== undefined) {
      const first = keys.get(k.key);
      if (first !== undefined) fail(`virtualKeys[${i}].key`, `the same key as virtualKeys[${first}]`);
      keys.set(k.key, i);
    }
  });
  config.oauthClients.forEach((c, i) => {
    c.proxies.forEach((id, j) => {
      if (!proxyIds.has(id)) fail(`oauthClients[${i}].proxies[${j}]`, `unknown proxy '${id}'`);
    });
    checkMapping(`oauthClients[${i}].credentials`, c.credentials);
  });
  config.identityProviders.forEach((idp, i) => {
    idp.proxies.forEach((id, j) => {
      if (!proxyIds.has(id)) fail(`identityProviders[${i}].proxies[${j}]`, `unknown proxy '${id}'`);
    });
  });
  config.policies?.forEach((p, i) => {
    if (!proxyIds.has(p.proxyId)) fail(`policies[${i}].proxy`, `unknown proxy '${p.proxyId}'`);
  });
  const pending = { proxies: [...proxyIds], virtualKeys: config.virtualKeys.map((k) => k.name), oauthClients: config.oauthClients.map((c) => c.clientId) };
  const unknown = await unknownLimitSubject(store, config.limits ?? [], pending);
  if (unknown) fail(`limits[${unknown.index}].subject`, unknown.message);
}
