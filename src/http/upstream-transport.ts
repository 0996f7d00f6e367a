import { Agent, errors as undiciErrors } from "undici";
import type { Readable } from "node:stream";
import type { UpstreamRequest } from "../../adapters/provider.ts";
import { proxyError } from "../canonical/error.ts";

/**
 * The pooled HTTP client every upstream call goes through. The provider SDKs run on global
 * fetch, which costs about twice the CPU per request of undici's pooled `request` on this kind
 * of machine (see bench/): the SDKs give us types, shapes and signing; this gives the sockets.
 */
export interface UpstreamResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Readable & { text(): Promise<string>; bytes(): Promise<Uint8Array> };
}

export interface TransportOptions {
  /** Sockets per upstream origin. */
  connections?: number;
  /** How long an LLM may think before the first response byte. */
  headersTimeoutMs?: number;
  /** Longest silence between body chunks. */
  bodyTimeoutMs?: number;
}

export class UpstreamTransport {
  readonly #agent: Agent;

  constructor(options: TransportOptions = {}) {
    this.#agent = new Agent({
      connections: options.connections ?? 256,
      pipelining: 1,
      keepAliveTimeout: 30_000,
      keepAliveMaxTimeout: 600_000,
      headersTimeout: options.headersTimeoutMs ?? 600_000,
      bodyTimeout: options.bodyTimeoutMs ?? 300_000,
    });
  }

  /** Sends a request; network failures become 502/504 ProxyErrors that name the upstream. */
  async send(req: UpstreamRequest, signal?: AbortSignal): Promise<UpstreamResponse> {
    const url = new URL(req.url);
    try {
      const res = await this.#agent.request({
        origin: url.origin,
        path: url.pathname + url.search,
        method: req.method,
        headers: req.headers,
        body: req.body,
        signal,
      });
      return { status: res.statusCode, headers: res.headers, body: res.body as UpstreamResponse["body"] };
    } catch (err) {
      throw transportError(err, url.host);
    }
  }

  close(): Promise<void> {
    return this.#agent.close();
  }
}

export function transportError(err: unknown, host: string) {
  if (err instanceof undiciErrors.HeadersTimeoutError || err instanceof undiciErrors.BodyTimeoutError) {
    return proxyError(504, `The upstream ${host} did not answer in time`, { code: "upstream_timeout", kind: "timeout" });
  }
  if (err instanceof Error && err.name === "AbortError") {
    return proxyError(499, "The client closed the request", { code: "client_closed_request", kind: "invalid_request" });
  }
  const detail = err instanceof Error ? ((err as { code?: string }).code ?? err.message) : String(err);
  return proxyError(502, `Could not reach the upstream ${host}: ${detail}`, { code: "upstream_unreachable", kind: "upstream" });
}

/** A header's single value (undici gives arrays for repeated headers). */
export function headerValue(headers: UpstreamResponse["headers"], name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}
