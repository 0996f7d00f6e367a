import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import { sql } from "kysely";
import { providerRegistry } from "../adapters/registry.ts";
import { applyConfig } from "./config/apply-config.ts";
import { ensureAdminToken } from "./config/ensure-admin-token.ts";
import type { LoadedConfig } from "./config/load-config.ts";
import { Inflight } from "./http/inflight.ts";
import { createObservability, type Observability } from "./observability/observability.ts";
import { createLimitService } from "./limits/create-limit-service.ts";
import type { LimitService } from "./limits/limit-service.ts";
import { limitsRouter } from "./routes/admin/limits.ts";
import type { SpanExporter } from "./observability/tracing/span.ts";
import { UpstreamTransport } from "./http/upstream-transport.ts";
import { buildPipeline } from "./pipeline/pipeline.ts";
import { Authenticator } from "./auth/authenticator.ts";
import { adminRouter } from "./routes/admin/index.ts";
import { oauthRouter } from "./routes/oauth.ts";
import { logsRouter } from "./routes/logs.ts";
import { metricsRouter } from "./routes/metrics.ts";
import { modelLister } from "./routes/model-lister.ts";
import { modelRouter } from "./routes/model-router.ts";
import { passthroughRouter } from "./routes/passthrough.ts";
import { opsRouter } from "./routes/ops.ts";
import { createApp } from "./server.ts";
import { Catalog } from "./store/catalog.ts";
import { openStore, sqlitePath, type Store } from "./store/db.ts";
import { InteractionLog } from "./store/interaction-log.ts";
import { migrate } from "./store/migrations/index.ts";
import { SqliteOffload } from "./store/sqlite-offload.ts";
import { openSecretBox } from "./store/secret-box.ts";

export interface StartOptions {
  config: LoadedConfig;
  env: NodeJS.ProcessEnv;
  /** Where the generated secret key lives when PORTCULLIS_SECRET is unset. */
  keyFile?: string;
  /** Listen on this port instead of the configured one (0: any free port). */
  port?: number;
  /** Where spans go instead of the OTLP endpoint the environment names (tests). */
  spanExporter?: SpanExporter;
  /** The clock limit windows are measured by (tests move it across a window's end). */
  clock?: () => number;
}

export interface Portcullis {
  url: string;
  server: Server;
  /** Generated secrets (virtual keys, admin token) to print once: they are never shown again. */
  printOnce: string[];
  interactions: InteractionLog;
  /** Cost calculator, Prometheus metrics, tracer. */
  observability: Observability;
  catalog: Catalog;
  /** Cost, token and request limits and their counters. */
  limits: LimitService;
  store: Store;
  /** Stops accepting, lets requests in flight finish (up to `graceMs`), flushes the log, closes the store. */
  close(graceMs?: number): Promise<void>;
}

/** Opens the store, applies the config, and starts serving. */
export async function startPortcullis(options: StartOptions): Promise<Portcullis> {
  const { config, env } = options;
  const store = await openStore(config.database.url);
  await migrate(store);
  const box = openSecretBox({ env, keyFile: options.keyFile });
  const applied = await applyConfig(store, box, config);
  const admin = await ensureAdminToken(store, env);
  const catalog = await Catalog.load(store, box);
  catalog.watch(1000);
  const { auth } = config;
  const authenticator = new Authenticator(catalog, {
    issuer: auth.issuer,
    accessTokenTtlSeconds: auth.accessTokenTtlSeconds,
    failedAttempts: auth.failedAuthLimit,
    clientAddress: { trustedProxies: auth.trustedProxies, header: auth.clientAddressHeader },
  });
  // SQLite is synchronous: the log's writes and the usage aggregates run on a worker thread.
  const sqliteFile = store.dialect === "sqlite" ? sqlitePath(config.database.url) : undefined;
  const offload = sqliteFile && sqliteFile !== ":memory:" ? new SqliteOffload(sqliteFile) : undefined;
  const interactions = new InteractionLog(store, { intervalMs: config.observability.flushIntervalMs, maxBodyBytes: config.observability.maxBodyBytes, offload });
  const observability = createObservability(config.observability, env, { spanExporter: options.spanExporter });
  const transport = new UpstreamTransport();
  const limits = await createLimitService({ store, generation: () => catalog.generation, costs: observability.costs, env, now: options.clock });
  const services = { catalog, authenticator, providers: providerRegistry, transport, interactions, observability, limits, policies: catalog };
  const pipeline = buildPipeline(services);
  const inflight = new Inflight();
  const app = createApp({
    ops: express.Router().use(opsRouter({ ready: async () => void (await sql`select 1`.execute(store.db)) }), metricsRouter(observability.metrics, { token: config.observability.metricsToken })),
    oauth: oauthRouter({ authenticator, catalog }),
    modelRouter: modelRouter({ ...pipeline, providers: providerRegistry, models: modelLister(services), maxBodyBytes: config.server.maxBodyBytes, inflight }),
    passthrough: passthroughRouter({ stages: pipeline.stages, providers: providerRegistry, catalog, maxBodyBytes: config.server.maxBodyBytes, inflight }),
    // The logs API (/api/interactions, /api/usage) first: it answers only its own paths.
    admin: express.Router().use(logsRouter({ db: store.db, dialect: store.dialect, offload }, authenticator), limitsRouter({ store, catalog, limits, authenticator }), adminRouter({ store, catalog, box, authenticator })),
  });
  const server = createServer(app);
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  server.requestTimeout = 0; // LLM answers may stream for many minutes
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? config.server.port, config.server.host, resolve);
  });
  const address = server.address() as AddressInfo;
  const url = `http://${address.family === "IPv6" ? `[${address.address}]` : address.address}:${address.port}`;
  // Without a configured issuer our tokens name the address we listen on (fine for one instance).
  if (!auth.issuer) authenticator.issuer = url;
  let closing: Promise<void> | undefined;
  return {
    url,
    server,
    printOnce: [...admin.printOnce, ...applied.printOnce],
    interactions,
    observability,
    catalog,
    limits,
    store,
    close(graceMs = 10_000) {
      closing ??= (async () => {
        const drained = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        const timer = setTimeout(() => server.closeAllConnections(), graceMs);
        await drained;
        clearTimeout(timer);
        // Connections are gone; let every interaction finish recording before the log closes.
        await inflight.drain();
        await interactions.close();
        await limits.close();
        await offload?.close();
        await observability.close();
        await catalog.close();
        await transport.close();
        await store.close();
      })();
      return closing;
    },
  };
}
