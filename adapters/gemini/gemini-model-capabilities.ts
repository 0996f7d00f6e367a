/**
 * What differs between Gemini models, read from the model id (`gemini-2.5-flash`,
 * `gemini-3-pro-preview`, `publishers/google/models/gemini-2.0-flash-001`, …).
 */
function version(model: string): [major: number, minor: number] | undefined {
  const m = /(?:^|\/)gemini-(\d+)(?:\.(\d+))?/.exec(model);
  return m ? [Number(m[1]), Number(m[2] ?? 0)] : undefined;
}

/** Gemini 3 and later think in levels; 2.x models (and unknown names) take token budgets. */
export function usesThinkingLevel(model: string): boolean {
  const v = version(model);
  return v !== undefined && v[0] >= 3;
}

/** Pro models cannot switch thinking off and have no MINIMAL level. */
export function isProModel(model: string): boolean {
  return /-pro\b/.test(model);
}

/**
 * Presence and frequency penalties: Gemini 2.5 and later answer "Penalty is not enabled for
 * models/…" (400), so they are sent only to the older models that take them.
 */
export function acceptsPenalties(model: string): boolean {
  const v = version(model);
  return v !== undefined && (v[0] < 2 || (v[0] === 2 && v[1] < 5));
}
