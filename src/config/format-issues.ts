import type { z } from "zod";
import { formatPath } from "../../adapters/shared/validate.ts";

/** Zod issues as `field.path: reason` lines a person can act on. */
export function formatIssues(issues: readonly z.core.$ZodIssue[], prefix: ReadonlyArray<PropertyKey> = []): string[] {
  const lines: string[] = [];
  for (const issue of issues) {
    const path = [...prefix, ...issue.path];
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) lines.push(`${formatPath([...path, key]) || key}: unknown field`);
    } else if (issue.code === "invalid_key") {
      lines.push(...formatIssues(issue.issues, path));
    } else {
      lines.push(`${formatPath(path) || "(root)"}: ${issue.message}`);
    }
  }
  return lines;
}
