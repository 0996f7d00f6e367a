import { displayPrefix, generateSecret, hashSecret } from "./secrets.ts";

export const VIRTUAL_KEY_PREFIX = "pk-";

/** A new virtual key: `pk-` and 32 random bytes in base64url (256 bits). */
export function generateVirtualKey(): string {
  return generateSecret(VIRTUAL_KEY_PREFIX);
}

/** What the store keeps instead of the key: its sha256, hex. */
export const hashVirtualKey = hashSecret;

/** The start of a key, shown in lists so people can tell keys apart. */
export const virtualKeyPrefix = displayPrefix;
