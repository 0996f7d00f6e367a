import { createHash, timingSafeEqual } from "node:crypto";
import { Router } from "express";
import type { LlmMetrics } from "../observability/metrics/llm-metrics.ts";

const digest = (text: string) => createHash("sha256").update(text).digest();

/**
 * `GET /metrics`: Prometheus exposition of the LLM metrics and the process metrics. Open by
 * default, as scrapers expect; with a token configured, only `Authorization: Bearer <token>`
 * (Prometheus' `authorization` scrape setting) gets it.
 */
export function metricsRouter(metrics: LlmMetrics, options: { token?: string } = {}): Router {
  const router = Router();
  const expected = options.token === undefined ? undefined : digest(options.token);
  router.get("/metrics", async (req, res) => {
    if (expected) {
      const given = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? "")?.[1];
      // Digests: equal lengths for timingSafeEqual, and no timing hint of the token's length.
      if (!given || !timingSafeEqual(digest(given), expected)) {
        res.status(401).setHeader("www-authenticate", 'Bearer realm="metrics"').json({ error: { message: "GET /metrics wants the metrics token: Authorization: Bearer <token>", type: "authentication_error", code: "invalid_metrics_token" } });
        return;
      }
    }
    const { contentType, body } = await metrics.scrape();
    res.setHeader("content-type", contentType);
    res.setHeader("cache-control", "no-store");
    res.end(body);
  });
  return router;
}
