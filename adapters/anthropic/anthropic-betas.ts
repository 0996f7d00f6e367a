/** Joins `anthropic-beta` lists (comma-separated header values), dropping duplicates and blanks. */
export function mergeBetas(...lists: Array<string | readonly string[] | undefined>): string {
  const out = new Set<string>();
  for (const list of lists) {
    if (list === undefined) continue;
    for (const b of typeof list === "string" ? list.split(",") : list) {
      const v = b.trim();
      if (v) out.add(v);
    }
  }
  return [...out].join(",");
}
