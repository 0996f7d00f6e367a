import type { Finding, PlaceholderKind } from "./detector.ts";

/** Any placeholder the guardrails write (`[SECRET_1]`, `[CREDIT_CARD_12]`). */
export const PLACEHOLDER = /\[(?:SECRET|EMAIL|PHONE|CREDIT_CARD|IBAN|NATIONAL_ID)_\d{1,6}\]/g;

/**
 * The placeholders of one interaction: each distinct value gets `[KIND_n]`, numbered per kind in
 * order of first appearance in the request. Agents resend the conversation, and the numbering
 * follows the text, so a value keeps its placeholder from turn to turn (and the provider's
 * prompt cache keeps working).
 */
export class PlaceholderBook {
  private readonly byValue = new Map<string, string>();
  private readonly byPlaceholder = new Map<string, string>();
  private readonly counts = new Map<PlaceholderKind, number>();
  /** Placeholders that stood in for a value in the request sent upstream: only these are restored. */
  private readonly replaced = new Set<string>();

  placeholderFor(value: string, kind: PlaceholderKind): string {
    let placeholder = this.byValue.get(value);
    if (placeholder === undefined) {
      const n = (this.counts.get(kind) ?? 0) + 1;
      this.counts.set(kind, n);
      placeholder = `[${kind}_${n}]`;
      this.byValue.set(value, placeholder);
      this.byPlaceholder.set(placeholder, value);
    }
    return placeholder;
  }

  placeholderOf(value: string): string | undefined {
    return this.byValue.get(value);
  }

  markReplaced(placeholder: string): void {
    this.replaced.add(placeholder);
  }

  /** The original value of a placeholder that was sent upstream in its place. */
  restorable(placeholder: string): string | undefined {
    return this.replaced.has(placeholder) ? this.byPlaceholder.get(placeholder) : undefined;
  }

  get hasReplaced(): boolean {
    return this.replaced.size > 0;
  }

  /** value -> placeholder, for every value seen. */
  entries(): IterableIterator<[string, string]> {
    return this.byValue.entries();
  }
}

export interface Edit {
  start: number;
  end: number;
  text: string;
}

/** `text` with non-overlapping edits applied (sorted here); the same string when there are none. */
export function applyEdits(text: string, edits: Edit[]): string {
  if (edits.length === 0) return text;
  edits.sort((a, b) => a.start - b.start);
  let out = "";
  let at = 0;
  for (const e of edits) {
    if (e.start < at) continue;
    out += text.slice(at, e.start) + e.text;
    at = e.end;
  }
  return out + text.slice(at);
}

/** Edits replacing each finding by what `replacement` returns (undefined: leave it). */
export function findingEdits(findings: readonly Finding[], replacement: (f: Finding) => string | undefined): Edit[] {
  const edits: Edit[] = [];
  for (const f of findings) {
    const text = replacement(f);
    if (text !== undefined) edits.push({ start: f.start, end: f.end, text });
  }
  return edits;
}
