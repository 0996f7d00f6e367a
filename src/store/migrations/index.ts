import { Migrator, type Migration, type MigrationProvider } from "kysely/migration";
import type { Store } from "../db.ts";
import { initial } from "./0001-initial.ts";
import { auth } from "./0002-auth.ts";
import { observability } from "./0003-observability.ts";
import { policies } from "./0004-policies.ts";
import { limits } from "./0005-limits.ts";
import { inspection } from "./0006-inspection.ts";

/**
 * Every migration, in order, named so the names sort in that order. A static record rather than
 * a folder scan: nothing depends on the working directory or on how the code was bundled. A
 * later issue adds a column by appending a migration here, never by editing an applied one.
 */
export const MIGRATIONS: Readonly<Record<string, Migration>> = {
  "0001-initial": initial,
  "0002-auth": auth,
  "0003-observability": observability,
  "0004-policies": policies,
  "0005-limits": limits,
  "0006-inspection": inspection,
};

const provider: MigrationProvider = { getMigrations: async () => ({ ...MIGRATIONS }) };

/**
 * Brings the schema up to date; a no-op when it is. Several instances starting together are safe:
 * Kysely serialises them on a migration lock (an advisory lock on PostgreSQL).
 */
export async function migrate(store: Store): Promise<string[]> {
  const migrator = new Migrator({ db: store.db, provider });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === "Error");
  if (error) {
    const which = failed ? ` (migration ${failed.migrationName})` : "";
    throw new Error(`Database migration failed${which}: ${error instanceof Error ? error.message : String(error)}`);
  }
  return (results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName);
}
