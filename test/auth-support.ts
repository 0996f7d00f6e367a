import { generateKeyPairSync, type KeyObject } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { exportJWK, SignJWT, type JWK } from "jose";
import { startTestServer, type TestServer } from "./helpers/http-server.ts";
import { createPostgresDatabase, type PostgresTestDatabase } from "./helpers/test-databases.ts";

/** Support for the auth tests: an identity provider with its own keys, token requests, output capture. */

export interface FakeIdentityProvider {
  server: TestServer;
  issuer: string;
  jwksUri: string;
  /** Adds a signing key to the published JWKS (RS256, ES256 or EdDSA); returns its kid. */
  addKey(alg: "RS256" | "ES256" | "EdDSA", kid?: string): Promise<string>;
  /** Signs claims with a published key (iss, iat and a 5-minute exp by default). */
  sign(claims: Record<string, unknown>, options?: { kid?: string; header?: Record<string, unknown> }): Promise<string>;
  privateKey(kid: string): KeyObject;
  publicKey(kid: string): KeyObject;
  /** Makes the JWKS and discovery endpoints answer 500 (the IdP is down). */
  down: boolean;
  close(): Promise<void>;
}

/** A local OIDC issuer: `/.well-known/openid-configuration` and `/jwks.json`, keys of its own. */
export async function startFakeIdentityProvider(): Promise<FakeIdentityProvider> {
  const keys = new Map<string, { alg: string; privateKey: KeyObject; publicKey: KeyObject; jwk: JWK }>();
  let down = false;
  const server = await startTestServer((req, res) => {
    if (down) {
      res.writeHead(500).end();
      return;
    }
    const path = new URL(req.url, "http://x").pathname;
    if (path === "/.well-known/openid-configuration") {
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ issuer: idp.issuer, jwks_uri: idp.jwksUri }));
    } else if (path === "/jwks.json") {
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ keys: [...keys.values()].map((k) => k.jwk) }));
    } else {
      res.writeHead(404).end();
    }
  });
  let first: string | undefined;
  const idp: FakeIdentityProvider = {
    server,
    issuer: server.url,
    jwksUri: `${server.url}/jwks.json`,
    async addKey(alg, kid = `${alg.toLowerCase()}-${keys.size + 1}`) {
      const pair =
        alg === "RS256" ? generateKeyPairSync("rsa", { modulusLength: 2048 }) : alg === "ES256" ? generateKeyPairSync("ec", { namedCurve: "P-256" }) : generateKeyPairSync("ed25519");
      const jwk = { ...(await exportJWK(pair.publicKey)), kid, alg, use: "sig" };
      keys.set(kid, { alg, privateKey: pair.privateKey, publicKey: pair.publicKey, jwk });
      first ??= kid;
      return kid;
    },
    async sign(claims, options = {}) {
      const kid = options.kid ?? first!;
      const key = keys.get(kid)!;
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({ iss: idp.issuer, iat: now, exp: now + 300, ...claims })
        .setProtectedHeader({ alg: key.alg, kid, typ: "JWT", ...options.header })
        .sign(key.privateKey);
    },
    privateKey: (kid) => keys.get(kid)!.privateKey,
    publicKey: (kid) => keys.get(kid)!.publicKey,
    get down() {
      return down;
    },
    set down(value: boolean) {
      down = value;
    },
    close: () => server.close(),
  };
  return idp;
}

export interface TokenAnswer {
  status: number;
  body: Record<string, unknown>;
  headers: Headers;
  text: string;
}

/** POSTs a form to /oauth/token (the body as given; client_secret_basic when `basic` is set). */
export async function tokenRequest(baseUrl: string, form: Record<string, string> | string, basic?: { id: string; secret: string }, contentType = "application/x-www-form-urlencoded"): Promise<TokenAnswer> {
  const headers: Record<string, string> = { "content-type": contentType };
  if (basic) headers.authorization = `Basic ${Buffer.from(`${encodeURIComponent(basic.id)}:${encodeURIComponent(basic.secret)}`).toString("base64")}`;
  const res = await fetch(`${baseUrl}/oauth/token`, { method: "POST", headers, body: typeof form === "string" ? form : new URLSearchParams(form).toString() });
  const text = await res.text();
  return { status: res.status, body: JSON.parse(text) as Record<string, unknown>, headers: res.headers, text };
}

/** An access token for the client, by client_secret_basic; throws when it is refused. */
export async function accessToken(baseUrl: string, clientId: string, secret: string): Promise<string> {
  const answer = await tokenRequest(baseUrl, { grant_type: "client_credentials" }, { id: clientId, secret });
  if (answer.status !== 200) throw new Error(`token request failed: ${answer.text}`);
  return answer.body.access_token as string;
}

/** Everything written to stdout and stderr (console included) until `stop()`; still written through. */
export function captureOutput(): { text(): string; stop(): void } {
  const chunks: string[] = [];
  const out = process.stdout.write.bind(process.stdout);
  const err = process.stderr.write.bind(process.stderr);
  const tap =
    (through: typeof process.stdout.write) =>
    (chunk: string | Uint8Array, ...rest: unknown[]): boolean => {
      chunks.push(typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8"));
      return (through as (c: string | Uint8Array, ...r: unknown[]) => boolean)(chunk, ...rest);
    };
  process.stdout.write = tap(out) as typeof process.stdout.write;
  process.stderr.write = tap(err) as typeof process.stderr.write;
  return {
    text: () => chunks.join(""),
    stop() {
      process.stdout.write = out;
      process.stderr.write = err;
    },
  };
}

/** Posts a chat completion with the given key, returns status, parsed body and headers. */
export async function chat(baseUrl: string, key: string | undefined, proxyId = "default", model = "openai:gpt-4o-mini", headers: Record<string, string> = {}) {
  const res = await fetch(`${baseUrl}/v1/model-router/${proxyId}/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(key === undefined ? {} : { authorization: `Bearer ${key}` }), ...headers },
    body: JSON.stringify({ model, messages: [{ role: "user", content: "hi" }] }),
  });
  const text = await res.text();
  return { status: res.status, body: JSON.parse(text) as { error?: { message: string; code: string; type: string } }, headers: res.headers, text };
}

export interface TestDatabase extends PostgresTestDatabase {
  name: "sqlite" | "postgres";
}

/**
 * A fresh database of each kind: SQLite in a temp dir, PostgreSQL created for this run and dropped
 * after (skipped loudly when no server answers).
 */
export async function testDatabases(): Promise<TestDatabase[]> {
  const dir = mkdtempSync(join(tmpdir(), "portcullis-auth-store-"));
  const sqlite: TestDatabase = { name: "sqlite", url: `sqlite:${join(dir, "auth.db")}`, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  return [sqlite, { name: "postgres", ...(await createPostgresDatabase("auth store")) }];
}
