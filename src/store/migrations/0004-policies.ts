import type { Kysely } from "kysely";
import type { Migration } from "kysely/migration";

/**
 * Issue 6: trusted-data and tool-invocation policies per proxy (tried in `position` order), and
 * each proxy's taint and guardrail settings (no row: the defaults).
 */
export const policies: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable("policies")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("proxy_id", "text", (c) => c.notNull())
      .addColumn("kind", "text", (c) => c.notNull())
      .addColumn("tool", "text", (c) => c.notNull())
      .addColumn("conditions", "text")
      .addColumn("action", "text", (c) => c.notNull())
      .addColumn("reason", "text")
      .addColumn("position", "integer", (c) => c.notNull())
      .addColumn("source", "text", (c) => c.notNull())
      .addColumn("created_at", "text", (c) => c.notNull())
      .addColumn("updated_at", "text", (c) => c.notNull())
      .execute();
    await db.schema.createIndex("policies_proxy_kind_idx").on("policies").columns(["proxy_id", "kind", "position", "id"]).execute();

    await db.schema
      .createTable("policy_settings")
      .addColumn("proxy_id", "text", (c) => c.primaryKey())
      .addColumn("context_untrusted", "integer", (c) => c.notNull().defaultTo(0))
      .addColumn("guardrail_secrets", "text", (c) => c.notNull())
      .addColumn("guardrail_pii", "text", (c) => c.notNull())
      .addColumn("guardrail_restore", "integer", (c) => c.notNull().defaultTo(0))
      .addColumn("source", "text", (c) => c.notNull())
      .addColumn("created_at", "text", (c) => c.notNull())
      .addColumn("updated_at", "text", (c) => c.notNull())
      .execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable("policy_settings").execute();
    await db.schema.dropTable("policies").execute();
  },
};
