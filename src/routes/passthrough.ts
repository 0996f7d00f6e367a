import { Router, type Request, type Response } from "express";
import type { IncomingHttpHeaders } from "node:http";
import type { Inflight } from "../http/inflight.ts";
import { readBody } from "../http/read-body.ts";
import type { PassthroughInfo } from "../pipeline/context.ts";
import { createContext } from "../pipeline/create-context.ts";
import { runPipeline } from "../pipeline/run-pipeline.ts";
import type { CatalogView, ProviderRegistry, Stage } from "../pipeline/stage.ts";
import { classifyEndpoint, splitProxyId } from "./passthrough-endpoints.ts";

export interface PassthroughDeps {
  stages: readonly Stage[];
  providers: ProviderRegistry;
  catalog: Pick<CatalogView, "proxy">;
  maxBodyBytes: number;
  inflight: Inflight;
}

/** Providers reached only through the model router (Vertex AI's paths name a project, not a provider). */
const NO_PASSTHROUGH = new Set(["vertex"]);
const SIGV4_CREDENTIAL = /Credential=([^/,\s]+)\//;

/**
 * Native passthrough: `/v1/<provider>[/<proxy-id>]/<the provider's own path>`. An app keeps its
 * provider SDK and only changes the base URL; its requests run the same stages as the model
 * router and go on as they came unless a stage changed something.
 */
export function passthroughRouter(deps: PassthroughDeps): Router {
  const router = Router();
  router.use("/v1/:provider", (req: Request, res: Response, next) => {
    const provider = deps.providers.provider(req.params.provider as string);
    if (!provider || NO_PASSTHROUGH.has(provider.id)) return next();
    const q = req.url.indexOf("?");
    const pathname = q === -1 ? req.url : req.url.slice(0, q);
    let search = q === -1 ? "" : req.url.slice(q);
    const [proxyId, path] = splitProxyId(pathname, (id) => deps.catalog.proxy(id) !== undefined);
    const query = new URLSearchParams(search);
    const endpoint = classifyEndpoint(provider, req.method, path, query);
    let headers = req.headers;
    // Gemini clients may put the key in `?key=`: it counts as the header they could have sent,
    // and never travels on in a URL (where logs keep it).
    const key = query.get("key");
    if (key !== null) {
      query.delete("key");
      search = query.size > 0 ? `?${query}` : "";
      if (!headers["x-goog-api-key"]) headers = { ...headers, "x-goog-api-key": key };
    }
    const sigv4 = isSigV4(headers);
    if (sigv4) headers = withSigV4KeyId(headers);
    const passthrough: PassthroughInfo = {
      provider,
      method: req.method,
      path: path + search,
      inspected: endpoint.inspected,
      ...(endpoint.inspected && endpoint.model !== undefined && { model: endpoint.model }),
      ...(endpoint.inspected && endpoint.stream !== undefined && { stream: endpoint.stream }),
      ...(sigv4 && { sigv4 }),
      ...(!endpoint.inspected && { bodyStream: req }),
    };
    const ctx = createContext({
      route: "passthrough",
      clientCodec: deps.providers.codec(endpoint.format),
      clientFraming: endpoint.framing,
      proxyId: proxyId ?? "default",
      headers,
      peer: req.socket.remoteAddress,
      readBody: () => readBody(req, deps.maxBodyBytes),
      passthrough,
    });
    return deps.inflight.track(runPipeline(ctx, deps, res));
  });
  return router;
}

function isSigV4(headers: IncomingHttpHeaders): boolean {
  return headers.authorization?.startsWith("AWS4-HMAC-SHA256") === true;
}

/**
 * A SigV4 signature covers the host, so it cannot be forwarded. Its access key id is the only
 * key the client presented: when it is a virtual key the proxy re-signs with the mapped AWS
 * credential; otherwise authentication refuses it.
 */
function withSigV4KeyId(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const { authorization, ...rest } = headers;
  const keyId = SIGV4_CREDENTIAL.exec(authorization ?? "")?.[1];
  return keyId ? { ...rest, "x-api-key": keyId } : rest;
}
