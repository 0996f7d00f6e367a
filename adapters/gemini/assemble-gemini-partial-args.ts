import type { PartialArg } from "@google/genai";
import type { JsonObject } from "../../src/canonical/extras.ts";

/**
 * Vertex streams function-call arguments as `partialArgs`: values addressed by JSON path
 * (`$.recipe.steps[2]`), strings split over several pieces (`willContinue`). This writes the
 * arguments' JSON text as the pieces arrive, so argument deltas stream like any other
 * provider's, and the text it ends with is the JSON of the arguments object, keys in the order
 * the model produced them. The model writes JSON front to back, so paths come in document order;
 * should one ever step back into a closed object, the text can no longer grow in place: deltas
 * stop and the final arguments are serialised from the values collected alongside.
 */
export class PartialArgsAssembler {
  #text = "";
  #stack: Frame[] = [];
  #openString: string | undefined;
  #broken = false;
  readonly #tree: JsonObject = {};

  /** Adds one partial argument; returns the JSON text it appends (possibly ""). */
  push(arg: PartialArg): string {
    const path = typeof arg.jsonPath === "string" ? parseJsonPath(arg.jsonPath) : undefined;
    if (!path || path.length === 0) {
      this.#broken = true;
      return "";
    }
    const value = valueOf(arg);
    setAt(this.#tree, path, value, this.#openString === arg.jsonPath);
    if (this.#broken) return "";
    const out = this.#write(arg.jsonPath!, path, value, arg.willContinue === true);
    if (out === undefined) {
      this.#broken = true;
      return "";
    }
    this.#text += out;
    return out;
  }

  /** Closes what is open; returns the closing text. */
  finish(): string {
    if (this.#broken || this.#stack.length === 0) return "";
    let out = this.#openString !== undefined ? '"' : "";
    this.#openString = undefined;
    while (this.#stack.length > 0) out += this.#stack.pop()!.array ? "]" : "}";
    this.#text += out;
    return out;
  }

  /** The whole arguments JSON ("" when no argument arrived). */
  arguments(): string {
    if (this.#broken) return JSON.stringify(this.#tree);
    return this.#text;
  }

  #write(jsonPath: string, path: Segment[], value: unknown, willContinue: boolean): string | undefined {
    let out = "";
    if (this.#openString !== undefined) {
      if (this.#openString === jsonPath && typeof value === "string") {
        out += escapeJson(value);
        if (!willContinue) {
          out += '"';
          this.#openString = undefined;
        }
        return out;
      }
      out += '"';
      this.#openString = undefined;
    }
    if (this.#stack.length === 0) {
      out += "{";
      this.#stack.push({ array: false, count: 0, keys: new Set(), last: undefined });
    }
    // Descend along the containers still open on this path, close the others.
    let depth = 0;
    while (depth < this.#stack.length - 1 && depth < path.length - 1 && this.#stack[depth].last === path[depth]) depth++;
    while (this.#stack.length - 1 > depth) out += this.#stack.pop()!.array ? "]" : "}";
    for (let k = depth; k < path.length; k++) {
      const frame = this.#stack[this.#stack.length - 1];
      const seg = path[k];
      if (frame.array !== (typeof seg === "number")) return undefined;
      if (frame.array ? seg !== frame.count : frame.keys!.has(seg as string)) return undefined;
      if (!frame.array) frame.keys!.add(seg as string);
      if (frame.count > 0) out += ",";
      frame.count++;
      frame.last = seg;
      if (!frame.array) out += JSON.stringify(seg) + ":";
      if (k < path.length - 1) {
        const array = typeof path[k + 1] === "number";
        out += array ? "[" : "{";
        this.#stack.push({ array, count: 0, keys: array ? undefined : new Set(), last: undefined });
      }
    }
    if (typeof value === "string") {
      out += '"' + escapeJson(value);
      if (willContinue) this.#openString = jsonPath;
      else out += '"';
    } else {
      out += JSON.stringify(value);
    }
    return out;
  }
}

type Segment = string | number;

interface Frame {
  array: boolean;
  count: number;
  keys: Set<string> | undefined;
  last: Segment | undefined;
}

function valueOf(arg: PartialArg): unknown {
  if (arg.stringValue !== undefined) return arg.stringValue;
  if (arg.numberValue !== undefined) return arg.numberValue;
  if (arg.boolValue !== undefined) return arg.boolValue;
  return null;
}

function escapeJson(s: string): string {
  const quoted = JSON.stringify(s);
  return quoted.slice(1, -1);
}

/** `$.a.b[0]['c d']` -> ["a", "b", 0, "c d"] (RFC 9535 normalized paths); undefined when malformed. */
export function parseJsonPath(path: string): Segment[] | undefined {
  if (!path.startsWith("$")) return undefined;
  const out: Segment[] = [];
  let i = 1;
  while (i < path.length) {
    const c = path[i];
    if (c === ".") {
      let j = i + 1;
      while (j < path.length && path[j] !== "." && path[j] !== "[") j++;
      if (j === i + 1) return undefined;
      out.push(path.slice(i + 1, j));
      i = j;
    } else if (c === "[") {
      const q = path[i + 1];
      if (q === "'" || q === '"') {
        let j = i + 2;
        let key = "";
        while (j < path.length && path[j] !== q) {
          if (path[j] === "\\" && j + 1 < path.length) j++;
          key += path[j++];
        }
        if (path[j + 1] !== "]") return undefined;
        out.push(key);
        i = j + 2;
      } else {
        const end = path.indexOf("]", i);
        const n = Number(path.slice(i + 1, end));
        if (end === -1 || !Number.isInteger(n) || n < 0) return undefined;
        out.push(n);
        i = end + 1;
      }
    } else return undefined;
  }
  return out;
}

/** Sets a value at a path in the collected tree (appending to a string that continues). */
function setAt(tree: JsonObject, path: Segment[], value: unknown, append: boolean): void {
  let node: Record<string | number, unknown> = tree;
  for (let k = 0; k < path.length - 1; k++) {
    const seg = path[k];
    let next = node[seg];
    if (typeof next !== "object" || next === null) node[seg] = next = typeof path[k + 1] === "number" ? [] : {};
    node = next as Record<string | number, unknown>;
  }
  const leaf = path[path.length - 1];
  node[leaf] = append && typeof node[leaf] === "string" && typeof value === "string" ? node[leaf] + value : value;
}
