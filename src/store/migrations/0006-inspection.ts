import type { Kysely } from "kysely";
import type { Migration } from "kysely/migration";

/**
 * Issue 4: passthrough endpoints the proxy forwards without inspecting (files, batches,
 * count_tokens, model lists) say so on their interaction row.
 */
export const inspection: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable("interactions").addColumn("inspected", "integer", (c) => c.notNull().defaultTo(1)).execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.alterTable("interactions").dropColumn("inspected").execute();
  },
};
