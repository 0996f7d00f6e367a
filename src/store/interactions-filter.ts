import { sql, type RawBuilder, type SelectQueryBuilder } from "kysely";
import type { Store } from "./db.ts";
import type { InteractionFilter } from "./interactions-query.ts";
import type { Schema } from "./schema.ts";

export type InteractionsQuery = SelectQueryBuilder<Schema, "interactions", object>;
type Query = InteractionsQuery;

type Column = "proxy_id" | "provider" | "model" | "agent_id" | "user_id" | "session_id" | "execution_id" | "status" | "blocked";

/** A column, or the column kept off its index. */
type Operand = Column | RawBuilder<unknown>;

/** One condition, with how few rows it usually keeps (lower: fewer) and the index it can drive. */
interface Condition {
  column: Column;
  rank: number;
  apply(q: Query, lhs: Operand): Query;
}

/**
 * Every condition is indexed as (column, created_at, id). PostgreSQL picks among them from its
 * statistics. SQLite has none unless ANALYZE ran, and then guesses (it prefers `status = 200`, which
 * keeps nearly every row, over the proxy); so on SQLite only the most selective condition may use
 * its index, the others are written `+column` (SQLite's documented way to keep a term off an index).
 */
export function applyFilter(query: Query, f: InteractionFilter, dialect: Store["dialect"]): Query {
  const conditions: Condition[] = [];
  const eq = (column: Column, value: string | number | undefined, rank: number) => {
    if (value !== undefined) conditions.push({ column, rank, apply: (q, lhs) => q.where(lhs, "=", value as never) });
  };
  eq("execution_id", f.executionId, 1);
  eq("session_id", f.sessionId, 2);
  eq("user_id", f.userId, 3);
  eq("agent_id", f.agentId, 4);
  if (f.blocked !== undefined) eq("blocked", f.blocked ? 1 : 0, f.blocked ? 5 : 11);
  eq("model", f.model, 6);
  const s = f.status;
  if (typeof s === "number") eq("status", s, s >= 200 && s < 300 ? 10 : 7);
  else if (s) {
    conditions.push({ column: "status", rank: s.min === 200 ? 10 : 7, apply: (q, lhs) => q.where(lhs, ">=", s.min as never).where(lhs, "<=", s.max as never) });
  }
  eq("proxy_id", f.proxyId, 8);
  eq("provider", f.provider, 9);
  const driver = Math.min(...conditions.map((c) => c.rank));
  let q = query;
  for (const c of conditions) q = c.apply(q, dialect === "sqlite" && c.rank !== driver ? sql`+${sql.ref(c.column)}` : c.column);
  if (f.from) q = q.where("created_at", ">=", f.from);
  if (f.to) q = q.where("created_at", "<", f.to);
  return q;
}
