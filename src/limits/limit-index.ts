import { compileModelFilter, type ModelMatcher } from "./model-filter.ts";
import { EACH_SUBJECT, LIMIT_SCOPES, type LimitDefinition, type LimitScope } from "./types.ts";

export interface ActiveLimit extends LimitDefinition {
  /** The counter's identity: a change of measure or window starts a new count. */
  counterKey: string;
  matches?: ModelMatcher;
}

/** Who a request is, per scope (absent: the request has no such subject). */
export type SubjectIds = { [S in LimitScope]?: string };

export interface AppliedLimit {
  limit: ActiveLimit;
  /** The subject whose counter this request counts on. */
  subject: string;
}

/**
 * The limits in force, indexed so a request finds its own with a few map lookups: by
 * (scope, subject) for limits on one subject, by scope for `*` limits.
 */
export class LimitIndex {
  readonly size: number;
  readonly #one = new Map<string, ActiveLimit[]>();
  readonly #each = new Map<LimitScope, ActiveLimit[]>();
  readonly #scopes: LimitScope[];

  /** `resolve` turns a configured subject into the id requests carry (a virtual key's name into its id). */
  constructor(limits: readonly LimitDefinition[], resolve: (scope: LimitScope, subject: string) => string = (_s, subject) => subject) {
    this.size = limits.length;
    const scopes = new Set<LimitScope>();
    for (const def of limits) {
      const limit: ActiveLimit = { ...def, counterKey: counterKey(def) };
      if (def.model !== undefined) limit.matches = compileModelFilter(def.model);
      scopes.add(def.scope);
      if (def.subject === EACH_SUBJECT) push(this.#each, def.scope, limit);
      else push(this.#one, key(def.scope, resolve(def.scope, def.subject)), limit);
    }
    this.#scopes = LIMIT_SCOPES.filter((s) => scopes.has(s));
  }

  /** The limits that apply to a request of these subjects for this model. */
  applicable(ids: SubjectIds, provider: string, model: string): AppliedLimit[] {
    const out: AppliedLimit[] = [];
    for (const scope of this.#scopes) {
      const subject = ids[scope];
      if (subject === undefined) continue;
      for (const limit of this.#one.get(key(scope, subject)) ?? NONE) if (!limit.matches || limit.matches(provider, model)) out.push({ limit, subject });
      for (const limit of this.#each.get(scope) ?? NONE) if (!limit.matches || limit.matches(provider, model)) out.push({ limit, subject });
    }
    return out;
  }
}

/** A limit's counters: a change of its measure or window starts a new count. */
export function counterKey(limit: Pick<LimitDefinition, "id" | "measure" | "window">): string {
  return `${limit.id}|${limit.measure}|${limit.window}`;
}

const NONE: readonly ActiveLimit[] = [];
const key = (scope: LimitScope, subject: string) => `${scope}\u0000${subject}`;

function push<K>(map: Map<K, ActiveLimit[]>, k: K, limit: ActiveLimit): void {
  const list = map.get(k);
  if (list) list.push(limit);
  else map.set(k, [limit]);
}
