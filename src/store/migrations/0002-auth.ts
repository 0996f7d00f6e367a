import type { Kysely } from "kysely";
import type { Migration } from "kysely/migration";

/** OAuth clients, external identity providers, and the proxy's own token signing keys. */
export const auth: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable("oauth_clients")
      .addColumn("client_id", "text", (c) => c.primaryKey())
      .addColumn("name", "text", (c) => c.notNull())
      .addColumn("secret_hash", "text", (c) => c.notNull())
      .addColumn("secret_prefix", "text", (c) => c.notNull())
      .addColumn("previous_secret_hash", "text")
      .addColumn("previous_secret_expires_at", "text")
      .addColumn("proxies", "text", (c) => c.notNull())
      .addColumn("scopes", "text", (c) => c.notNull())
      .addColumn("credentials", "text", (c) => c.notNull().defaultTo("{}"))
      .addColumn("token_ttl_seconds", "integer")
      .addColumn("disabled_at", "text")
      .addColumn("tokens_valid_after", "text")
      .addColumn("last_used_at", "text")
      .addColumn("created_at", "text", (c) => c.notNull())
      .addColumn("updated_at", "text", (c) => c.notNull())
      .execute();

    await db.schema
      .createTable("identity_providers")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("issuer", "text", (c) => c.notNull())
      .addColumn("audience", "text", (c) => c.notNull())
      .addColumn("jwks_uri", "text")
      .addColumn("user_claim", "text", (c) => c.notNull())
      .addColumn("required_claims", "text")
      .addColumn("algorithms", "text")
      .addColumn("proxies", "text", (c) => c.notNull())
      .addColumn("clock_tolerance_seconds", "integer")
      .addColumn("created_at", "text", (c) => c.notNull())
      .addColumn("updated_at", "text", (c) => c.notNull())
      .execute();

    await db.schema
      .createTable("signing_keys")
      .addColumn("kid", "text", (c) => c.primaryKey())
      .addColumn("alg", "text", (c) => c.notNull())
      .addColumn("public_jwk", "text", (c) => c.notNull())
      .addColumn("private_key", "text", (c) => c.notNull())
      .addColumn("created_at", "text", (c) => c.notNull())
      .addColumn("retired_at", "text")
      .addColumn("not_after", "text")
      .execute();
  },
};
