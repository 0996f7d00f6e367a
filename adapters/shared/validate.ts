import type { z } from "zod";
import { proxyError } from "../../src/canonical/error.ts";

/** `messages[0].content` from a zod issue path. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = "";
  for (const seg of path) {
    if (typeof seg === "number") out += `[${seg}]`;
    else out += out ? `.${String(seg)}` : String(seg);
  }
  return out;
}

/**
 * Validates a request body against a (loose) zod schema and returns it typed. A violation is a 400
 * naming the first bad field, in the words a client can act on.
 */
export function validateBody<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  // An unknown key (strict schemas) is reported on its parent: name the key itself.
  const path = issue.code === "unrecognized_keys" ? [...issue.path, issue.keys[0]] : issue.path;
  const param = formatPath(path);
  const reason = issue.code === "unrecognized_keys" ? "unknown field" : issue.message;
  const message = param ? `Invalid value for '${param}': ${reason}` : `Invalid request body: ${reason}`;
  throw proxyError(400, message, { code: "invalid_request_body", param: param || undefined });
}
