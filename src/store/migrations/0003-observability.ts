import type { Kysely } from "kysely";
import type { Migration } from "kysely/migration";

type ColumnType = "text" | "integer" | "double precision";

/** New interaction columns; one ALTER per column (SQLite adds one at a time). */
const COLUMNS: ReadonlyArray<[name: string, type: ColumnType]> = [
  ["upstream_format", "text"],
  ["response_model", "text"],
  ["auth_method", "text"],
  ["oauth_client_id", "text"],
  ["identity_provider_id", "text"],
  ["finish_reason", "text"],
  ["decisions", "text"],
  ["taint", "text"],
  ["cost_usd", "double precision"],
  ["request_bytes", "integer"],
  ["response_bytes", "integer"],
];

/**
 * Keyset pagination walks (created_at, id); each filter the logs API offers on a selective column
 * gets (column, created_at, id), so a filtered page is an index range scan in time order rather
 * than a sort of every matching row (low-cardinality columns too: the order is what they buy).
 */
const INDEXES: ReadonlyArray<[name: string, columns: string[]]> = [
  ["interactions_time_idx", ["created_at", "id"]],
  ["interactions_proxy_time_idx", ["proxy_id", "created_at", "id"]],
  ["interactions_agent_time_idx", ["agent_id", "created_at", "id"]],
  ["interactions_user_time_idx", ["user_id", "created_at", "id"]],
  ["interactions_session_time_idx", ["session_id", "created_at", "id"]],
  ["interactions_execution_time_idx", ["execution_id", "created_at", "id"]],
  ["interactions_model_time_idx", ["model", "created_at", "id"]],
  ["interactions_provider_time_idx", ["provider", "created_at", "id"]],
  ["interactions_status_time_idx", ["status", "created_at", "id"]],
  ["interactions_blocked_time_idx", ["blocked", "created_at", "id"]],
];

/** Issue 7: who, what it cost, policy outcome, bodies (in their own table), and the logs API's indexes. */
export const observability: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    for (const [name, type] of COLUMNS) await db.schema.alterTable("interactions").addColumn(name, type).execute();
    await db.schema
      .alterTable("interactions")
      .addColumn("blocked", "integer", (c) => c.notNull().defaultTo(0))
      .execute();

    await db.schema
      .createTable("interaction_bodies")
      .addColumn("interaction_id", "text", (c) => c.primaryKey())
      .addColumn("request", "text")
      .addColumn("response", "text")
      .execute();

    // Superseded by the composite indexes below.
    await db.schema.dropIndex("interactions_created_at_idx").execute();
    await db.schema.dropIndex("interactions_proxy_id_idx").execute();
    for (const [name, columns] of INDEXES) await db.schema.createIndex(name).on("interactions").columns(columns).execute();
  },
};
