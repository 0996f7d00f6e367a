import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { createSecretBox, openSecretBox } from "./secret-box.ts";

test("seals with a fresh IV in the versioned format and opens it again", () => {
  const box = createSecretBox("passphrase");
  const a = box.seal("sk-secret", "credential:x");
  const b = box.seal("sk-secret", "credential:x");
  assert.notEqual(a, b);
  assert.match(a, new RegExp(`^v1\\.${box.keyId}\\.[A-Za-z0-9_-]{16}\\.[A-Za-z0-9_-]+$`));
  assert.ok(!a.includes("sk-secret"));
  assert.equal(box.open(a, "credential:x"), "sk-secret");
  assert.equal(box.open(box.seal(""), undefined), "");
  assert.equal(box.open(box.seal("ünïcødé ✓")), "ünïcødé ✓");
});

test("a wrong key is named as such, never decrypted to garbage", () => {
  const sealed = createSecretBox("right").seal("sk-secret");
  const wrong = createSecretBox("wrong");
  assert.throws(() => wrong.open(sealed), (err: Error) => {
    assert.match(err.message, new RegExp(`encrypted with key ${sealed.split(".")[1]} but the current key is ${wrong.keyId}`));
    return true;
  });
});

test("tampering, a moved value, a truncated value and an unknown version all fail clearly", () => {
  const box = createSecretBox("k");
  const sealed = box.seal("sk-secret", "credential:a");
  const parts = sealed.split(".");
  const data = Buffer.from(parts[3], "base64url");
  data[0] ^= 1;
  const tampered = [...parts.slice(0, 3), data.toString("base64url")].join(".");
  assert.throws(() => box.open(tampered, "credential:a"), /fails authentication/);
  assert.throws(() => box.open(sealed, "credential:b"), /fails authentication/);
  assert.throws(() => box.open([...parts.slice(0, 3), "AAAA"].join("."), "credential:a"), /truncated/);
  assert.throws(() => box.open(`v9.${parts.slice(1).join(".")}`), /unknown format 'v9'/);
  assert.throws(() => box.open("plaintext"), /unknown format/);
});

test("PORTCULLIS_SECRET derives the key; any string works, the same string gives the same key", () => {
  const a = openSecretBox({ env: { PORTCULLIS_SECRET: "correct horse" }, keyFile: "/nonexistent/never-created" });
  const b = createSecretBox("correct horse");
  assert.equal(a.keyId, b.keyId);
  assert.equal(b.open(a.seal("x")), "x");
  assert.notEqual(createSecretBox("correct horsf").keyId, a.keyId);
  assert.throws(() => createSecretBox(""), /empty/);
});

test("without PORTCULLIS_SECRET a random key is generated into the key file (0600) and read after", () => {
  const dir = mkdtempSync(join(tmpdir(), "portcullis-key-"));
  try {
    const keyFile = join(dir, "data", "secret.key");
    const first = openSecretBox({ env: {}, keyFile });
    assert.equal(statSync(keyFile).mode & 0o777, 0o600);
    assert.match(readFileSync(keyFile, "utf8"), /^[A-Za-z0-9_-]{43}\n$/);
    const second = openSecretBox({ env: {}, keyFile });
    assert.equal(second.keyId, first.keyId);
    assert.equal(second.open(first.seal("sk-1")), "sk-1");
    const elsewhere = openSecretBox({ env: {}, keyFile: join(dir, "other.key") });
    assert.notEqual(elsewhere.keyId, first.keyId, "each generated key is random");
    writeFileSync(join(dir, "empty.key"), "\n");
    assert.throws(() => openSecretBox({ env: {}, keyFile: join(dir, "empty.key") }), /is empty/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
