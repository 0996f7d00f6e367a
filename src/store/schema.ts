/**
 * Table shapes as Kysely sees them, the same on SQLite and PostgreSQL: JSON as text, timestamps
 * as ISO-8601 UTC text (portable and sortable), booleans as 0/1 integers.
 */

export interface ProxiesTable {
  id: string;
  name: string;
  /** JSON: provider -> credential id. */
  credentials: string;
  created_at: string;
  updated_at: string;
}

export interface CredentialsTable {
  id: string;
  provider: string;
  /** The API key sealed by the SecretBox (never plaintext). */
  secret: string | null;
  /** Last four characters of the key. */
  hint: string | null;
  base_url: string | null;
  /** JSON object of strings. */
  options: string | null;
  /** JSON array of model ids. */
  models: string | null;
  created_at: string;
  updated_at: string;
}

export interface VirtualKeysTable {
  id: string;
  name: string;
  /** sha256 of the key, hex. */
  hash: string;
  prefix: string;
  /** JSON array of proxy ids. */
  proxies: string;
  /** JSON: provider -> credential id. */
  credentials: string;
  expires_at: string | null;
  revoked_at: string | null;
  last_used_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface OAuthClientsTable {
  client_id: string;
  name: string;
  /** sha256 of the client secret, hex. */
  secret_hash: string;
  /** The secret's first characters, for recognition. */
  secret_prefix: string;
  /** The secret replaced by the last rotation, accepted until `previous_secret_expires_at`. */
  previous_secret_hash: string | null;
  previous_secret_expires_at: string | null;
  /** JSON array of proxy ids. */
  proxies: string;
  /** JSON array of scopes the client may request. */
  scopes: string;
  /** JSON: provider -> credential id. */
  credentials: string;
  token_ttl_seconds: number | null;
  disabled_at: string | null;
  /** Tokens issued before this instant are refused (set by disabling, or a rotation that revokes). */
  tokens_valid_after: string | null;
  last_used_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface IdentityProvidersTable {
  id: string;
  issuer: string;
  /** JSON array of accepted audiences. */
  audience: string;
  /** Null: discovered from the issuer's /.well-known/openid-configuration. */
  jwks_uri: string | null;
  user_claim: string;
  /** JSON object: claim -> required value. */
  required_claims: string | null;
  /** JSON array of accepted JWS algorithms (null: the asymmetric defaults). */
  algorithms: string | null;
  /** JSON array of proxy ids. */
  proxies: string;
  clock_tolerance_seconds: number | null;
  created_at: string;
  updated_at: string;
}

export interface SigningKeysTable {
  kid: string;
  alg: string;
  /** The public key as a JWK (JSON). */
  public_jwk: string;
  /** PKCS#8 PEM sealed by the SecretBox (never plaintext). */
  private_key: string;
  created_at: string;
  /** Set when a newer key took over signing. */
  retired_at: string | null;
  /** A retired key's last token expires by then; after it the key is no longer published or trusted. */
  not_after: string | null;
}

export interface MetaTable {
  key: string;
  value: string;
}

export interface InteractionsTable {
  id: string;
  created_at: string;
  proxy_id: string;
  route: string;
  client_format: string;
  provider: string | null;
  model: string | null;
  requested_model: string | null;
  virtual_key_id: string | null;
  agent_id: string | null;
  user_id: string | null;
  session_id: string | null;
  execution_id: string | null;
  status: number;
  error: string | null;
  stream: number;
  input_tokens: number | null;
  output_tokens: number | null;
  cache_read_tokens: number | null;
  cache_write_tokens: number | null;
  reasoning_tokens: number | null;
  ttft_ms: number | null;
  duration_ms: number | null;
  // 0003-observability:
  upstream_format: string | null;
  response_model: string | null;
  auth_method: string | null;
  oauth_client_id: string | null;
  identity_provider_id: string | null;
  finish_reason: string | null;
  /** 0/1: a policy or guardrail refused or replaced something. */
  blocked: number;
  /** JSON array of policy decisions. */
  decisions: string | null;
  /** JSON: where the context became untrusted. */
  taint: string | null;
  /** USD; null when the model has no known price. */
  cost_usd: number | null;
  /** Full body sizes in bytes (the stored bodies may be cut). */
  request_bytes: number | null;
  response_bytes: number | null;
  /** 0 for passthrough endpoints forwarded without inspection. */
  inspected: number;
}

/** Bodies apart from the interactions, so that lists and aggregations never read them. */
export interface InteractionBodiesTable {
  interaction_id: string;
  request: string | null;
  response: string | null;
}

/** 0005-limits: a limit as the config file or the admin API set it. */
export interface LimitsTable {
  id: string;
  /** proxy | virtualKey | oauthClient | user | externalAgent */
  scope: string;
  /** An id of the scope, or `*` (each subject separately). */
  subject: string;
  /** costUsd | tokens | requests */
  measure: string;
  /** minute | hour | day | month | lifetime */
  time_window: string;
  maximum: number;
  /** Model filter pattern (`openai:gpt-4o*`); null: every model. */
  model: string | null;
  /** config | api */
  source: string;
  created_at: string;
  updated_at: string;
}

/** One limit's use by one subject in one window (see src/limits/counter-store.ts). */
export interface LimitCountersTable {
  limit_key: string;
  subject: string;
  window_start: string;
  /** Null for lifetime windows. */
  window_end: string | null;
  used: number;
  /** Held by requests in flight (PostgreSQL only; the embedded default keeps it in memory). */
  reserved: number;
  /** The limit's maximum at the last claim. */
  cap: number | null;
  updated_at: string;
}

/** A request in flight's hold on a counter; released by its settlement or, once expired, by a sweep. */
export interface LimitReservationsTable {
  request_id: string;
  limit_key: string;
  subject: string;
  window_start: string;
  amount: number;
  instance_id: string;
  expires_at: string;
}

/** 0004-policies: one trusted-data or tool-invocation rule of a proxy. */
export interface PoliciesTable {
  id: string;
  proxy_id: string;
  /** trustedData | toolInvocation */
  kind: string;
  tool: string;
  /** JSON array of conditions; null: an unconditional rule. */
  conditions: string | null;
  action: string;
  reason: string | null;
  /** Rules of a proxy and kind are tried in this order. */
  position: number;
  /** config | api */
  source: string;
  created_at: string;
  updated_at: string;
}

/** 0004-policies: a proxy's taint and guardrail settings (no row: the defaults). */
export interface PolicySettingsTable {
  proxy_id: string;
  context_untrusted: number;
  /** block | redact | log | off */
  guardrail_secrets: string;
  guardrail_pii: string;
  guardrail_restore: number;
  /** config | api */
  source: string;
  created_at: string;
  updated_at: string;
}

export interface Schema {
  proxies: ProxiesTable;
  credentials: CredentialsTable;
  virtual_keys: VirtualKeysTable;
  oauth_clients: OAuthClientsTable;
  identity_providers: IdentityProvidersTable;
  signing_keys: SigningKeysTable;
  meta: MetaTable;
  interactions: InteractionsTable;
  interaction_bodies: InteractionBodiesTable;
  policies: PoliciesTable;
  policy_settings: PolicySettingsTable;
  limits: LimitsTable;
  limit_counters: LimitCountersTable;
  limit_reservations: LimitReservationsTable;
}
