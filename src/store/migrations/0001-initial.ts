import { sql, type Kysely } from "kysely";
import type { Migration } from "kysely/migration";

/**
 * The first schema. Types are the portable subset: text, integer, double precision. Every
 * timestamp is ISO-8601 UTC text, every JSON value text, so both databases read back the same.
 */
export const initial: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable("meta")
      .addColumn("key", "text", (c) => c.primaryKey())
      .addColumn("value", "text", (c) => c.notNull())
      .execute();
    await sql`insert into meta (key, value) values ('catalog_version', '0')`.execute(db);

    await db.schema
      .createTable("proxies")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("name", "text", (c) => c.notNull())
      .addColumn("credentials", "text", (c) => c.notNull().defaultTo("{}"))
      .addColumn("created_at", "text", (c) => c.notNull())
      .addColumn("updated_at", "text", (c) => c.notNull())
      .execute();

    await db.schema
      .createTable("credentials")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("provider", "text", (c) => c.notNull())
      .addColumn("secret", "text")
      .addColumn("hint", "text")
      .addColumn("base_url", "text")
      .addColumn("options", "text")
      .addColumn("models", "text")
      .addColumn("created_at", "text", (c) => c.notNull())
      .addColumn("updated_at", "text", (c) => c.notNull())
      .execute();

    await db.schema
      .createTable("virtual_keys")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("name", "text", (c) => c.notNull().unique())
      .addColumn("hash", "text", (c) => c.notNull().unique())
      .addColumn("prefix", "text", (c) => c.notNull())
      .addColumn("proxies", "text", (c) => c.notNull())
      .addColumn("credentials", "text", (c) => c.notNull().defaultTo("{}"))
      .addColumn("expires_at", "text")
      .addColumn("revoked_at", "text")
      .addColumn("last_used_at", "text")
      .addColumn("created_at", "text", (c) => c.notNull())
      .addColumn("updated_at", "text", (c) => c.notNull())
      .execute();

    await db.schema
      .createTable("interactions")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("created_at", "text", (c) => c.notNull())
      .addColumn("proxy_id", "text", (c) => c.notNull())
      .addColumn("route", "text", (c) => c.notNull())
      .addColumn("client_format", "text", (c) => c.notNull())
      .addColumn("provider", "text")
      .addColumn("model", "text")
      .addColumn("requested_model", "text")
      .addColumn("virtual_key_id", "text")
      .addColumn("agent_id", "text")
      .addColumn("user_id", "text")
      .addColumn("session_id", "text")
      .addColumn("execution_id", "text")
      .addColumn("status", "integer", (c) => c.notNull())
      .addColumn("error", "text")
      .addColumn("stream", "integer", (c) => c.notNull().defaultTo(0))
      .addColumn("input_tokens", "integer")
      .addColumn("output_tokens", "integer")
      .addColumn("cache_read_tokens", "integer")
      .addColumn("cache_write_tokens", "integer")
      .addColumn("reasoning_tokens", "integer")
      .addColumn("ttft_ms", "double precision")
      .addColumn("duration_ms", "double precision")
      .execute();
    await db.schema.createIndex("interactions_created_at_idx").on("interactions").column("created_at").execute();
    await db.schema.createIndex("interactions_proxy_id_idx").on("interactions").column("proxy_id").execute();
  },
};
