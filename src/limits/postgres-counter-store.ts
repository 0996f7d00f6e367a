import { randomUUID } from "node:crypto";
import { sql, type Kysely, type RawBuilder } from "kysely";
import type { Claim, ClaimOutcome, CounterRow, CounterState, CounterStore } from "./counter-store.ts";

export interface PostgresCounterOptions {
  now?: () => number;
  /** How long a reservation outlives its instance's last sign of life. */
  reservationTtlMs?: number;
  /** How often expired reservations are released and ended windows removed. */
  sweepMs?: number;
}

const DEFAULT_TTL_MS = 120_000;
const DEFAULT_SWEEP_MS = 30_000;
/** Counters of ended windows stay this long (a request settling late still finds its row). */
const KEEP_ENDED_MS = 3_600_000;

interface CounterSql {
  limit_key: string;
  subject: string;
  used: number;
  reserved: number;
}

/**
 * Counters in PostgreSQL, shared by every instance on the database. A claim is one statement:
 * each counter row is reserved with `INSERT … ON CONFLICT DO UPDATE … WHERE <it fits> RETURNING`
 * (the row lock serialises concurrent claims on one counter, so a burst from many instances
 * cannot pass the cap), and each reservation is also written with an expiry. A settlement is one
 * statement too: it deletes the reservations and moves their amounts to `used`. Rows are always
 * locked in the same order (limit, subject), so concurrent statements never deadlock. An instance
 * keeps its reservations alive while it runs; when it dies, any instance's sweep releases them once
 * they expire, so a crash never holds budget for long. Claims that fit while another did not are
 * released again before the refusal is answered.
 */
export class PostgresCounterStore implements CounterStore {
  readonly kind = "postgres";
  readonly #db: Kysely<unknown>;
  readonly #now: () => number;
  readonly #ttl: number;
  readonly #instance = randomUUID();
  readonly #timers: NodeJS.Timeout[] = [];
  /** Requests of this instance holding reservations: only then is there anything to keep alive. */
  #inFlight = 0;

