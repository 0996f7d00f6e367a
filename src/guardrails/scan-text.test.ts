import { test } from "node:test";
import assert from "node:assert/strict";
import { PII, SECRETS } from "./detector.ts";
import { scanText } from "./scan-text.ts";

const ALL = SECRETS | PII;
const found = (text: string, mask = ALL) => scanText(text, mask).map((f) => [f.detector, f.value]);
/** The one value `text` holds, by detector. */
const only = (text: string, mask = ALL) => {
  const f = scanText(text, mask);
  assert.equal(f.length, 1, `expected one finding in ${JSON.stringify(text)}, got ${JSON.stringify(found(text, mask))}`);
  return [f[0].detector, f[0].value];
};

const SECRETS_SEEN: Array<[string, string]> = [
  ["openai_api_key", "sk-proj-Ab3dEf6hIj9kLmN0pQrStUvWxYz1234567890abcdT3BlbkFJ"],
  ["openai_api_key", "sk-7fK2pQ9xL4mN8vB3cD1gH6jR5tY0wZ2aS4dF6gH8jK0lQ1wE"],
  ["openai_api_key", "sk-svcacct-Zx81Qp0LmN7vB2cD9kR4sT6wYh3Jf5Gd"],
  ["anthropic_api_key", "sk-ant-api03-Xb7Kq2Lm9Np4Rs6Tv8Wx0Yz1Ab3Cd5Ef7Gh9Ij2Kl4Mn6Op8Qr0St2Uv4Wx6Yz8A-bCdEfAA"],
  ["google_api_key", "AIzaSyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY"],
  ["google_oauth_token", "ya29.a0AfH6SMBx3k9Lq2Zp7Wv4Nr1Ty8Uo5Ie"],
  ["aws_access_key_id", "AKIAIOSFODNN7EXAMPLE"],
  ["github_token", "ghp_1234567890abcdefghijklmnopqrstuvwxyzAB"],
  ["github_token", "github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789abcd"],
  ["gitlab_token", "glpat-Xb7Kq2Lm9Np4Rs6Tv8Wx"],
  ["slack_token", "xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx"],
  ["slack_webhook", "https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX"],
  ["stripe_key", "sk_live_51Hx7kLm2Np4Qr6St8Uv0Wx"],
  ["stripe_key", "rk_test_4eC39HqLyjWDarjtT1zdp7dc"],
  ["npm_token", "npm_Xb7Kq2Lm9Np4Rs6Tv8Wx0Yz1Ab3Cd5Ef7Gh9"],
  ["huggingface_token", "hf_Xb7Kq2Lm9Np4Rs6Tv8Wx0Yz1Ab3Cd5Ef7"],
  ["sendgrid_api_key", "SG.Xb7Kq2Lm9Np4Rs6Tv8Wx0Y.z1Ab3Cd5Ef7Gh9Ij2Kl4Mn6Op8Qr0St2Uv4Wx6Yz8A0b"],
  ["groq_api_key", "gsk_Xb7Kq2Lm9Np4Rs6Tv8Wx0Yz1Ab3Cd5Ef7Gh9Ij2Kl4Mn6Op8Qr0St"],
  ["xai_api_key", "xai-Xb7Kq2Lm9Np4Rs6Tv8Wx0Yz1Ab3Cd5Ef7Gh9Ij2Kl4Mn6Op8Qr0St2Uv4Wx6Yz8A0bCd"],
  ["jwt", "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"],
  ["high_entropy_token", "PJ8xK2mN9qR4sT7vW1yZ3bC6dF0gH5jL"],
];

test("secrets: each format is found by its own detector, in prose, after `=`, in quotes and in JSON", () => {
  for (const [detector, value] of SECRETS_SEEN) {
    assert.deepEqual(only(`here is the value ${value} for you`), [detector, value]);
    assert.deepEqual(only(`TOKEN=${value}`), [detector, value]);
    assert.deepEqual(only(`{"auth":"${value}"}`), [detector, value]);
  }
});

