import { PII, SECRETS, type CategoryMask, type Detector, type Finding } from "./detector.ts";
import { findLongRuns, looksRandom, shannonEntropy } from "./high-entropy.ts";
import { PII_DETECTORS } from "./pii-detectors.ts";
import { AWS_SECRET, AWS_SECRET_WINDOW, HIGH_ENTROPY, SECRET_DETECTORS } from "./secret-detectors.ts";

/**
 * One scan per text: every format-specific detector is an alternative of one regex, tried left
 * to right; at each position the first detector that matches and validates wins. A match its
 * validator rejects lets the detectors after it try the same position (a sticky regex of the
 * rest), so a 15-digit French NIR is not lost because it also looks like a card number. Then one
 * pass over long base64-like runs fills the gaps with generic high-entropy tokens.
 */
interface DetectorSet {
  detectors: readonly Detector[];
  all: RegExp;
  /** `rest[i]`: a sticky regex of the detectors after i, built on first need. */
  rest: Array<RegExp | undefined>;
  secrets: boolean;
}

const sets = new Map<CategoryMask, DetectorSet>();

function detectorSet(mask: CategoryMask): DetectorSet {
  let set = sets.get(mask);
  if (!set) {
    const detectors = [...(mask & SECRETS ? SECRET_DETECTORS : []), ...(mask & PII ? PII_DETECTORS : [])];
    set = { detectors, all: combine(detectors, "g"), rest: [], secrets: (mask & SECRETS) !== 0 };
    sets.set(mask, set);
  }
  return set;
}

const combine = (detectors: readonly Detector[], flags: string) => new RegExp(detectors.map((d) => `(${d.pattern})`).join("|"), flags);

export const NO_FINDINGS: readonly Finding[] = Object.freeze([]);

/** The shortest text any detector can match (`a@b.co`). */
const MIN_LENGTH = 6;

/** JSON string escapes (`\n`, `\"`, `\u00e9`): tool arguments and tool results are often JSON text. */
const JSON_ESCAPE = /\\(?:u[0-9a-fA-F]{4}|[nrtbf"\\/])/g;

/**
 * The text the detectors read: JSON escapes become spaces of the same length, so that a key
 * right after a `\n` still starts a word, while every offset still points into `text` (values are
 * cut from the original, escapes and all, and a replacement never splits an escape).
 */
function scanView(text: string): string {
  return text.includes("\\") ? text.replace(JSON_ESCAPE, (e) => " ".repeat(e.length)) : text;
}

/** Every secret and PII value in `text` for the categories in `mask`, in order, not overlapping. */
export function scanText(original: string, mask: CategoryMask): readonly Finding[] {
  if (mask === 0 || original.length < MIN_LENGTH) return NO_FINDINGS;
  const text = scanView(original);
  const set = detectorSet(mask);
  const re = set.all;
  re.lastIndex = 0;
  let out: Finding[] | undefined;
  let claimed: Span[] | undefined;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const found = accept(set, text, m);
    if (found === undefined) {
      re.lastIndex = m.index + 1;
      continue;
    }
    if ("claim" in found) {
      (claimed ??= []).push(found);
      re.lastIndex = found.end;
      continue;
    }
    out ??= [];
    // A value found from its anchor (an email's `@`) may reach back over what was found before.
    while (out.length > 0 && out[out.length - 1].end > found.start) out.pop();
    out.push(found);
    re.lastIndex = found.end;
  }
  re.lastIndex = 0;
  if (set.secrets) {
    out = addHighEntropy(text, out, claimed);
    if (out?.some((f) => f.detector === "aws_access_key_id")) addAwsSecrets(text, out);
  }
  if (!out) return NO_FINDINGS;
  if (text !== original) for (const f of out) f.value = original.slice(f.start, f.end);
  return out;
}

interface Span {
  start: number;
  end: number;
}

/** A span no finding may come from: a safe block, or a rejected candidate that claims its span. */
type Claim = Span & { claim: true };

/** Validates a match; on rejection the detectors after the one that matched try the same position. */
function accept(set: DetectorSet, text: string, m: RegExpExecArray): Finding | Claim | undefined {
  let offset = 0;
  for (;;) {
    let i = 1;
    while (m[i] === undefined) i++;
    const index = offset + i - 1;
    const d = set.detectors[index];
    if (d.safe) return { claim: true, start: m.index, end: m.index + m[0].length };
    const verdict = d.validate ? d.validate(m[0]) : true;
    if (!verdict && d.rejectClaims) return { claim: true, start: m.index, end: m.index + m[0].length };
    if (verdict) {
      const start = d.expandLeft ? d.expandLeft(text, m.index) : m.index;
      const end = m.index + (verdict === true ? m[0].length : verdict);
      return { detector: d.name, category: d.category, kind: d.kind, start, end, value: text.slice(start, end) };
    }
    if (index + 1 >= set.detectors.length) return undefined;
    const rest = (set.rest[index] ??= combine(set.detectors.slice(index + 1), "y"));
    rest.lastIndex = m.index;
    const next = rest.exec(text);
    rest.lastIndex = 0;
    if (!next) return undefined;
    m = next;
    offset = index + 1;
  }
}

/** Random-looking runs that no specific detector claimed (see high-entropy.ts). */
function addHighEntropy(text: string, findings: Finding[] | undefined, claimed: Span[] | undefined): Finding[] | undefined {
  let merged: Finding[] | undefined;
  const overlaps = (s: Span, start: number, end: number) => s.start < end && start < s.end;
  findLongRuns(text, (start, end) => {
    if (findings?.some((f) => overlaps(f, start, end)) || claimed?.some((c) => overlaps(c, start, end))) return;
    const value = text.slice(start, end);
    if (looksRandom(value)) (merged ??= []).push({ ...HIGH_ENTROPY, start, end, value });
  });
  if (!merged) return findings;
  return findings ? [...findings, ...merged].sort((a, b) => a.start - b.start) : merged;
}

/** An AWS secret access key is 40 base64 characters: taken as one only near its access key id. */
function addAwsSecrets(text: string, findings: Finding[]): void {
  const ids = findings.filter((f) => f.detector === "aws_access_key_id");
  for (const id of ids) {
    AWS_SECRET.lastIndex = Math.max(0, id.start - AWS_SECRET_WINDOW);
    const to = id.end + AWS_SECRET_WINDOW;
    for (let m = AWS_SECRET.exec(text); m !== null && m.index < to; m = AWS_SECRET.exec(text)) {
      const value = m[0];
      if (!/\d/.test(value) || !/[A-Za-z]/.test(value) || shannonEntropy(value) < 3.5) continue;
      const start = m.index;
      const end = start + value.length;
      const same = findings.findIndex((f) => f.start === start && f.end === end);
      if (same >= 0) findings[same] = { ...findings[same], detector: "aws_secret_access_key" };
      else if (!findings.some((f) => f.start < end && start < f.end)) {
        findings.push({ detector: "aws_secret_access_key", category: "secrets", kind: "SECRET", start, end, value });
      }
    }
  }
  AWS_SECRET.lastIndex = 0;
  findings.sort((a, b) => a.start - b.start);
}
