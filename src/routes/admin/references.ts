import type { Store } from "../../store/db.ts";
import { listIdentityProviders } from "../../store/identity-providers.ts";
import { listOAuthClients } from "../../store/oauth-clients.ts";
import { listProxies } from "../../store/proxies.ts";
import { listVirtualKeys } from "../../store/virtual-keys.ts";
import { AdminError } from "./shared.ts";

/**
 * Refuses to delete what others still name: a dangling reference would turn into 403s at request
 * time, far from the change that caused them. Revoked keys do not count (they admit nobody).
 */
export async function refuseIfProxyInUse(store: Store, proxyId: string): Promise<void> {
  const [keys, clients, idps] = await Promise.all([listVirtualKeys(store), listOAuthClients(store), listIdentityProviders(store)]);
  const users = [
    ...keys.filter((k) => !k.revokedAt && k.proxies.includes(proxyId)).map((k) => `virtual key '${k.name}'`),
    ...clients.filter((c) => c.proxies.includes(proxyId)).map((c) => `OAuth client '${c.clientId}'`),
    ...idps.filter((i) => i.proxies.includes(proxyId)).map((i) => `identity provider '${i.id}'`),
  ];
  if (users.length > 0) throw inUse("proxy", proxyId, users);
}

/** As refuseIfProxyInUse, for a credential named in mappings; `provider` set: only mappings under another provider. */
export async function refuseIfCredentialInUse(store: Store, credentialId: string, keepProvider?: string): Promise<void> {
  const [proxies, keys, clients] = await Promise.all([listProxies(store), listVirtualKeys(store), listOAuthClients(store)]);
  const names = (mapping: Record<string, string>) => Object.entries(mapping).some(([provider, id]) => id === credentialId && provider !== keepProvider);
  const users = [
    ...proxies.filter((p) => names(p.credentials)).map((p) => `proxy '${p.id}'`),
    ...keys.filter((k) => !k.revokedAt && names(k.credentials)).map((k) => `virtual key '${k.name}'`),
    ...clients.filter((c) => names(c.credentials)).map((c) => `OAuth client '${c.clientId}'`),
  ];
  if (users.length > 0) throw inUse("credential", credentialId, users);
}

function inUse(what: string, id: string, users: string[]): AdminError {
  const shown = users.slice(0, 5).join(", ") + (users.length > 5 ? ` and ${users.length - 5} more` : "");
  return new AdminError(409, `The ${what} '${id}' is still used by ${shown}`, "in_use", "id");
}
