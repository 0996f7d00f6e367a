import { z } from "zod";
import { invalidTrustedProxy } from "../auth/client-address.ts";
import { KNOWN_SCOPES } from "../auth/scopes.ts";
import { SIGNING_ALGORITHMS } from "../auth/signing-keys.ts";
import { IDP_ALGORITHMS } from "../auth/verify-idp-token.ts";
import { observabilitySection } from "../observability/settings.ts";
import { limitsSection } from "../limits/limit-schema.ts";
import { policiesSection } from "../policies/policy-schema.ts";
import { CONFIG_PROVIDERS } from "./known-providers.ts";

/**
 * The config file's shape. Objects are strict: a misspelt field is an error, not a silently
 * ignored setting. Sections later issues add (oauthClients, policies, limits, …) are not
 * accepted until they exist.
 */

const providerIds = new Set(CONFIG_PROVIDERS.map((p) => p.id));

export const entityId = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, { error: "use 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit" });

export const providerId = z.string().refine((v) => providerIds.has(v), {
  error: (issue) => `unknown provider '${String(issue.input)}' (known: ${[...providerIds].join(", ")})`,
});

/** provider -> credential id. */
export const credentialMapping = z.record(providerId, entityId);

/** A number, or a string of digits (what `${PORT}` interpolates to). */
const integer = (schema: z.ZodNumber) => z.preprocess((v) => (typeof v === "string" && /^\d+$/.test(v) ? Number(v) : v), schema);

/** An empty string (`${VAR:-}`) means the field is not set. */
const optionalText = <S extends z.ZodType>(schema: S) => z.preprocess((v) => (v === "" ? undefined : v), schema.optional());

export const httpUrl = z.url({ protocol: /^https?$/, error: "expected an http(s) URL" });

/** ISO-8601 date-time with a zone (`2026-12-31T23:59:59Z`), or a date (midnight UTC). */
export const timestamp = z.union([z.iso.datetime({ offset: true }), z.iso.date()], { error: "expected an ISO-8601 date or date-time" });

/** An IP, a CIDR range, or `loopback` / `private`: a peer whose forwarding header is believed. */
export const trustedProxy = z.string().check((ctx) => {
  const problem = invalidTrustedProxy(ctx.value);
  if (problem) ctx.issues.push({ code: "custom", message: problem, input: ctx.value });
});

const serverSection = z.strictObject({
  port: integer(z.number().int().min(0).max(65535)).optional(),
  host: z.string().min(1).optional(),
  maxBodyBytes: integer(z.number().int().positive()).optional(),
  /** Peers (load balancers) whose `clientAddressHeader` names the client; none by default. */
  trustedProxies: z.array(trustedProxy).optional(),
  /** x-forwarded-for (default), forwarded, x-real-ip, cf-connecting-ip, … */
  clientAddressHeader: z.string().regex(/^[A-Za-z0-9-]+$/, { error: "expected an HTTP header name" }).optional(),
  /** Failed authentication attempts a client address may make per window before it gets 429. */
  failedAuthLimit: z
    .strictObject({
      max: integer(z.number().int().min(0)),
      windowSeconds: integer(z.number().int().min(1).max(86_400)),
    })
    .optional(),
});

/** Seconds an access token lives: a minute to a day. */
export const tokenTtlSeconds = integer(z.number().int().min(60).max(86_400));

const oauthSection = z.strictObject({
  /** Our issuer URL (`iss`, metadata); the URL the server listens on when absent. Set it behind a balancer. */
  issuer: optionalText(httpUrl),
  accessTokenTtlSeconds: tokenTtlSeconds.optional(),
  signingAlgorithm: z.enum(SIGNING_ALGORITHMS).optional(),
});

export const oauthScope = z.string().refine((v) => KNOWN_SCOPES.includes(v), {
  error: (issue) => `unknown scope '${String(issue.input)}' (known: ${KNOWN_SCOPES.join(", ")})`,
});

const oauthClientEntry = z.strictObject({
  clientId: entityId,
  name: optionalText(z.string().max(200)),
  clientSecret: optionalText(z.string().min(24, { error: "too short: a client secret needs 24 characters at least" })),
  proxies: z.array(entityId).min(1),
  scopes: z.array(oauthScope).optional(),
  credentials: credentialMapping.optional(),
  tokenTtlSeconds: tokenTtlSeconds.optional(),
});

/** Asymmetric JWS algorithms only: no `none`, no HS* (a public key must never be an HMAC secret). */
export const idpAlgorithm = z.enum(IDP_ALGORITHMS, { error: `expected one of ${IDP_ALGORITHMS.join(", ")} (no 'none', no HS*)` });

/** A claim the identity token must carry, with the value (an array claim must contain it). */
export const requiredClaims = z.record(z.string().min(1), z.union([z.string(), z.number(), z.boolean()]).transform(String));

const identityProviderEntry = z.strictObject({
  id: entityId,
  issuer: httpUrl,
  audience: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]),
  jwksUri: optionalText(httpUrl),
  userClaim: z.string().min(1).optional(),
  requiredClaims: requiredClaims.optional(),
  algorithms: z.array(idpAlgorithm).min(1).optional(),
  proxies: z.array(entityId).min(1),
  clockToleranceSeconds: integer(z.number().int().min(0).max(300)).optional(),
});

const databaseSection = z.strictObject({
  url: z.string().min(1),
});

const credentialEntry = z.strictObject({
  id: entityId,
  provider: providerId,
  apiKey: optionalText(z.string()),
  baseUrl: optionalText(httpUrl),
  options: z.record(z.string(), z.string()).optional(),
  models: z.array(z.string().min(1)).optional(),
});

const proxyEntry = z.strictObject({
  id: entityId,
  name: optionalText(z.string()),
  credentials: credentialMapping.optional(),
});

const virtualKeyEntry = z.strictObject({
  name: z.string().min(1).max(100),
  key: optionalText(z.string().min(16, { error: "too short: a virtual key needs 16 characters at least" })),
  proxies: z.array(entityId).min(1),
  credentials: credentialMapping.optional(),
  expiresAt: optionalText(timestamp),
});

export const configFileSchema = z.strictObject({
  server: serverSection.optional(),
  database: databaseSection.optional(),
  credentials: z.array(credentialEntry).optional(),
  proxies: z.array(proxyEntry).optional(),
  virtualKeys: z.array(virtualKeyEntry).optional(),
  oauth: oauthSection.optional(),
  oauthClients: z.array(oauthClientEntry).optional(),
  identityProviders: z.array(identityProviderEntry).optional(),
  observability: observabilitySection.optional(),
  limits: limitsSection.optional(),
  policies: policiesSection.optional(),
});

export type ConfigFile = z.output<typeof configFileSchema>;
