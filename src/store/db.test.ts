import assert from "node:assert/strict";
import { test } from "node:test";
import { redact, sqlitePath } from "./db.ts";

test("sqlite URLs name a relative file, an absolute file or memory", () => {
  assert.equal(sqlitePath("sqlite:./data/portcullis.db"), "./data/portcullis.db");
  assert.equal(sqlitePath("sqlite:data.db"), "data.db");
  assert.equal(sqlitePath("sqlite:/var/lib/p.db"), "/var/lib/p.db");
  assert.equal(sqlitePath("sqlite:///var/lib/p.db"), "/var/lib/p.db");
  assert.equal(sqlitePath("sqlite::memory:"), ":memory:");
  assert.throws(() => sqlitePath("sqlite:"), /names no file/);
});

test("printed URLs hide the password", () => {
  assert.equal(redact("postgres://user:s3cret@db:5432/x"), "postgres://user:***@db:5432/x");
  assert.equal(redact("postgresql://user@db/x"), "postgresql://user@db/x");
  assert.equal(redact("sqlite:./a.db"), "sqlite:./a.db");
});
