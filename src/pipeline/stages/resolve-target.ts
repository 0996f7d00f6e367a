import type { WireFormat } from "../../canonical/extras.ts";
import { proxyError } from "../../canonical/error.ts";
import type { RequestContext } from "../context.ts";
import type { CatalogView, ProviderRegistry, Stage } from "../stage.ts";
import { resolvePassthroughTarget } from "./resolve-passthrough-target.ts";

/** `anthropic:claude-opus-4-6` -> ["anthropic", "claude-opus-4-6"] (split at the first colon only). */
export function splitModel(model: string): [provider: string, model: string] | undefined {
  const colon = model.indexOf(":");
  if (colon <= 0 || colon === model.length - 1) return undefined;
  return [model.slice(0, colon), model.slice(colon + 1)];
}

/**
 * Chooses the provider, upstream model, wire format and credential. The router reads the
 * provider from the model prefix; a passthrough route names its provider itself.
 */
export function resolveTarget(catalog: CatalogView, providers: ProviderRegistry): Stage {
  return {
    name: "resolve-target",
    request(ctx: RequestContext) {
      if (ctx.passthrough) return resolvePassthroughTarget(ctx, ctx.passthrough, catalog);
      const requested = ctx.request.model;
      ctx.requestedModel = requested;
      const split = splitModel(requested);
      const valid = providers.providerIds();
      if (!split) {
        throw proxyError(404, `The model '${requested}' is not provider-qualified: use '<provider>:<model>', e.g. 'openai:gpt-4o-mini'. Valid providers: ${valid.join(", ")}`, {
          code: "model_not_found",
          param: "model",
        });
      }
      const [providerId, model] = split;
      const provider = providers.provider(providerId);
      if (!provider) {
        throw proxyError(404, `Unknown provider '${providerId}' in model '${requested}'. Valid providers: ${valid.join(", ")}`, {
          code: "model_not_found",
          param: "model",
        });
      }
      const credential = catalog.resolveCredential(ctx.proxyId, ctx.caller.credentialMapping, provider.id);
      if (!credential) {
        throw proxyError(403, `No credential for provider '${provider.id}' is available to this key on proxy '${ctx.proxyId}'`, {
          code: "provider_not_allowed",
          param: "model",
        });
      }
      const format: WireFormat = provider.formats.includes(ctx.clientFormat) ? ctx.clientFormat : provider.formats[0];
      ctx.request.model = model;
      ctx.target = { provider, model, format, codec: providers.codec(format), credential, framing: provider.framing(format) };
    },
  };
}
