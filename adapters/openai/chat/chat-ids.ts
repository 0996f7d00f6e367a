import { randomBytes } from "node:crypto";

/** Chat clients expect `chatcmpl-…` ids; another provider's id keeps its value after the prefix. */
export function chatCompletionId(id: string): string {
  if (id.startsWith("chatcmpl-")) return id;
  return `chatcmpl-${id || randomBytes(12).toString("base64url")}`;
}

export function unixNow(): number {
  return Math.floor(Date.now() / 1000);
}