  constructor(db: Kysely<unknown>, options: PostgresCounterOptions = {}) {
    this.#db = db;
    this.#now = options.now ?? Date.now;
    this.#ttl = options.reservationTtlMs ?? DEFAULT_TTL_MS;
    const sweep = setInterval(() => void this.sweep().catch((err) => report("sweeping limit reservations", err)), options.sweepMs ?? DEFAULT_SWEEP_MS);
    const beat = setInterval(() => void this.#heartbeat().catch((err) => report("renewing limit reservations", err)), Math.max(1000, this.#ttl / 4));
    sweep.unref();
    beat.unref();
    this.#timers.push(sweep, beat);
  }

  async claim(requestId: string, claims: readonly Claim[], now: number): Promise<ClaimOutcome> {
    const rows = ordered(claims).map((c) => sql`(${c.key}::text, ${c.subject}::text, ${iso(c.windowStart)}::text, ${isoOrNull(c.windowEnd)}::text, ${c.cap}::float8, ${c.amount}::float8)`);
    const { rows: taken } = await sql<CounterSql>`
      with req (limit_key, subject, window_start, window_end, cap, amount) as (values ${sql.join(rows)}),
      up as (
        insert into limit_counters as c (limit_key, subject, window_start, window_end, used, reserved, cap, updated_at)
        select limit_key, subject, window_start, window_end, 0, amount, cap, ${iso(now)} from req
        where cap > 0 and amount <= cap
        order by limit_key, subject
        on conflict (limit_key, subject, window_start) do update
          set reserved = c.reserved + excluded.reserved, cap = excluded.cap, updated_at = excluded.updated_at
          where c.used + c.reserved < excluded.cap and c.used + c.reserved + excluded.reserved <= excluded.cap
        returning c.limit_key, c.subject, c.used, c.reserved
      ),
      held as (
        insert into limit_reservations (request_id, limit_key, subject, window_start, amount, instance_id, expires_at)
        select ${requestId}, req.limit_key, req.subject, req.window_start, req.amount, ${this.#instance}, ${iso(now + this.#ttl)}
        from req join up on up.limit_key = req.limit_key and up.subject = req.subject
      )
      select limit_key, subject, used, reserved from up`.execute(this.#db);
    const states: Array<CounterState | undefined> = claims.map((c) => stateIn(taken, c));
    if (taken.length === claims.length) {
      this.#inFlight++;
      return { ok: true, states: states as CounterState[] };
    }
    const failed = claims.flatMap((_, i) => (states[i] ? [] : [i]));
    const held = claims.filter((_, i) => states[i]);
    if (held.length > 0) await this.#settle(requestId, held, held.map(() => 0), now);
    const seen = await this.#states(failed.map((i) => claims[i]));
    failed.forEach((i, j) => (states[i] = seen[j]));
    return { ok: false, failed, states };
  }

  async settle(requestId: string, claims: readonly Claim[], actual: readonly number[], now: number): Promise<void> {
    this.#inFlight = Math.max(0, this.#inFlight - 1);
    await this.#settle(requestId, claims, actual, now);
  }

  /**
   * Moves each reservation to `used`: the released amount travels as the would-be row's
   * `reserved`, so the conflict update subtracts it. A reservation the sweep already released
   * (its request outlived the expiry) is not subtracted twice: only what this statement deleted is.
   */
  async #settle(requestId: string, claims: readonly Claim[], actual: readonly number[], now: number): Promise<void> {
    const rows = claims.map((c, i) => sql`(${c.key}::text, ${c.subject}::text, ${iso(c.windowStart)}::text, ${isoOrNull(c.windowEnd)}::text, ${c.cap}::float8, ${actual[i]}::float8)`);
    await sql`
      with act (limit_key, subject, window_start, window_end, cap, actual) as (values ${sql.join(rows)}),
      del as (
        delete from limit_reservations r using act
        where r.request_id = ${requestId} and r.limit_key = act.limit_key
        returning r.limit_key, r.amount
      )
      insert into limit_counters as c (limit_key, subject, window_start, window_end, used, reserved, cap, updated_at)
      select act.limit_key, act.subject, act.window_start, act.window_end, act.actual, coalesce(del.amount, 0), act.cap, ${iso(now)}
      from act left join del on del.limit_key = act.limit_key
      order by act.limit_key, act.subject
      on conflict (limit_key, subject, window_start) do update
        set used = c.used + excluded.used, reserved = greatest(0, c.reserved - excluded.reserved), updated_at = excluded.updated_at`.execute(this.#db);
  }

  async #states(claims: readonly Claim[]): Promise<CounterState[]> {
    if (claims.length === 0) return [];
    const keys = claims.map((c) => sql`(${c.key}::text, ${c.subject}::text, ${iso(c.windowStart)}::text)`);
    const { rows } = await sql<CounterSql>`
      select limit_key, subject, used, reserved from limit_counters
      where (limit_key, subject, window_start) in (${sql.join(keys)})`.execute(this.#db);
    return claims.map((c) => stateIn(rows, c) ?? { used: 0, reserved: 0 });
  }

  async read(key: string, windowStart: number, subject: string | undefined, max: number): Promise<CounterRow[]> {
    const one: RawBuilder<unknown> = subject === undefined ? sql`` : sql`and subject = ${subject}`;
    const { rows } = await sql<CounterSql>`
      select subject, used, reserved from limit_counters
      where limit_key = ${key} and window_start = ${iso(windowStart)} ${one}
      order by used + reserved desc, subject limit ${max}`.execute(this.#db);
    return rows.map((r) => ({ subject: r.subject, used: Number(r.used), reserved: Number(r.reserved) }));
  }

  /**
   * Releases reservations whose instance stopped renewing them, and removes counters of windows
   * that ended a while ago. Safe on every instance at once: a reservation is deleted only once.
   */
  async sweep(now = this.#now()): Promise<void> {
    await sql`
      with gone as (delete from limit_reservations where expires_at < ${iso(now)} returning limit_key, subject, window_start, amount),
      sums as (select limit_key, subject, window_start, sum(amount) as amount from gone group by limit_key, subject, window_start)
      insert into limit_counters as c (limit_key, subject, window_start, window_end, used, reserved, cap, updated_at)
      select x.limit_key, x.subject, x.window_start, x.window_end, 0, sums.amount, x.cap, ${iso(now)}
      from sums join limit_counters x on x.limit_key = sums.limit_key and x.subject = sums.subject and x.window_start = sums.window_start
      order by x.limit_key, x.subject
      on conflict (limit_key, subject, window_start) do update
        set reserved = greatest(0, c.reserved - excluded.reserved), updated_at = excluded.updated_at`.execute(this.#db);
    await sql`delete from limit_counters where window_end < ${iso(now - KEEP_ENDED_MS)} and reserved = 0`.execute(this.#db);
  }

  async #heartbeat(): Promise<void> {
    if (this.#inFlight === 0) return;
    await sql`update limit_reservations set expires_at = ${iso(this.#now() + this.#ttl)} where instance_id = ${this.#instance}`.execute(this.#db);
  }

  async close(): Promise<void> {
    for (const t of this.#timers) clearInterval(t);
  }
}

/** Claims in lock order. */
function ordered(claims: readonly Claim[]): Claim[] {
  return [...claims].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.subject < b.subject ? -1 : a.subject > b.subject ? 1 : 0));
}

function stateIn(rows: readonly CounterSql[], c: Claim): CounterState | undefined {
  const row = rows.find((r) => r.limit_key === c.key && r.subject === c.subject);
  return row && { used: Number(row.used), reserved: Number(row.reserved) };
}

const iso = (ms: number) => new Date(ms).toISOString();
const isoOrNull = (ms: number) => (Number.isFinite(ms) ? iso(ms) : null);

function report(what: string, err: unknown): void {
  console.error(`portcullis: ${what} failed: ${(err as Error).message}`);
}
