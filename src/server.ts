import express, { type NextFunction, type Request, type Response } from "express";
import type { Router } from "express";
import { chatCodec } from "../adapters/openai/chat/chat-codec.ts";
import { proxyError } from "./canonical/error.ts";
import { toCanonicalError, writeError } from "./pipeline/write-error.ts";

export interface AppRouters {
  oauth: Router;
  modelRouter: Router;
  passthrough: Router;
  admin: Router;
  ops: Router;
}

/** The HTTP application: operations, the model router, the admin API, and clean 404s. */
export function createApp(routers: AppRouters): express.Express {
  const app = express();
  app.disable("x-powered-by");
  app.set("etag", false);
  app.set("query parser", "simple");
  app.use(routers.ops);
  app.use(routers.oauth);
  app.use(routers.modelRouter);
  app.use(routers.passthrough);
  app.use("/api", routers.admin);
  app.use((req: Request, res: Response) => {
    writeError(res, chatCodec, proxyError(404, `No route for ${req.method} ${req.path}`, { code: "not_found" }).error);
  });
  // Errors express itself raises (a body parser's 400/413) answered in the OpenAI shape.
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const status = (err as { status?: number }).status;
    if (typeof status === "number" && status >= 400 && status < 500) {
      writeError(res, chatCodec, proxyError(status, (err as Error).message, { code: "invalid_request" }).error);
      return;
    }
    console.error("portcullis: unhandled error", err);
    writeError(res, chatCodec, toCanonicalError(err));
  });
  return app;
}
