import { formatPath } from "../../adapters/shared/validate.ts";

/** `$${` escapes a literal `${`; `${VAR}` must be set; `${VAR:-default}` falls back when unset or empty. */
const REFERENCE = /\$\$\{|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

/**
 * Replaces environment references in every string value of a parsed YAML tree (keys are left as
 * written). Returns a new tree; throws naming the variable and the field when one is unset.
 */
export function interpolateEnv(value: unknown, env: NodeJS.ProcessEnv, path: PropertyKey[] = []): unknown {
  if (typeof value === "string") return value.includes("$") ? interpolateString(value, env, path) : value;
  if (Array.isArray(value)) return value.map((v, i) => interpolateEnv(v, env, [...path, i]));
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = interpolateEnv(v, env, [...path, k]);
    return out;
  }
  return value;
}

function interpolateString(text: string, env: NodeJS.ProcessEnv, path: PropertyKey[]): string {
  return text.replace(REFERENCE, (_match, name: string | undefined, fallback: string | undefined) => {
    if (name === undefined) return "${";
    const value = env[name];
    if (fallback !== undefined) return value ? value : fallback;
    if (value === undefined) {
      throw new Error(`${formatPath(path) || "(root)"}: environment variable ${name} is not set (write \${${name}:-} to allow that)`);
    }
    return value;
  });
}
