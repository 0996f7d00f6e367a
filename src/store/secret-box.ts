import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

/**
 * Seals provider secrets at rest with AES-256-GCM. A sealed value reads
 * `v1.<key id>.<iv>.<ciphertext+tag>` (base64url): the version lets a later format coexist, the
 * key id lets a wrong key be named as such instead of surfacing as an opaque auth failure.
 * An optional context (the credential id) is bound as associated data, so a sealed value copied
 * onto another row does not open.
 */
export interface SecretBox {
  /** A public fingerprint of the key (8 hex chars); never enough to recover it. */
  readonly keyId: string;
  seal(plaintext: string, context?: string): string;
  open(sealed: string, context?: string): string;
}

export const DEFAULT_KEY_FILE = "./data/secret.key";
const VERSION = "v1";
const IV_BYTES = 12;
const TAG_BYTES = 16;
const SALT = Buffer.from("portcullis/secret-box");

/** Derives the box's key from any string (a passphrase or the key file's content) with HKDF-SHA256. */
export function createSecretBox(secret: string): SecretBox {
  if (!secret) throw new Error("The secret key is empty");
  const key = Buffer.from(hkdfSync("sha256", secret, SALT, "aes-256-gcm v1", 32));
  const keyId = Buffer.from(hkdfSync("sha256", secret, SALT, "key id v1", 4)).toString("hex");
  return {
    keyId,
    seal(plaintext, context) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv("aes-256-gcm", key, iv);
      if (context !== undefined) cipher.setAAD(Buffer.from(context));
      const data = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final(), cipher.getAuthTag()]);
      return `${VERSION}.${keyId}.${iv.toString("base64url")}.${data.toString("base64url")}`;
    },
    open(sealed, context) {
      const parts = sealed.split(".");
      if (parts.length !== 4 || parts[0] !== VERSION) {
        throw new Error(`Cannot decrypt a stored secret: unknown format '${parts[0]}' (expected ${VERSION})`);
      }
      const [, sealedKeyId, ivText, dataText] = parts;
      if (sealedKeyId !== keyId) {
        throw new Error(
          `Cannot decrypt a stored secret: it was encrypted with key ${sealedKeyId} but the current key is ${keyId}. ` +
            "Start with the PORTCULLIS_SECRET (or data/secret.key) the database was written with.",
        );
      }
      const iv = Buffer.from(ivText, "base64url");
      const data = Buffer.from(dataText, "base64url");
      if (iv.length !== IV_BYTES || data.length < TAG_BYTES) throw new Error("Cannot decrypt a stored secret: it is truncated");
      try {
        const decipher = createDecipheriv("aes-256-gcm", key, iv);
        if (context !== undefined) decipher.setAAD(Buffer.from(context));
        decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
        return Buffer.concat([decipher.update(data.subarray(0, data.length - TAG_BYTES)), decipher.final()]).toString("utf8");
      } catch {
        throw new Error("Cannot decrypt a stored secret: it fails authentication (corrupted, or moved from another record)");
      }
    },
  };
}

export interface SecretBoxOptions {
  env: NodeJS.ProcessEnv;
  /** Where the generated key lives when PORTCULLIS_SECRET is unset. */
  keyFile?: string;
}

/**
 * The box for this instance: from `PORTCULLIS_SECRET` when set; otherwise from a random key
 * generated into the key file (mode 0600) on first start and read on every start after.
 */
export function openSecretBox({ env, keyFile = DEFAULT_KEY_FILE }: SecretBoxOptions): SecretBox {
  const fromEnv = env.PORTCULLIS_SECRET;
  if (fromEnv) return createSecretBox(fromEnv);
  return createSecretBox(readOrCreateKeyFile(keyFile));
}

function readOrCreateKeyFile(file: string): string {
  try {
    const text = readFileSync(file, "utf8").trim();
    if (!text) throw new Error(`The secret key file ${file} is empty: restore it or set PORTCULLIS_SECRET`);
    return text;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
  }
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const key = randomBytes(32).toString("base64url");
  try {
    // 'wx': when two instances start at once, the second reads the first one's key.
    writeFileSync(file, `${key}\n`, { mode: 0o600, flag: "wx" });
    chmodSync(file, 0o600);
    return key;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "EEXIST") return readFileSync(file, "utf8").trim();
    throw err;
  }
}
