/**
 * A limit: how much of one measure a scope's subject may use per window. Limits on several scopes
 * all apply to a request; the tightest one decides.
 */

export const LIMIT_SCOPES = ["proxy", "virtualKey", "oauthClient", "user", "externalAgent"] as const;
export const LIMIT_MEASURES = ["costUsd", "tokens", "requests"] as const;
export const LIMIT_WINDOWS = ["minute", "hour", "day", "month", "lifetime"] as const;

export type LimitScope = (typeof LIMIT_SCOPES)[number];
export type LimitMeasure = (typeof LIMIT_MEASURES)[number];
export type LimitWindow = (typeof LIMIT_WINDOWS)[number];

/** `subject: "*"`: the limit applies to each subject of its scope separately. */
export const EACH_SUBJECT = "*";

export interface LimitDefinition {
  id: string;
  scope: LimitScope;
  /**
   * Who the limit is for: a proxy id, a virtual key's name (or id), an OAuth client id, a user id,
   * an external agent id — or `*`, every one of them with its own counter.
   */
  subject: string;
  measure: LimitMeasure;
  window: LimitWindow;
  /** USD, tokens or requests per window. */
  max: number;
  /**
   * Only requests for matching models count and are limited: `openai:gpt-4o*`, `anthropic:*`,
   * or a bare model name (`gpt-4o-mini`, any provider). `*` matches any run of characters.
   */
  model?: string;
}

export interface LimitRecord extends LimitDefinition {
  /** `config`: made (and removed) by the config file; `api`: made through the admin API. */
  source: "config" | "api";
  createdAt: string;
  updatedAt: string;
}
