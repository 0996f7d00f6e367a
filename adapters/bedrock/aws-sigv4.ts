import { createHmac, createSecretKey, hash, type KeyObject } from "node:crypto";

/**
 * AWS Signature Version 4 for request headers, written against the SigV4 spec and checked in
 * tests against AWS's published test-suite vectors and against `@smithy/signature-v4` (what the
 * AWS SDK itself computes). Our own because it sits on the hot path: `@smithy/signature-v4` is
 * async, clones the request and re-derives more than it needs; this one is a few synchronous
 * hashes with the day's signing key cached as a KeyObject (an HMAC over a raw Buffer key costs
 * ~10 µs in Node for the key set-up alone; over a KeyObject ~2 µs). See aws-sigv4.test.ts.
 */
export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface SignRequest {
  method: string;
  url: URL;
  /** Headers to send and sign (the host header is added from the URL when absent). */
  headers: Record<string, string>;
  body?: string | Uint8Array;
  region: string;
  service: string;
  credentials: AwsCredentials;
  /** Signing time; now when absent. */
  date?: Date;
}

const ALGORITHM = "AWS4-HMAC-SHA256";
const EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/**
 * The headers to add to the request: `authorization`, `x-amz-date` and, with temporary
 * credentials, `x-amz-security-token`.
 */
export function signAwsRequest(req: SignRequest): Record<string, string> {
  const amzDate = toAmzDate(req.date ?? new Date());
  const day = amzDate.slice(0, 8);
  const added: Record<string, string> = { "x-amz-date": amzDate };
  if (req.credentials.sessionToken) added["x-amz-security-token"] = req.credentials.sessionToken;

  const signed = new Map<string, string>();
  for (const name in req.headers) signed.set(name.toLowerCase(), normalizeValue(req.headers[name]));
  if (!signed.has("host")) signed.set("host", req.url.host);
  for (const name in added) signed.set(name, added[name]);
  signed.delete("authorization");
  const names = [...signed.keys()].sort();
  let canonicalHeaders = "";
  for (const n of names) canonicalHeaders += `${n}:${signed.get(n)}\n`;
  const signedHeaders = names.join(";");

  const canonicalRequest = [
    req.method.toUpperCase(),
    canonicalPath(req.url.pathname),
    canonicalQuery(req.url.searchParams),
    canonicalHeaders,
    signedHeaders,
    payloadHash(req.body),
  ].join("\n");
  const scope = `${day}/${req.region}/${req.service}/aws4_request`;
  const stringToSign = `${ALGORITHM}\n${amzDate}\n${scope}\n${sha256Hex(canonicalRequest)}`;
  const signature = createHmac("sha256", signingKey(req.credentials.secretAccessKey, day, req.region, req.service)).update(stringToSign).digest("hex");
  added.authorization = `${ALGORITHM} Credential=${req.credentials.accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
  return added;
}

/** `20150830T123600Z` */
export function toAmzDate(d: Date): string {
  const iso = d.toISOString();
  return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}T${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
}

const NEEDS_NORMALIZING = /^\s|\s$|\s\s|[\t\n\r]/;

function normalizeValue(v: string): string {
  return NEEDS_NORMALIZING.test(v) ? v.trim().replace(/\s+/g, " ") : v;
}

/** RFC 3986 encoding, as AWS wants it (encodeURIComponent leaves !'()* alone). */
function strictEncode(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * Every service but S3 signs the path encoded a second time: the `%3A` of a Bedrock model id
 * (`…-v1%3A0`) is signed as `%253A`. Dot segments are resolved first, as the SDK does.
 */
function canonicalPath(pathname: string): string {
  let path = pathCache.get(pathname);
  if (path === undefined) {
    path = computeCanonicalPath(pathname);
    if (pathCache.size >= PATH_CACHE_MAX) pathCache.clear();
    pathCache.set(pathname, path);
  }
  return path;
}

/** A proxy calls few distinct model paths; their canonical form is computed once. */
const pathCache = new Map<string, string>();
const PATH_CACHE_MAX = 1024;

function computeCanonicalPath(pathname: string): string {
  if (pathname === "" || pathname === "/") return "/";
  const out: string[] = [];
  for (const seg of pathname.split("/")) {
    if (seg === "." || seg === "") continue;
    if (seg === "..") out.pop();
    else out.push(strictEncode(seg));
  }
  return `/${out.join("/")}${pathname.endsWith("/") && out.length > 0 ? "/" : ""}`;
}

function canonicalQuery(params: URLSearchParams): string {
  if (params.size === 0) return "";
  const pairs: Array<[string, string]> = [];
  for (const [k, v] of params) pairs.push([strictEncode(k), strictEncode(v)]);
  pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  return pairs.map(([k, v]) => `${k}=${v}`).join("&");
}

function payloadHash(body: string | Uint8Array | undefined): string {
  if (body === undefined || body.length === 0) return EMPTY_SHA256;
  return hash("sha256", body, "hex");
}

function sha256Hex(s: string): string {
  return hash("sha256", s, "hex");
}

/** Derived keys change once a day per credential and region: derive once, reuse. */
const keyCache = new Map<string, KeyObject>();
const KEY_CACHE_MAX = 256;

function signingKey(secret: string, day: string, region: string, service: string): KeyObject {
  const id = `${day}\0${region}\0${service}\0${secret}`;
  let key = keyCache.get(id);
  if (key) return key;
  const kDate = createHmac("sha256", `AWS4${secret}`).update(day).digest();
  const kRegion = createHmac("sha256", kDate).update(region).digest();
  const kService = createHmac("sha256", kRegion).update(service).digest();
  key = createSecretKey(createHmac("sha256", kService).update("aws4_request").digest());
  if (keyCache.size >= KEY_CACHE_MAX) keyCache.clear();
  keyCache.set(id, key);
  return key;
}
