import type { DbHandle } from "../store/db.ts";
import { listOAuthClients } from "../store/oauth-clients.ts";
import { listProxies } from "../store/proxies.ts";
import { listVirtualKeys } from "../store/virtual-keys.ts";
import { EACH_SUBJECT, type LimitDefinition } from "./types.ts";

/** Subjects that exist besides the stored ones (what a config file is about to create). */
export interface PendingSubjects {
  proxies?: readonly string[];
  virtualKeys?: readonly string[];
  oauthClients?: readonly string[];
}

/**
 * The index and message of the first limit whose subject names a proxy, virtual key (by name or
 * id) or OAuth client that does not exist: a misspelt subject would leave a limit that never
 * applies. Users and external agents are whatever requests say, so any id goes for them.
 */
export async function unknownLimitSubject(store: DbHandle, limits: readonly LimitDefinition[], pending: PendingSubjects = {}): Promise<{ index: number; message: string } | undefined> {
  const named = limits.filter((l) => l.subject !== EACH_SUBJECT);
  if (named.length === 0) return undefined;
  const want = (scope: string) => named.some((l) => l.scope === scope);
  const proxies = new Set(pending.proxies);
  const keys = new Set(pending.virtualKeys);
  const clients = new Set(pending.oauthClients);
  proxies.add("default");
  if (want("proxy")) for (const p of await listProxies(store)) proxies.add(p.id);
  if (want("virtualKey")) for (const k of await listVirtualKeys(store)) keys.add(k.name).add(k.id);
  if (want("oauthClient")) for (const c of await listOAuthClients(store)) clients.add(c.clientId);
  for (const [index, l] of limits.entries()) {
    if (l.subject === EACH_SUBJECT) continue;
    if (l.scope === "proxy" && !proxies.has(l.subject)) return { index, message: `unknown proxy '${l.subject}'` };
    if (l.scope === "virtualKey" && !keys.has(l.subject)) return { index, message: `unknown virtual key '${l.subject}' (name or id)` };
    if (l.scope === "oauthClient" && !clients.has(l.subject)) return { index, message: `unknown OAuth client '${l.subject}'` };
  }
  return undefined;
}
