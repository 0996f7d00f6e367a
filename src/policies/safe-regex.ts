import { RE2JS } from "re2js";

/**
 * Admin-written patterns run on tool arguments and results that a model or a web page wrote, so
 * a pattern must not be able to hang the process: they are compiled with RE2JS (a port of RE2),
 * whose matching time is linear in the input whatever the pattern — `(a+)+$` included. The
 * syntax is RE2's (Perl-like, no backreferences or lookarounds); `(?i)` makes a pattern
 * case-insensitive. A pattern matches when it is found anywhere in the value (anchor it with
 * `^…$` to match the whole).
 */
export interface SafeRegex {
  readonly source: string;
  test(text: string): boolean;
}

export class RegexSyntaxError extends Error {}

/** Compiles once; throws RegexSyntaxError with RE2's reason for a pattern it refuses. */
export function compileSafeRegex(pattern: string): SafeRegex {
  let re: RE2JS;
  try {
    re = RE2JS.compile(pattern);
  } catch (err) {
    throw new RegexSyntaxError(`invalid regular expression: ${(err as Error).message}`);
  }
  return { source: pattern, test: (text) => re.test(text) };
}
