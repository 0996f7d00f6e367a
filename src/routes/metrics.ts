import { Router } from "express";
import type { LlmMetrics } from "../observability/metrics/llm-metrics.ts";

/** `GET /metrics`: Prometheus exposition of the LLM metrics and the process metrics. */
export function metricsRouter(metrics: LlmMetrics): Router {
  const router = Router();
  router.get("/metrics", async (_req, res) => {
    const { contentType, body } = await metrics.scrape();
    res.setHeader("content-type", contentType);
    res.setHeader("cache-control", "no-store");
    res.end(body);
  });
  return router;
}
