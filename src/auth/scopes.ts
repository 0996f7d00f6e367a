/** The scope an access token needs to call the proxies' LLM routes. */
export const PROXY_SCOPE = "llm:proxy";

/** Every scope this server grants (RFC 8414 `scopes_supported`). */
export const KNOWN_SCOPES: readonly string[] = [PROXY_SCOPE];
