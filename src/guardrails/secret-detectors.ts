import type { Detector } from "./detector.ts";

/** Not inside a longer word: credentials start after a separator, a quote or `=`. */
const START = String.raw`(?<![A-Za-z0-9])`;
const hasDigitAndLetter = (v: string) => /\d/.test(v) && /[A-Za-z]/.test(v);

/**
 * A PEM private key, also JSON-escaped (`\n`) as it appears inside tool arguments. An unterminated
 * one (a stream still arriving, a truncated paste) is matched up to where its body stops, so a
 * key is redacted before its END line shows.
 */
const PEM_BODY = String.raw`(?:[A-Za-z0-9+/=:,. \t\r\n-]|\\[rnt])`;
const PEM_LABEL = String.raw`[A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----`;
const PRIVATE_KEY = String.raw`-----BEGIN${PEM_LABEL}${PEM_BODY}*?(?:-----END${PEM_LABEL}|(?!${PEM_BODY}))`;

/** Public keys and certificates, likewise whole or up to where their body stops (never a search for an END that is not there). */
const PUBLIC_PEM = String.raw`-----BEGIN (?:[A-Z0-9 ]{0,20}PUBLIC KEY|CERTIFICATE(?: REQUEST)?|X509 CRL)-----${PEM_BODY}*?(?:-----END[A-Z0-9 ]{0,40}-----|(?!${PEM_BODY}))`;

/**
 * Credentials recognised by their format, most specific first (at one position the first
 * detector that matches and validates wins). Minimum lengths are kept low so that a streamed key
 * is recognised from its first few dozen characters (see GUARDRAIL_LOOKAHEAD).
 */
export const SECRET_DETECTORS: readonly Detector[] = [
  { name: "private_key", category: "secrets", kind: "SECRET", pattern: PRIVATE_KEY },
  // Public keys and certificates are meant to be shared; their base64 must not read as a token.
  { name: "public_pem", category: "secrets", kind: "SECRET", pattern: PUBLIC_PEM, safe: true },
  { name: "anthropic_api_key", category: "secrets", kind: "SECRET", pattern: String.raw`${START}sk-ant-[A-Za-z0-9]{2,12}-[A-Za-z0-9_-]{16,}` },
  {
    name: "openai_api_key",
    category: "secrets",
    kind: "SECRET",
    pattern: String.raw`${START}sk-(?:proj-|svcacct-|admin-|None-)?[A-Za-z0-9_-]{20,}`,
    validate: hasDigitAndLetter,
    // The run is maximal: a later `sk-` inside it would fail the same way (and scanning each would be quadratic).
    rejectClaims: true,
  },
  { name: "google_api_key", category: "secrets", kind: "SECRET", pattern: String.raw`${START}AIza[0-9A-Za-z_-]{35}` },
  { name: "google_oauth_token", category: "secrets", kind: "SECRET", pattern: String.raw`${START}ya29\.[A-Za-z0-9_-]{20,}` },
  {
    name: "aws_access_key_id",
    category: "secrets",
    kind: "SECRET",
    pattern: String.raw`${START}(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|APKA)[A-Z0-9]{16}(?![A-Za-z0-9])`,
  },
  { name: "github_token", category: "secrets", kind: "SECRET", pattern: String.raw`${START}(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{22,})` },
  { name: "gitlab_token", category: "secrets", kind: "SECRET", pattern: String.raw`${START}glpat-[A-Za-z0-9_-]{20,}` },
  { name: "slack_token", category: "secrets", kind: "SECRET", pattern: String.raw`${START}xox[abposre]-[A-Za-z0-9-]{10,}`, validate: (v) => /\d/.test(v), rejectClaims: true },
  { name: "slack_webhook", category: "secrets", kind: "SECRET", pattern: String.raw`https://hooks\.slack\.com/(?:services|workflows|triggers)/[A-Za-z0-9/_-]{20,}` },
  { name: "stripe_key", category: "secrets", kind: "SECRET", pattern: String.raw`${START}(?:(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,}|whsec_[A-Za-z0-9]{24,})` },
  { name: "npm_token", category: "secrets", kind: "SECRET", pattern: String.raw`${START}npm_[A-Za-z0-9]{36}` },
  { name: "huggingface_token", category: "secrets", kind: "SECRET", pattern: String.raw`${START}hf_[A-Za-z0-9]{30,}` },
  { name: "sendgrid_api_key", category: "secrets", kind: "SECRET", pattern: String.raw`${START}SG\.[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{16,}` },
  { name: "groq_api_key", category: "secrets", kind: "SECRET", pattern: String.raw`${START}gsk_[A-Za-z0-9]{40,}` },
  { name: "xai_api_key", category: "secrets", kind: "SECRET", pattern: String.raw`${START}xai-[A-Za-z0-9]{40,}` },
  { name: "digitalocean_token", category: "secrets", kind: "SECRET", pattern: String.raw`${START}do[opr]_v1_[a-f0-9]{64}` },
  { name: "shopify_token", category: "secrets", kind: "SECRET", pattern: String.raw`${START}shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}` },
  // header.payload[.signature], both JSON objects in base64url: `{"` is `eyJ`.
  { name: "jwt", category: "secrets", kind: "SECRET", pattern: String.raw`(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{5,}(?:\.[A-Za-z0-9_-]+)?` },
];

/**
 * The generic detector is not part of the combined regex: a regex tries a 24-character run at
 * every position (about 12 ns a character); `findLongRuns` skips through text a run length at a
 * time instead. It fills the gaps the format-specific detectors left.
 */
export const HIGH_ENTROPY = { detector: "high_entropy_token", category: "secrets", kind: "SECRET" } as const;

/** An AWS secret access key: 40 base64 characters, recognisable only next to its access key id. */
export const AWS_SECRET = /(?<![A-Za-z0-9+/=])[A-Za-z0-9+/]{40}(?![A-Za-z0-9+/=])/g;
/** How far from an access key id its secret is looked for, in characters either side. */
export const AWS_SECRET_WINDOW = 256;
