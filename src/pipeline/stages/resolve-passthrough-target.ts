import type { ProviderCredential } from "../../../adapters/provider.ts";
import { proxyError } from "../../canonical/error.ts";
import type { PassthroughInfo, RequestContext } from "../context.ts";
import type { CatalogView } from "../stage.ts";

/**
 * A passthrough route names its provider; the model comes from the body or the URL. A caller with
 * one of our keys gets the mapped credential swapped in; a caller with its own provider key keeps
 * it (it travels in the client's own headers), borrowing only the configured base URL and region.
 */
export function resolvePassthroughTarget(ctx: RequestContext, pt: PassthroughInfo, catalog: CatalogView): void {
  const provider = pt.provider;
  const model = pt.model ?? ctx.request.model;
  ctx.request.model = model;
  ctx.requestedModel = model || undefined;
  let credential: ProviderCredential | undefined;
  if (ctx.caller.authMethod === "provider-key") {
    if (pt.sigv4) {
      throw proxyError(401, "A SigV4-signed request cannot be forwarded (the signature covers the host): use a Bedrock API key, or a virtual key as the access key id", {
        code: "invalid_api_key",
      });
    }
    const configured = catalog.resolveCredential(ctx.proxyId, undefined, provider.id);
    credential = {
      id: "client-key",
      provider: provider.id,
      ...(configured?.baseUrl && { baseUrl: configured.baseUrl }),
      ...(configured?.options?.region && { options: { region: configured.options.region } }),
    };
  } else {
    credential = catalog.resolveCredential(ctx.proxyId, ctx.caller.credentialMapping, provider.id);
    if (!credential) {
      throw proxyError(403, `No credential for provider '${provider.id}' is available to this key on proxy '${ctx.proxyId}'`, { code: "provider_not_allowed" });
    }
  }
  if (!credential.baseUrl && !provider.defaultBaseUrl) {
    throw proxyError(400, `Provider '${provider.id}' has no base URL: configure a credential with baseUrl, or ${provider.envPrefix}_BASE_URL`, { code: "provider_not_configured" });
  }
  ctx.target = { provider, model, format: ctx.clientFormat, codec: ctx.clientCodec, credential, framing: ctx.clientFraming };
}
