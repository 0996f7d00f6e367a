/**
 * The JSON paths policy conditions name: `a.b[0].c`, `to[*]`, `["key.with.dots"]`, and `""` (or
 * `$`) for the whole value (a tool result that is plain text). Compiled once per policy change
 * into a list of steps; resolving walks the parsed value without copying it.
 *
 * `[*]` fans out over every element of an array. A path resolves to the values it reaches, or to
 * undefined when any branch is absent — a `[*]` condition must hold for every element, so an
 * element that lacks the rest of the path fails it, and an empty array offers nothing to check
 * (undefined too: a condition never holds vacuously).
 */

export type PathStep = { key: string } | { index: number } | { each: true };

export class PathSyntaxError extends Error {}

const IDENT = /[^.[\]]/;

/** Parses a path; throws PathSyntaxError naming the position of the problem. */
export function parseJsonPath(path: string): PathStep[] {
  const steps: PathStep[] = [];
  let i = 0;
  const fail = (what: string): never => {
    throw new PathSyntaxError(`${what} at position ${i} of path '${path}'`);
  };
  if (path === "$" || path === "") return steps;
  if (path.startsWith("$.") || path.startsWith("$[")) i = 1;
  let first = i === 0;
  while (i < path.length) {
    const c = path[i];
    if (c === "[") {
      const close = path.indexOf("]", i);
      if (close === -1) fail("unclosed '['");
      const inner = path.slice(i + 1, close);
      if (inner === "*") steps.push({ each: true });
      else if (/^\d+$/.test(inner)) steps.push({ index: Number(inner) });
      else if (/^"(?:[^"\\]|\\.)*"$/.test(inner)) steps.push({ key: JSON.parse(inner) as string });
      else if (/^'[^']*'$/.test(inner)) steps.push({ key: inner.slice(1, -1) });
      else fail(`expected [*], [n] or ["key"], got [${inner}]`);
      i = close + 1;
    } else {
      if (c === ".") {
        if (first) fail("unexpected '.'");
        i++;
      } else if (!first) fail("expected '.' or '['");
      const start = i;
      while (i < path.length && IDENT.test(path[i])) i++;
      if (i === start) fail("expected a key");
      steps.push({ key: path.slice(start, i) });
    }
    first = false;
  }
  return steps;
}

/** The values `steps` reach in `root`, or undefined when the path is absent on any branch. */
export function resolveJsonPath(root: unknown, steps: readonly PathStep[]): unknown[] | undefined {
  let values: unknown[] = [root];
  for (const step of steps) {
    const next: unknown[] = [];
    for (const v of values) {
      if ("each" in step) {
        if (!Array.isArray(v) || v.length === 0) return undefined;
        for (const element of v) next.push(element);
      } else if ("index" in step) {
        if (!Array.isArray(v) || step.index >= v.length) return undefined;
        next.push(v[step.index]);
      } else {
        if (typeof v !== "object" || v === null || Array.isArray(v) || !Object.hasOwn(v, step.key)) return undefined;
        next.push((v as Record<string, unknown>)[step.key]);
      }
    }
    values = next;
  }
  return values;
}
