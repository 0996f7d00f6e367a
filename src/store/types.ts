/**
 * The entities the store keeps and the request path reads (from the in-memory Catalog, never the
 * database). Secrets appear in plaintext only inside CredentialSecret, which only the catalog and
 * the forwarder see.
 */

export interface ProxyRecord {
  id: string;
  name: string;
  /** Default provider -> credential id mapping for callers whose own mapping lacks the provider. */
  credentials: Record<string, string>;
  createdAt: string;
}

/** A credential as the admin API shows it: never the secret. */
export interface CredentialInfo {
  id: string;
  provider: string;
  baseUrl?: string;
  options?: Record<string, string>;
  models?: string[];
  /** Last four characters of the secret, for recognition. */
  hint?: string;
  createdAt: string;
}

export interface CredentialSecret extends CredentialInfo {
  apiKey?: string;
}

export interface VirtualKeyRecord {
  id: string;
  name: string;
  /** sha256 of the key, hex. */
  hash: string;
  /** The key's first characters, shown in lists so a user can tell keys apart. */
  prefix: string;
  /** LLM proxy ids the key may use. */
  proxies: string[];
  /** provider -> credential id. */
  credentials: Record<string, string>;
  expiresAt?: string;
  revokedAt?: string;
  lastUsedAt?: string;
  createdAt: string;
}

export interface NewCredential {
  id: string;
  provider: string;
  apiKey?: string;
  baseUrl?: string;
  options?: Record<string, string>;
  models?: string[];
}

export interface NewVirtualKey {
  name: string;
  /** Plaintext to store (config-supplied); generated when absent. */
  key?: string;
  proxies: string[];
  credentials?: Record<string, string>;
  expiresAt?: string;
}
