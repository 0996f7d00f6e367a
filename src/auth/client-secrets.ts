import { randomBytes } from "node:crypto";
import { generateSecret } from "./secrets.ts";

export const CLIENT_SECRET_PREFIX = "pcs-";

/** A new OAuth client secret: `pcs-` and 32 random bytes in base64url (256 bits). */
export function generateClientSecret(): string {
  return generateSecret(CLIENT_SECRET_PREFIX);
}

/** A client id for a client created without one (ids are public: no need for 256 bits). */
export function generateClientId(): string {
  return `client-${randomBytes(8).toString("hex")}`;
}
