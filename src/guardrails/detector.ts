/** What the guardrail settings switch on and off together. */
export type GuardrailCategory = "secrets" | "pii";

/** The type a placeholder names: `[SECRET_1]`, `[EMAIL_2]`. */
export type PlaceholderKind = "SECRET" | "EMAIL" | "PHONE" | "CREDIT_CARD" | "IBAN" | "NATIONAL_ID";

export interface Detector {
  /** Recorded in decisions (`openai_api_key`, `email`); never the value itself. */
  name: string;
  category: GuardrailCategory;
  kind: PlaceholderKind;
  /** Regex source, case-sensitive, with no capturing groups (the combined scan numbers them). */
  pattern: string;
  /** Accepts the match (true), a prefix of it (its length), or rejects it (false or 0). */
  validate?: (value: string) => boolean | number;
  /** A known-harmless block (a public key, a certificate): not a finding, and nothing inside it is. */
  safe?: boolean;
  /** A candidate the validator rejects still claims its span (a mistyped IBAN is not a phone number). */
  rejectClaims?: boolean;
  /** Where the value really starts, for a pattern anchored after its start (an email at its `@`). */
  expandLeft?: (text: string, matchStart: number) => number;
}

export interface Finding {
  detector: string;
  category: GuardrailCategory;
  kind: PlaceholderKind;
  start: number;
  end: number;
  value: string;
}

/** Bit set of categories: scans, caches and settings speak in masks. */
export type CategoryMask = number;
export const SECRETS: CategoryMask = 1;
export const PII: CategoryMask = 2;

export const maskOf = (category: GuardrailCategory): CategoryMask => (category === "secrets" ? SECRETS : PII);
