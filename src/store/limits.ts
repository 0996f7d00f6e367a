import type { LimitDefinition, LimitMeasure, LimitRecord, LimitScope, LimitWindow } from "../limits/types.ts";
import type { CounterDelta } from "../limits/memory-counter-store.ts";
import { nowIso, opt } from "./columns.ts";
import type { DbHandle } from "./db.ts";
import { afterPosition, toPage, type Page, type PageRequest } from "./pagination.ts";
import type { LimitsTable } from "./schema.ts";

export function toLimitRecord(row: LimitsTable): LimitRecord {
  const record: LimitRecord = {
    id: row.id,
    scope: row.scope as LimitScope,
    subject: row.subject,
    measure: row.measure as LimitMeasure,
    window: row.time_window as LimitWindow,
    max: Number(row.maximum),
    source: row.source === "config" ? "config" : "api",
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
  const model = opt(row.model);
  if (model !== undefined) record.model = model;
  return record;
}

export async function listLimits({ db }: DbHandle): Promise<LimitRecord[]> {
  const rows = await db.selectFrom("limits").selectAll().orderBy("created_at").orderBy("id").execute();
  return rows.map(toLimitRecord);
}

export async function pageLimits({ db }: DbHandle, page: PageRequest): Promise<Page<LimitRecord>> {
  let query = db.selectFrom("limits").selectAll().orderBy("created_at").orderBy("id").limit(page.limit + 1);
  if (page.after) query = query.where(afterPosition("id", page.after));
  const rows = await query.execute();
  return toPage(rows, page.limit, (r) => ({ createdAt: r.created_at, id: r.id }), toLimitRecord);
}

export async function getLimit({ db }: DbHandle, id: string): Promise<LimitRecord | undefined> {
  const row = await db.selectFrom("limits").selectAll().where("id", "=", id).executeTakeFirst();
  return row && toLimitRecord(row);
}

function columns(limit: LimitDefinition): Pick<LimitsTable, "scope" | "subject" | "measure" | "time_window" | "maximum" | "model"> {
  return { scope: limit.scope, subject: limit.subject, measure: limit.measure, time_window: limit.window, maximum: limit.max, model: limit.model ?? null };
}

/** Creates a limit; undefined when the id is taken. */
export async function insertLimit({ db }: DbHandle, limit: LimitDefinition, source: LimitRecord["source"]): Promise<LimitRecord | undefined> {
  const now = nowIso();
  const row: LimitsTable = { id: limit.id, ...columns(limit), source, created_at: now, updated_at: now };
  const result = await db.insertInto("limits").values(row).onConflict((oc) => oc.column("id").doNothing()).executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0 ? toLimitRecord(row) : undefined;
}

export function sameLimit(a: LimitDefinition, b: LimitDefinition): boolean {
  return a.scope === b.scope && a.subject === b.subject && a.measure === b.measure && a.window === b.window && a.max === b.max && (a.model ?? null) === (b.model ?? null);
}

/** Makes the stored limit match; reports what it did. */
export async function upsertLimit(handle: DbHandle, limit: LimitDefinition, source: LimitRecord["source"]): Promise<"created" | "updated" | "unchanged"> {
  const existing = await getLimit(handle, limit.id);
  if (!existing) return (await insertLimit(handle, limit, source)) ? "created" : "unchanged";
  if (sameLimit(existing, limit) && existing.source === source) return "unchanged";
  await handle.db
    .updateTable("limits")
    .set({ ...columns(limit), source, updated_at: nowIso() })
    .where("id", "=", limit.id)
    .execute();
  return "updated";
}

export async function deleteLimit({ db }: DbHandle, id: string): Promise<boolean> {
  const result = await db.deleteFrom("limits").where("id", "=", id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/**
 * Makes the config's limits the config-made ones: each is set as written, and a limit the config
 * made earlier but no longer names is removed (limits made through the admin API are left alone).
 * Reports whether anything changed.
 */
export async function syncConfigLimits(handle: DbHandle, limits: readonly LimitDefinition[]): Promise<boolean> {
  let changed = false;
  for (const limit of limits) if ((await upsertLimit(handle, limit, "config")) !== "unchanged") changed = true;
  const keep = new Set(limits.map((l) => l.id));
  const stale = (await listLimits(handle)).filter((l) => l.source === "config" && !keep.has(l.id));
  for (const l of stale) if (await deleteLimit(handle, l.id)) changed = true;
  return changed;
}

/** The embedded counter store's rows: settled use of windows that have not ended. */
export async function loadCounters({ db }: DbHandle, now: number): Promise<CounterDelta[]> {
  const at = new Date(now).toISOString();
  const rows = await db
    .selectFrom("limit_counters")
    .select(["limit_key", "subject", "window_start", "window_end", "used"])
    .where((eb) => eb.or([eb("window_end", "is", null), eb("window_end", ">", at)]))
    .execute();
  return rows.map((r) => ({
    key: r.limit_key,
    subject: r.subject,
    windowStart: Date.parse(r.window_start),
    windowEnd: r.window_end === null ? Number.POSITIVE_INFINITY : Date.parse(r.window_end),
    used: Number(r.used),
  }));
}

/** Adds settled use to the stored counters, in one transaction. */
export async function addToCounters({ db }: DbHandle, deltas: readonly CounterDelta[]): Promise<void> {
  const at = nowIso();
  await db.transaction().execute(async (trx) => {
    for (const d of deltas) {
      await trx
        .insertInto("limit_counters")
        .values({
          limit_key: d.key,
          subject: d.subject,
          window_start: new Date(d.windowStart).toISOString(),
          window_end: Number.isFinite(d.windowEnd) ? new Date(d.windowEnd).toISOString() : null,
          used: d.used,
          reserved: 0,
          cap: null,
          updated_at: at,
        })
        .onConflict((oc) => oc.columns(["limit_key", "subject", "window_start"]).doUpdateSet((eb) => ({ used: eb("limit_counters.used", "+", eb.ref("excluded.used")), updated_at: at })))
        .execute();
    }
  });
}

/** Removes stored counters of windows that ended before `before` (epoch ms). */
export async function deleteEndedCounters({ db }: DbHandle, before: number): Promise<void> {
  await db.deleteFrom("limit_counters").where("window_end", "<", new Date(before).toISOString()).execute();
}
