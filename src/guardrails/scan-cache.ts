import type { CategoryMask, Finding } from "./detector.ts";
import { NO_FINDINGS, scanText } from "./scan-text.ts";

/**
 * Agents resend the whole conversation every turn, so most texts a request holds were scanned on
 * an earlier turn. Texts found clean are remembered — the string itself is the key (V8 compares
 * equal strings with memcmp, and hashes long strings by length only, so a 100 KB lookup costs
 * microseconds, far less than a crypto hash) — bounded by entries and total characters, least
 * recently used out first (by default 20,000 texts and 8 million characters: at most ~16 MB).
 * Texts with findings are not kept: the cache never holds a secret.
 */
export class CleanTextCache {
  private readonly clean = new Map<string, CategoryMask>();
  private chars = 0;
  private readonly maxEntries: number;
  private readonly maxChars: number;
  /** Shorter texts are scanned each time: cheaper than the bookkeeping. */
  private readonly minLength: number;

  constructor(options: { maxEntries?: number; maxChars?: number; minLength?: number } = {}) {
    this.maxEntries = options.maxEntries ?? 20_000;
    this.maxChars = options.maxChars ?? 8_000_000;
    this.minLength = options.minLength ?? 64;
  }

  /** The findings in `text` for `mask`, from memory when it was found clean before. */
  scan(text: string, mask: CategoryMask): readonly Finding[] {
    if (text.length < this.minLength || text.length > this.maxChars) return scanText(text, mask);
    const known = this.clean.get(text);
    if (known !== undefined && (known & mask) === mask) {
      // Refresh: Map order is insertion order, so the oldest entry is the least recently used.
      this.clean.delete(text);
      this.clean.set(text, known);
      return NO_FINDINGS;
    }
    const findings = scanText(text, mask);
    if (findings.length === 0) this.remember(text, (known ?? 0) | mask);
    return findings;
  }

  get size(): number {
    return this.clean.size;
  }

  private remember(text: string, mask: CategoryMask): void {
    if (!this.clean.has(text)) this.chars += text.length;
    this.clean.delete(text);
    this.clean.set(text, mask);
    while (this.clean.size > this.maxEntries || this.chars > this.maxChars) {
      const oldest = this.clean.keys().next().value as string;
      this.clean.delete(oldest);
      this.chars -= oldest.length;
    }
  }
}

/** The process-wide cache the guardrail stage uses. */
export const cleanTexts = new CleanTextCache();
