import { Router } from "express";

export interface OpsDeps {
  /** Resolves when the store answers. */
  ready(): Promise<void>;
}

/** Liveness and readiness for orchestrators. */
export function opsRouter(deps: OpsDeps): Router {
  const router = Router();
  router.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });
  router.get("/readyz", async (_req, res) => {
    try {
      await deps.ready();
      res.json({ status: "ready" });
    } catch (err) {
      res.status(503).json({ status: "unavailable", reason: (err as Error).message });
    }
  });
  return router;
}
