import type { Request, Response } from "express";
import type { ProviderCredential } from "../../adapters/provider.ts";
import { ProxyError } from "../canonical/error.ts";
import { createContext } from "../pipeline/create-context.ts";
import type { PipelineServices, Stage } from "../pipeline/stage.ts";
import { toCanonicalError, writeError } from "../pipeline/write-error.ts";

const CACHE_MS = 10 * 60_000;

export interface ModelLister {
  handle(proxyId: string, req: Request, res: Response, callerStages: readonly Stage[]): Promise<void>;
}

/**
 * GET /models: the provider-qualified ids this caller may use — each reachable provider's
 * configured model list, or its own model listing (cached per credential).
 */
export function modelLister(services: PipelineServices): ModelLister {
  const cache = new Map<string, { at: number; models: string[] }>();
  const chat = services.providers.codec("openai-chat");

  async function modelsOf(providerId: string, credential: ProviderCredential): Promise<string[]> {
    if (credential.models?.length) return credential.models;
    const hit = cache.get(credential.id);
    if (hit && Date.now() - hit.at < CACHE_MS) return hit.models;
    const provider = services.providers.provider(providerId);
    if (!provider?.parseModels) return [];
    try {
      const req = await provider.prepare({ operation: "models", format: provider.formats[0], model: "", credential });
      const res = await services.transport.send(req);
      const text = await res.body.text();
      if (res.status >= 400) throw new Error(`HTTP ${res.status}`);
      const models = provider.parseModels(JSON.parse(text));
      cache.set(credential.id, { at: Date.now(), models });
      return models;
    } catch (err) {
      console.warn(`portcullis: could not list models of ${providerId} (${(err as Error).message}); leaving them out`);
      return [];
    }
  }

  return {
    async handle(proxyId, req, res, callerStages) {
      const ctx = createContext({ route: "router", clientCodec: chat, proxyId, headers: req.headers, peer: req.socket.remoteAddress, readBody: async () => Buffer.alloc(0) });
      try {
        for (const s of callerStages) await s.request?.(ctx);
        const providerIds = services.catalog.providersFor(proxyId, ctx.caller.credentialMapping);
        const lists = await Promise.all(
          providerIds.map(async (id) => {
            const credential = services.catalog.resolveCredential(proxyId, ctx.caller.credentialMapping, id);
            return credential ? (await modelsOf(id, credential)).map((m) => ({ id: `${id}:${m}`, object: "model", created: 0, owned_by: id })) : [];
          }),
        );
        res.json({ object: "list", data: lists.flat() });
      } catch (err) {
        if (!(err instanceof ProxyError)) console.error("portcullis: model listing failed", err);
        writeError(res, chat, toCanonicalError(err));
      }
    },
  };
}
