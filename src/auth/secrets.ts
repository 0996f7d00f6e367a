import { createHash, randomBytes } from "node:crypto";

const DISPLAY_CHARS = 11;

/** A new high-entropy secret: the prefix and 32 random bytes in base64url (256 bits). */
export function generateSecret(prefix: string): string {
  return prefix + randomBytes(32).toString("base64url");
}

/**
 * sha256 of a secret. Our secrets carry 256 random bits, so a fast hash is enough at rest (a slow
 * one would only slow down guessing a space nobody can search); supplied ones have a minimum length.
 */
export function secretDigest(plaintext: string): Buffer {
  return createHash("sha256").update(plaintext).digest();
}

/** What the store keeps instead of a secret: its sha256, hex. */
export function hashSecret(plaintext: string): string {
  return secretDigest(plaintext).toString("hex");
}

/**
 * The start of a secret, shown in lists so people can tell secrets apart. A short, user-supplied
 * one shows a quarter of itself at most, so the display never gives most of it away.
 */
export function displayPrefix(plaintext: string): string {
  return plaintext.slice(0, Math.min(DISPLAY_CHARS, Math.floor(plaintext.length / 4)));
}
