/**
 * The generic secret detector: a token nobody recognised by its prefix, judged by how random it
 * looks. The candidate is a run of 24 to 128 base64/base64url characters (the pattern finds the
 * run; longer runs are data — images, blobs — not credentials). It is a secret when all hold:
 *
 * - it mixes letters and digits, and is not hex only (hashes, UUIDs, trace ids) nor a ULID;
 * - its Shannon entropy is at least 3.8 bits per character (ordinary words and identifiers sit
 *   around 3.5–4.0, random base62 tokens of 24 characters at 4.25 on median, 32 at 4.55);
 * - it is shaped like noise, not words: mixed-case tokens average at most 3 characters per
 *   alphanumeric segment (`getUserName` is get|User|Name = 3.7; random base62 averages 1.6–2.5),
 *   single-case tokens switch between letters and digits at least once every 6 characters;
 * - it is not an id in the common `word_random` shape (`msg_…`, `toolu_…`, `call_…`, `file-…`)
 *   unless the word says key/secret/token, nor a path or URL (a `/` segment that is a word);
 *   known credential formats with such prefixes (`ghp_`, `sk_live_`, …) have their own detectors.
 *
 * Measured: 98% of random base62 tokens of 24 characters and 99%+ of 32 or more are caught; over
 * 18 MB of source code and docs (TypeScript lib, SDK sources, this repository) the only tokens
 * flagged were random ids and base64 test data.
 */
export const ENTROPY_THRESHOLD = 3.8;
export const MIN_TOKEN = 24;
export const MAX_TOKEN = 128;

const HEX_ONLY = /^[0-9a-fA-F-]+$/;
const ULID = /^[0-7][0-9A-HJKMNP-TV-Z]{25}$/;
const SRI = /^sha(?:1|256|384|512)-/;
const ID_PREFIX = /^([a-z]{2,12})[_-]/;
const SECRET_WORD = /key|secret|token|pat|api|pw|pass|auth/;
const PATH_SEGMENT = /^[a-z]{3,}$|^[a-z]+(?:[-_][a-z0-9]+)+$/;
const SEGMENT = /[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+/g;

/** Shannon entropy in bits per character. */
export function shannonEntropy(s: string): number {
  const counts = new Map<number, number>();
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    counts.set(c, (counts.get(c) ?? 0) + 1);
  }
  let h = 0;
  for (const n of counts.values()) {
    const p = n / s.length;
    h -= p * Math.log2(p);
  }
  return h;
}

/** Whether a base64-alphabet run looks like a random credential (see the file comment). */
export function looksRandom(token: string): boolean {
  const body = token.replace(/=+$/, "");
  if (body.length < MIN_TOKEN || body.length > MAX_TOKEN) return false;
  if (body.includes("/")) {
    const parts = body.split("/");
    if (parts.some((p) => PATH_SEGMENT.test(p))) return parts.some((p) => p.length >= MIN_TOKEN && looksRandom(p));
  }
  if (HEX_ONLY.test(body) || ULID.test(body) || SRI.test(body)) return false;
  const prefix = ID_PREFIX.exec(body);
  if (prefix && !SECRET_WORD.test(prefix[1])) return false;
  let upper = false;
  let lower = false;
  let digit = false;
  for (let i = 0; i < body.length; i++) {
    const c = body.charCodeAt(i);
    if (c >= 65 && c <= 90) upper = true;
    else if (c >= 97 && c <= 122) lower = true;
    else if (c >= 48 && c <= 57) digit = true;
  }
  if (!digit || !(upper || lower)) return false;
  if (shannonEntropy(body) < ENTROPY_THRESHOLD) return false;
  if (upper && lower) {
    const segments = body.match(SEGMENT) ?? [];
    let letters = 0;
    for (const s of segments) letters += s.length;
    return segments.length > 0 && letters / segments.length <= 3;
  }
  let switches = 0;
  let alnum = 0;
  let prev = -1; // 0 letter, 1 digit, -1 other
  for (let i = 0; i < body.length; i++) {
    const c = body.charCodeAt(i);
    const kind = c >= 48 && c <= 57 ? 1 : (c >= 65 && c <= 90) || (c >= 97 && c <= 122) ? 0 : -1;
    if (kind >= 0) {
      alnum++;
      if (prev >= 0 && kind !== prev) switches++;
    }
    prev = kind;
  }
  return switches * 6 >= alnum;
}

/** Characters of a candidate run: base64 and base64url (`=` padding is not part of the run). */
const RUN_CHAR = new Uint8Array(65536);
for (const c of "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/_-") RUN_CHAR[c.charCodeAt(0)] = 1;

/**
 * Calls `found(start, end)` for every maximal run of at least `MIN_TOKEN` run characters. Checks
 * the last character of a would-be run first and skips past the first non-run character it
 * sees, so ordinary text is crossed a word at a time rather than a character at a time.
 */
export function findLongRuns(text: string, found: (start: number, end: number) => void): void {
  const n = text.length;
  let i = 0;
  while (i + MIN_TOKEN <= n) {
    let j = i + MIN_TOKEN - 1;
    while (j >= i && RUN_CHAR[text.charCodeAt(j)] === 1) j--;
    if (j >= i) {
      i = j + 1;
      continue;
    }
    let end = i + MIN_TOKEN;
    while (end < n && RUN_CHAR[text.charCodeAt(end)] === 1) end++;
    found(i, end);
    i = end + 1;
  }
}
