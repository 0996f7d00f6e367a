import type { Kysely } from "kysely";
import type { Migration } from "kysely/migration";

/**
 * Issue 8: limits, their counters, and the reservations of requests in flight. Counters are keyed
 * by (limit key, subject, window start); the embedded default keeps only settled use here (its
 * reservations live in memory), PostgreSQL keeps both and every instance shares them.
 */
export const limits: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable("limits")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("scope", "text", (c) => c.notNull())
      .addColumn("subject", "text", (c) => c.notNull())
      .addColumn("measure", "text", (c) => c.notNull())
      .addColumn("time_window", "text", (c) => c.notNull())
      .addColumn("maximum", "double precision", (c) => c.notNull())
      .addColumn("model", "text")
      .addColumn("source", "text", (c) => c.notNull())
      .addColumn("created_at", "text", (c) => c.notNull())
      .addColumn("updated_at", "text", (c) => c.notNull())
      .execute();

    await db.schema
      .createTable("limit_counters")
      .addColumn("limit_key", "text", (c) => c.notNull())
      .addColumn("subject", "text", (c) => c.notNull())
      .addColumn("window_start", "text", (c) => c.notNull())
      .addColumn("window_end", "text")
      .addColumn("used", "double precision", (c) => c.notNull().defaultTo(0))
      .addColumn("reserved", "double precision", (c) => c.notNull().defaultTo(0))
      .addColumn("cap", "double precision")
      .addColumn("updated_at", "text", (c) => c.notNull())
      .addPrimaryKeyConstraint("limit_counters_pk", ["limit_key", "subject", "window_start"])
      .execute();
    await db.schema.createIndex("limit_counters_window_end_idx").on("limit_counters").column("window_end").execute();

    await db.schema
      .createTable("limit_reservations")
      .addColumn("request_id", "text", (c) => c.notNull())
      .addColumn("limit_key", "text", (c) => c.notNull())
      .addColumn("subject", "text", (c) => c.notNull())
      .addColumn("window_start", "text", (c) => c.notNull())
      .addColumn("amount", "double precision", (c) => c.notNull())
      .addColumn("instance_id", "text", (c) => c.notNull())
      .addColumn("expires_at", "text", (c) => c.notNull())
      .addPrimaryKeyConstraint("limit_reservations_pk", ["request_id", "limit_key"])
      .execute();
    await db.schema.createIndex("limit_reservations_expires_idx").on("limit_reservations").column("expires_at").execute();
    await db.schema.createIndex("limit_reservations_instance_idx").on("limit_reservations").column("instance_id").execute();
  },
};
