import type { ProviderDefinition, StreamFraming } from "../../adapters/provider.ts";
import type { FramingCodec } from "../../adapters/shared/stream-framing.ts";
import type { WireCodec } from "../../adapters/types.ts";
import type { WireFormat } from "../canonical/extras.ts";
import type { CanonicalResponse } from "../canonical/response.ts";
import type { StreamChunk } from "../canonical/stream.ts";
import type { Authenticator } from "../auth/authenticator.ts";
import type { UpstreamTransport } from "../http/upstream-transport.ts";
import type { CredentialSecret, ProxyRecord, VirtualKeyRecord } from "../store/types.ts";
import type { RequestContext } from "./context.ts";

/**
 * One step every request goes through, router and passthrough alike. Hooks are optional:
 * `request` runs in stage order before (and, for the forward stage, as) the upstream call;
 * `response` may rewrite a whole response; `stream` returns a per-request transform of the
 * canonical stream (undefined when the stage has nothing to do for this request, which keeps
 * the stream path free of it); `complete` runs once the interaction has ended, success or not,
 * and must not throw.
 */
export interface Stage {
  readonly name: string;
  request?(ctx: RequestContext): void | Promise<void>;
  response?(ctx: RequestContext, response: CanonicalResponse): CanonicalResponse;
  stream?(ctx: RequestContext): StreamTransform | undefined;
  complete?(ctx: RequestContext): void;
}

/** A stream transform returns the chunks to pass on: the same chunk, changed ones, or none. */
export interface StreamTransform {
  chunk(chunk: StreamChunk): StreamChunk[];
  /** Upstream ended: emit whatever is still held. */
  flush?(): StreamChunk[];
}

/** What the request path reads about proxies, keys and credentials: an in-memory view. */
export interface CatalogView {
  proxy(id: string): ProxyRecord | undefined;
  verifyVirtualKey(plaintext: string): { key: VirtualKeyRecord } | { error: "unknown" | "revoked" | "expired" };
  resolveCredential(proxyId: string, mapping: Record<string, string> | undefined, provider: string): CredentialSecret | undefined;
  providersFor(proxyId: string, mapping: Record<string, string> | undefined): string[];
  markUsed(keyId: string): void;
}

export interface ProviderRegistry {
  provider(id: string): ProviderDefinition | undefined;
  providerIds(): string[];
  codec(format: WireFormat): WireCodec;
  framing(name: StreamFraming): FramingCodec;
}

/** The long-lived services stages are built with. */
export interface PipelineServices {
  authenticator: Authenticator;
  catalog: CatalogView;
  providers: ProviderRegistry;
  transport: UpstreamTransport;
}
