import type { CounterRow } from "./counter-store.ts";
import { counterKey } from "./limit-index.ts";
import type { LimitService } from "./limit-service.ts";
import { EACH_SUBJECT, type LimitRecord } from "./types.ts";
import { isoOrNull, windowAt } from "./windows.ts";

/** One subject's use of a limit in its current window. */
export interface SubjectUsage {
  subject: string;
  /** A virtual key's name, where the subject is its id. */
  name?: string;
  used: number;
  /** Held by requests in flight. */
  reserved: number;
  remaining: number;
}

/**
 * A limit with its current window's use: for a limit on one subject, `used`/`reserved`/
 * `remaining` at the top; for a `*` limit, `subjects` (largest use first, at most
 * `maxSubjects`). `resetsAt` is null for a lifetime limit; `usageError` says why use is unknown.
 */
export interface LimitView extends LimitRecord {
  windowStart: string;
  resetsAt: string | null;
  used?: number;
  reserved?: number;
  remaining?: number;
  subjects?: SubjectUsage[];
  usageError?: string;
}

export async function limitViews(service: LimitService, limits: readonly LimitRecord[], maxSubjects = 100): Promise<LimitView[]> {
  const now = service.now();
  return Promise.all(limits.map((l) => view(service, l, now, maxSubjects)));
}

async function view(service: LimitService, limit: LimitRecord, now: number, maxSubjects: number): Promise<LimitView> {
  const span = windowAt(limit.window, now);
  const out: LimitView = { ...limit, windowStart: new Date(span.start).toISOString(), resetsAt: isoOrNull(span.end) };
  const { store, rateStore } = service.stores;
  const counters = limit.measure === "requests" && rateStore ? rateStore : store;
  const key = counterKey(limit);
  const each = limit.subject === EACH_SUBJECT;
  let rows: CounterRow[];
  try {
    rows = await counters.read(key, span.start, each ? undefined : service.resolveSubject(limit.scope, limit.subject), maxSubjects);
  } catch (err) {
    out.usageError = `the ${counters.kind} counters could not be read: ${(err as Error).message}`;
    return out;
  }
  const usage = (r: CounterRow): SubjectUsage => ({ subject: r.subject, used: r.used, reserved: r.reserved, remaining: Math.max(0, limit.max - r.used - r.reserved) });
  if (!each) {
    const { used, reserved, remaining } = usage(rows[0] ?? { subject: limit.subject, used: 0, reserved: 0 });
    return { ...out, used, reserved, remaining };
  }
  out.subjects = rows.map((r) => {
    const u = usage(r);
    const name = limit.scope === "virtualKey" ? service.virtualKeyName(r.subject) : undefined;
    return name ? { ...u, name } : u;
  });
  return out;
}
