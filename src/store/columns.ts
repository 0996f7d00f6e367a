/** Conversions between record fields and the portable column encodings (JSON text, ISO text). */

export function nowIso(): string {
  return new Date().toISOString();
}

export function toJson(value: unknown): string {
  return JSON.stringify(value);
}

export function stringMap(text: string | null): Record<string, string> {
  return text ? (JSON.parse(text) as Record<string, string>) : {};
}

export function stringList(text: string | null): string[] {
  return text ? (JSON.parse(text) as string[]) : [];
}

/** Optional columns read back as absent fields, not nulls, so records compare cleanly. */
export function opt<T>(value: T | null): T | undefined {
  return value === null ? undefined : value;
}

/** Two string maps hold the same entries (key order aside). */
export function sameStringMap(a: Record<string, string> | undefined, b: Record<string, string> | undefined): boolean {
  const ak = Object.keys(a ?? {});
  if (ak.length !== Object.keys(b ?? {}).length) return false;
  return ak.every((k) => a![k] === b?.[k]);
}

export function sameList(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  const x = a ?? [];
  const y = b ?? [];
  return x.length === y.length && x.every((v, i) => v === y[i]);
}
