import { parseJsonPath, resolveJsonPath } from "./json-path.ts";
import { compileSafeRegex } from "./safe-regex.ts";
import type { Condition, ConditionOperator } from "./types.ts";

/** A compiled condition: true when it holds for the parsed arguments or result. */
export type ConditionTest = (root: unknown) => boolean;

type StringTest = (text: string) => boolean;

function operatorTest(op: ConditionOperator, value: string): StringTest {
  switch (op) {
    case "equal":
      return (s) => s === value;
    case "notEqual":
      return (s) => s !== value;
    case "contains":
      return (s) => s.includes(value);
    case "notContains":
      return (s) => !s.includes(value);
    case "startsWith":
      return (s) => s.startsWith(value);
    case "endsWith":
      return (s) => s.endsWith(value);
    case "regex": {
      const re = compileSafeRegex(value);
      return (s) => re.test(s);
    }
  }
}

/**
 * The text a value is compared as: strings as they are, numbers and booleans as JSON writes them
 * (`equal "42"` holds for 42), objects and arrays as their JSON text (so `contains` can look
 * into a whole sub-object).
 */
function asText(v: unknown): string {
  return typeof v === "string" ? v : JSON.stringify(v);
}

/**
 * Compiles a condition (its path and, for `regex`, its pattern) once. It holds when the path is
 * present and the operator holds for every value it reaches — so an absent path never matches,
 * even for the negative operators (`notEqual`, `notContains`): a condition says something about
 * a value that is there. Throws PathSyntaxError or RegexSyntaxError for a bad condition.
 */
export function compileCondition(condition: Condition): ConditionTest {
  const steps = parseJsonPath(condition.path);
  const test = operatorTest(condition.op, condition.value);
  return (root) => {
    if (root === undefined) return false;
    const values = resolveJsonPath(root, steps);
    if (values === undefined) return false;
    for (const v of values) if (!test(asText(v))) return false;
    return true;
  };
}

/** All conditions must hold (they are ANDed). */
export function compileConditions(conditions: readonly Condition[]): ConditionTest {
  const tests = conditions.map(compileCondition);
  if (tests.length === 1) return tests[0];
  return (root) => tests.every((t) => t(root));
}
