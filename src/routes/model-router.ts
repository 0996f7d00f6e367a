import { Router, type Request, type Response } from "express";
import type { WireCodec } from "../../adapters/types.ts";
import type { WireFormat } from "../canonical/extras.ts";
import type { Inflight } from "../http/inflight.ts";
import { readBody } from "../http/read-body.ts";
import { createContext } from "../pipeline/create-context.ts";
import { runPipeline } from "../pipeline/run-pipeline.ts";
import type { ProviderRegistry, Stage } from "../pipeline/stage.ts";
import type { ModelLister } from "./model-lister.ts";

export interface ModelRouterDeps {
  stages: readonly Stage[];
  /** The stages that establish the caller, for GET /models. */
  callerStages: readonly Stage[];
  providers: ProviderRegistry;
  models: ModelLister;
  maxBodyBytes: number;
  inflight: Inflight;
}

const DEFAULT_PROXY = "default";

/**
 * The OpenAI-compatible model router: `/v1/model-router[/:proxyId]/{chat/completions,responses,models}`.
 * The model id names the provider (`anthropic:claude-opus-4-6`); every request runs the pipeline.
 */
export function modelRouter(deps: ModelRouterDeps): Router {
  const router = Router();
  const generate = (format: WireFormat) => {
    const codec: WireCodec = deps.providers.codec(format);
    return (req: Request, res: Response) => {
      const ctx = createContext({
        route: "router",
        clientCodec: codec,
        proxyId: (req.params.proxyId as string | undefined) ?? DEFAULT_PROXY,
        headers: req.headers,
        peer: req.socket.remoteAddress,
        readBody: () => readBody(req, deps.maxBodyBytes),
      });
      return deps.inflight.track(runPipeline(ctx, deps, res));
    };
  };
  const chat = generate("openai-chat");
  const responses = generate("openai-responses");
  const models = (req: Request, res: Response) =>
    deps.models.handle((req.params.proxyId as string | undefined) ?? DEFAULT_PROXY, req, res, deps.callerStages);
  for (const base of ["/v1/model-router", "/v1/model-router/:proxyId"]) {
    router.post(`${base}/chat/completions`, chat);
    router.post(`${base}/responses`, responses);
    router.get(`${base}/models`, models);
  }
  return router;
}
