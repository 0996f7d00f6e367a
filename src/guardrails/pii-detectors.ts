import type { Detector } from "./detector.ts";
import { ibanLength } from "./iban.ts";
import { digitsOf, luhnValid } from "./luhn.ts";
import { validAadhaar, validBrazilCpf, validCanadaSin, validFrenchNir, validSpanishId, validUkNino, validUsSsn } from "./national-ids.ts";

/** Numbers stand alone: not glued to other digits, a decimal point or a word. */
const NUM_START = String.raw`(?<![A-Za-z0-9.,+/-])`;
const NUM_END = String.raw`(?![0-9])`;

/** Issuer prefixes of the card networks (Visa, Mastercard, Amex, Discover, JCB, Diners, UnionPay, Maestro). */
const CARD_IIN = /^(?:4|5[0-8]|2[2-7]|3[0-8]|6[0-9])/;

/** How card numbers are printed: 4-4-4-4, Amex 4-6-5, Diners 4-6-4, 19 digits 4-4-4-4-3, 13 digits 4-4-5. */
const CARD_GROUPS = new Set(["4,4,4,4", "4,6,5", "4,6,4", "4,4,4,4,3", "4,4,5"]);

/** 13–19 digits, Luhn-valid, a known issuer prefix, written whole or in a card's groups, not one repeated digit. */
function validCard(value: string): boolean {
  const d = digitsOf(value);
  if (d.length < 13 || d.length > 19 || !CARD_IIN.test(d) || /^(\d)\1+$/.test(d)) return false;
  if (d.length !== value.length && !CARD_GROUPS.has(value.split(/[ -]/).map((g) => g.length).join(","))) return false;
  return luhnValid(d);
}

/** E.164 allows at most 15 digits; national numbers here have 9 to 12 (US 10). */
function validPhone(value: string): boolean {
  const n = digitsOf(value).length;
  const international = value.startsWith("+");
  if (/^\+?(\d)\1+$/.test(digitsOf(value))) return false;
  return international ? n >= 8 && n <= 15 : n >= 9 && n <= 12;
}

const EMAIL_LOCAL = /[A-Za-z0-9._%+-]/;

/** Where the local part before the `@` at `at` begins (at most 64 characters back). */
function emailLocalPartStart(text: string, at: number): number {
  let start = at;
  while (start > 0 && at - start < 64 && EMAIL_LOCAL.test(text[start - 1])) start--;
  return start;
}

const PHONE = [
  // International: +CC then groups each opened by a separator or a parenthesis (no ambiguous splits).
  String.raw`\+[1-9]\d{0,3}(?:[ .-]?\(\d{1,5}\)|[ .-]\d{1,8}){1,6}`,
  String.raw`\+[1-9]\d{6,14}`,
  // (555) 123-4567, (030) 1234 5678
  String.raw`\(\d{2,5}\) ?\d{3,4}[ .-]?\d{3,4}`,
  // 555-123-4567, 555.123.4567, 555 123 4567
  String.raw`[2-9]\d{2}[ .-]\d{3}[ .-]\d{4}`,
  // National numbers with a trunk 0: 020 7946 0958, 06 12 34 56 78, 030 12345678, 07700 900123, 0612345678
  String.raw`0\d{1,4}(?:[ -]\d{2,8}){1,4}`,
  String.raw`0[1-9]\d{8,9}`,
].join("|");

/**
 * Personal data. Formats with a checksum are validated by it; formats without one (phone
 * numbers, emails, UK NINO) by their structure. Order matters where patterns overlap: the most
 * specific comes first, and a candidate that fails validation lets the next detector try.
 */
export const PII_DETECTORS: readonly Detector[] = [
  {
    name: "email",
    category: "pii",
    kind: "EMAIL",
    // Anchored at the `@` (rare in text, so cheap to find); the local part is taken by `expandLeft`.
    pattern: String.raw`(?<=[A-Za-z0-9._%+-])@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}(?![A-Za-z0-9-])`,
    expandLeft: emailLocalPartStart,
  },
  {
    name: "iban",
    category: "pii",
    kind: "IBAN",
    pattern: String.raw`(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?`,
    validate: ibanLength,
    rejectClaims: true,
  },
  {
    name: "uk_nino",
    category: "pii",
    kind: "NATIONAL_ID",
    pattern: String.raw`(?<![A-Za-z0-9])[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?\d{2} ?\d{2} ?\d{2} ?[A-D](?![A-Za-z0-9])`,
    validate: validUkNino,
  },
  {
    name: "es_dni",
    category: "pii",
    kind: "NATIONAL_ID",
    pattern: String.raw`(?<![A-Za-z0-9])(?:\d{8}|[XYZ]-?\d{7})-?[A-HJ-NP-TV-Z](?![A-Za-z0-9])`,
    validate: validSpanishId,
  },
  { name: "br_cpf", category: "pii", kind: "NATIONAL_ID", pattern: String.raw`${NUM_START}\d{3}\.\d{3}\.\d{3}-\d{2}${NUM_END}`, validate: validBrazilCpf },
  {
    name: "fr_nir",
    category: "pii",
    kind: "NATIONAL_ID",
    pattern: String.raw`${NUM_START}[12] ?\d{2} ?(?:0[1-9]|1[0-2]|[2-9]\d) ?(?:\d{2}|2[AB]) ?\d{3} ?\d{3} ?\d{2}${NUM_END}`,
    validate: validFrenchNir,
  },
  { name: "credit_card", category: "pii", kind: "CREDIT_CARD", pattern: String.raw`${NUM_START}(?=[2-6])(?:\d[ -]?){12,18}\d${NUM_END}`, validate: validCard },
  { name: "us_ssn", category: "pii", kind: "NATIONAL_ID", pattern: String.raw`${NUM_START}\d{3}-\d{2}-\d{4}(?![0-9-])`, validate: validUsSsn },
  { name: "ca_sin", category: "pii", kind: "NATIONAL_ID", pattern: String.raw`${NUM_START}\d{3}[ -]\d{3}[ -]\d{3}${NUM_END}`, validate: validCanadaSin },
  { name: "in_aadhaar", category: "pii", kind: "NATIONAL_ID", pattern: String.raw`${NUM_START}[2-9]\d{3} \d{4} \d{4}${NUM_END}`, validate: validAadhaar },
  { name: "phone", category: "pii", kind: "PHONE", pattern: String.raw`(?<![A-Za-z0-9.,+/-])(?:${PHONE})${NUM_END}`, validate: validPhone },
];