test("secrets: an AWS secret access key is found next to its access key id, not on its own", () => {
  const pair = "aws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
  assert.deepEqual(found(pair), [
    ["aws_access_key_id", "AKIAIOSFODNN7EXAMPLE"],
    ["aws_secret_access_key", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"],
  ]);
  assert.deepEqual(found("the value wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY alone"), [], "40 base64 characters alone are not evidence");
  const far = `AKIAIOSFODNN7EXAMPLE ${"lorem ipsum ".repeat(40)} wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY`;
  assert.deepEqual(found(far).map((f) => f[0]), ["aws_access_key_id"]);
});

test("secrets: PEM private keys — whole, JSON-escaped, and still arriving (no END line yet)", () => {
  const pem = "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAx4Xb7Kq2Lm9Np4Rs6Tv8Wx0Yz1Ab3Cd5\nProc-Type: 4,ENCRYPTED\nAb3Cd5Ef7Gh9==\n-----END RSA PRIVATE KEY-----";
  assert.deepEqual(found(`key:\n${pem}\nthanks`), [["private_key", pem]]);
  const escaped = JSON.stringify(pem).slice(1, -1);
  assert.deepEqual(found(`{"key":"${escaped}","n":1}`), [["private_key", escaped]]);
  const open = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ";
  assert.deepEqual(found(open), [["private_key", open]]);
  const publicKey = "-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEx4Xb7Kq2Lm9Np4Rs6Tv8Wx0Yz1Ab3Cd5\n-----END PUBLIC KEY-----";
  assert.deepEqual(found(`${publicKey}\nand a CERTIFICATE too`), [], "a public key is meant to be shared");
  assert.deepEqual(found(`${publicKey}\n${pem}`).map((f) => f[0]), ["private_key"]);
});

test("secrets: a key right after a JSON `\\n` escape is found, and the escape is not part of it", () => {
  const text = String.raw`{"output":"line one\nsk-proj-Ab3dEf6hIj9kLmN0pQrStUvWxYz1234567890abcd\tdone"}`;
  assert.deepEqual(found(text), [["openai_api_key", "sk-proj-Ab3dEf6hIj9kLmN0pQrStUvWxYz1234567890abcd"]]);
});

test("secrets: no false positives on prose, code, ids, hashes, UUIDs, URLs and look-alikes", () => {
  const text = [
    "The quick brown fox jumps over the lazy dog. Internationalization and localization matter.",
    "function convertToAnthropicMessagesPrompt(messages: CanonicalMessage[]): AnthropicMessagesPrompt {}",
    "const handleUserAuthenticationRequest2 = async () => await fetch('/api/v1/users/profile');",
    "commit 3f786850e387550fdab836ed7e6dc881de23001b, sha256 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
    "request id 550e8400-e29b-41d4-a716-446655440000, ulid 01ARZ3NDEKTSV4RRFFQ69G5FAV, message msg_01VdEjxAP5ahtHKrrRdNBteQ",
    "see https://github.com/anthropics/anthropic-sdk-typescript/commit/1fd826175b5742df1dc9fd69db708be14 for details",
    "integrity sha512-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU8aTxmK1pQ== in package-lock.json",
    "path /usr/local/lib/python3.11/site-packages/requests/adapters.py and node_modules/@anthropic-ai/sdk",
    "sk-learn is a library; sk-this-is-not-a-real-key-at-all; the word skeleton-key-holder-for-doors",
    "the tool call toolu_01LRmxn9vGM1d2DZSDBowdZ1 and call_YunNGbIwdVJ2i0y0Mybva4Pw returned",
  ].join("\n");
  assert.deepEqual(found(text, SECRETS), []);
});

const PII_SEEN: Array<[string, string]> = [
  ["email", "jane.doe+work@example.co.uk"],
  ["email", "x_y%z@sub-domain.example.io"],
  ["phone", "+1 (415) 555-2671"],
  ["phone", "+44 20 7946 0958"],
  ["phone", "+33 6 12 34 56 78"],
  ["phone", "+49-30-12345678"],
  ["phone", "+14155552671"],
  ["phone", "(415) 555-2671"],
  ["phone", "415-555-2671"],
  ["phone", "415.555.2671"],
  ["phone", "020 7946 0958"],
  ["phone", "06 12 34 56 78"],
  ["phone", "07700 900123"],
  ["phone", "0612345678"],
  ["credit_card", "4111 1111 1111 1111"],
  ["credit_card", "5555-5555-5555-4444"],
  ["credit_card", "378282246310005"],
  ["credit_card", "6011111111111117"],
  ["iban", "DE89 3704 0044 0532 0130 00"],
  ["iban", "GB82WEST12345698765432"],
  ["iban", "FR1420041010050500013M02606"],
  ["us_ssn", "123-45-6789"],
  ["uk_nino", "AB 12 34 56 C"],
  ["uk_nino", "AB123456C"],
  ["es_dni", "12345678Z"],
  ["es_dni", "X1234567L"],
  ["br_cpf", "529.982.247-25"],
  ["fr_nir", "1 84 12 76 451 089 46"],
  ["fr_nir", "184127645108946"],
  ["ca_sin", "130 692 544"],
  ["in_aadhaar", "2345 6789 0124"],
];

test("PII: each format is found by its own detector", () => {
  for (const [detector, value] of PII_SEEN) {
    assert.deepEqual(only(`my details: ${value}.`, PII), [detector, value]);
    assert.deepEqual(only(`{"v":"${value}"}`, PII), [detector, value]);
  }
});

test("PII: checksums and issuing rules reject look-alikes", () => {
  for (const text of [
    "card 4111 1111 1111 1112",
    "iban DE89 3704 0044 0532 0130 01",
    "ssn 666-45-6789 and 123-00-6789",
    "nino BG 12 34 56 C",
    "dni 12345678A",
    "cpf 529.982.247-26 and 111.111.111-11",
    "aadhaar 2345 6789 0123",
  ]) {
    assert.deepEqual(found(text, PII), [], text);
  }
});

test("PII: no false positives on dates, times, versions, addresses, amounts, ids and numbers", () => {
  const text = [
    "On 2024-01-15 at 10:30:00.000Z we released v1.2.3 (build 20240115.3) to 192.168.100.200 and 10.0.0.1.",
    "The invoice #123456 totals $1,234,567.89; the timestamp was 1700000000 and the port 8080.",
    "Order 98765432 shipped; see RFC 7231 section 6.5.1; ISBN 978-3-16-148410-0; temperature -12.5.",
    "Use array[1234] and 0.25 of 3.14159; at @mention and user@ and @example.com alone; x = 12345678901234567890.",
  ].join("\n");
  assert.deepEqual(found(text, PII), []);
});

test("a candidate its validator rejects lets the next detector try the same position", () => {
  // Luhn-valid but a SIN never starts with 0; the same digits are a national phone number.
  assert.deepEqual(found("call 046 454 286 now", PII), [["phone", "046 454 286"]]);
});

test("only the categories asked for are scanned", () => {
  const text = "mail jane@example.com key sk-proj-Ab3dEf6hIj9kLmN0pQrStUvWxYz1234567890abcd";
  assert.deepEqual(found(text, SECRETS).map((f) => f[0]), ["openai_api_key"]);
  assert.deepEqual(found(text, PII).map((f) => f[0]), ["email"]);
  assert.deepEqual(found(text, 0), []);
  assert.deepEqual(found(text).map((f) => f[0]), ["email", "openai_api_key"]);
});

test("findings carry offsets into the original text, in order", () => {
  const text = "a jane@example.com b 4111111111111111 c";
  for (const f of scanText(text, ALL)) assert.equal(text.slice(f.start, f.end), f.value);
  assert.deepEqual(scanText(text, ALL).map((f) => f.start), [2, 21]);
});

test("hostile input stays linear: repeated prefixes, digit runs, unterminated keys (100 K characters each, well under a second; quadratic would take seconds)", () => {
  const n = 100_000;
  for (const text of ["sk-".repeat(n / 3), "xoxb-".repeat(n / 5), "4 ".repeat(n / 2), "0 42 ".repeat(n / 5), "a@".repeat(n / 2), "x@" + "a.".repeat(n / 2), `-----BEGIN PRIVATE KEY-----${" -".repeat(n / 2)}`, "-----BEGIN PUBLIC KEY-----\n".repeat(n / 27), "-----BEGIN CERTIFICATE-----x".repeat(n / 28), "eyJ".repeat(n / 3), "\\n".repeat(n / 2)]) {
    const start = performance.now();
    scanText(text, ALL);
    const ms = performance.now() - start;
    assert.ok(ms < 1000, `${JSON.stringify(text.slice(0, 12))}…: ${ms.toFixed(0)} ms`);
  }
});
