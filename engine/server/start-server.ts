// server/: wires the engine together — store, live model, record service, access, HTTP — and
// starts listening. Used by the CLI's `serve`, by tests (ephemeral port, injectable clock) and by
// benchmarks.

import type { AddressInfo } from 'node:net';
import type { Server, ServerResponse } from 'node:http';
import type { Express } from 'express';
import { anonymousPrincipal, openPolicy, type AccessPolicy } from '../access/policy.ts';
import { createApp, type AppDeps } from '../api/create-app.ts';
import { answerClientError } from '../api/error-handler.ts';
import type { Authenticator } from '../http/http-context.ts';
import { systemClock, withTimeZone, type Clock } from '../kernel/clock.ts';
import { engineVersion } from '../kernel/engine-version.ts';
import { watchWrites } from '../store/write-watch.ts';
import { auditCollection } from '../records/audit-trail.ts';
import { buildMissingMatchKeys, matchKeysCollection, refreshMatchKeys } from '../records/match-keys.ts';
import { RecordService } from '../records/record-service.ts';
import { refreshComputedFields } from '../records/refresh-computed-fields.ts';
import { ModelRuntime } from '../runtime/model-runtime.ts';
import { openStore } from '../store/open-store.ts';
import type { EngineServices, EngineModule, StartedModule } from '../capability/engine-module.ts';
import { engineModules } from './modules.ts';
import { environment, readSettings, type Settings } from '../settings/settings.ts';
import { EngineMetrics, registerMetrics } from '../ops/metrics.ts';
import { log, setLogLevel } from '../kernel/log.ts';
import type { Store } from '../store/store-port.ts';

export interface ServerOptions {
  port?: number;
  host?: string;
  dataDir: string;
  mongodbUri?: string;
  clock?: Clock;
  /** The environment (CRM_ADMIN_EMAIL, SMTP_URL, …, and secrets named by metadata); process.env when omitted. Read and validated once, by readSettings. */
  env?: Record<string, string | undefined>;
  /** Settings already read from `env` (the CLI reads them once); read from `env` when omitted. */
  settings?: Settings;
  /** Capabilities to start; engineModules when omitted. */
  modules?: EngineModule[];
  /** Overrides for tests of the core alone. */
  policy?: AccessPolicy;
  authenticate?: Authenticator;
}

export interface RunningServer {
  url: string;
  metrics: EngineMetrics;
  /** The express app (tests walk its routes). */
  app: Express;
  port: number;
  store: Store;
  runtime: ModelRuntime;
  records: RecordService;
  services: EngineServices;
  /** Closes at once: connections dropped, then the engine (tests). */
  close(): Promise<void>;
  /**
   * A graceful stop (SIGTERM): /api/ready answers 503, no new connection is accepted, requests in
   * flight finish (for at most `timeoutMs`, CRM_SHUTDOWN_TIMEOUT_MS), then the scheduler stops and
   * hands back its job leases, and the store closes.
   */
  shutdown(timeoutMs?: number): Promise<void>;
}

/** The engine without HTTP: store, live model, record service and every module's services and hooks. */
export interface OpenEngine {
  services: EngineServices;
  started: StartedModule[];
  metrics: EngineMetrics;
  /** Stops the modules (work in hand may take `waitMs` more) and closes the store. */
  close(waitMs?: number): Promise<void>;
}

/**
 * Opens the engine on a data folder: what the server runs on, and what the CLI changes metadata and
 * templates through — so both apply the same hooks (workflow state moves, computed-field refresh).
 */
export async function openEngine(options: Omit<ServerOptions, 'port' | 'host'>, baseUrl: () => string = () => ''): Promise<OpenEngine> {
  const env = options.env ?? environment();
  const settings = options.settings ?? readSettings(env); // a wrong or unknown setting stops the start
  // Every "today" the engine makes is the day in CRM_TIME_ZONE: the clock carries the zone.
  const clock = withTimeZone(options.clock ?? systemClock, settings.timeZone);
  setLogLevel(settings.logLevel);
  const opened = await openStore({ dataDir: options.dataDir, ...(options.mongodbUri ? { mongodbUri: options.mongodbUri } : {}) });
  const metrics = new EngineMetrics(opened, clock);
  // Writes to the credential collections reach the authenticator's cache (security/credential-cache.ts).
  const store = watchWrites(metrics.instrument(opened));
  registerMetrics(store, metrics);
  await store.syncCollection(auditCollection);
  await store.syncCollection(matchKeysCollection);
  const runtime = await ModelRuntime.open(store, clock);
  await buildMissingMatchKeys(store, runtime.model);
  const records = new RecordService(store);
  const services: EngineServices = {
    store,
    runtime,
    records,
    clock,
    settings,
    env,
    dataDir: options.dataDir,
    baseUrl,
    policy: options.policy ?? openPolicy,
    authenticate: options.authenticate ?? (async () => anonymousPrincipal),
  };
  const started: StartedModule[] = [];
  for (const module of options.modules ?? engineModules) {
    for (const spec of module.collections ?? []) await store.syncCollection(spec);
    const result = await module.start(services);
    if (result.policy) services.policy = result.policy;
    if (result.authenticate) services.authenticate = result.authenticate;
    started.push(result);
  }
  // Last, after the modules' hooks (a workflow moving records out of removed states) ran.
  runtime.addApplyHook(({ tx, previous, next }) => refreshComputedFields({ tx, previous, next, clock }));
  runtime.addApplyHook(async ({ tx, previous, next }) => {
    await refreshMatchKeys({ tx, previous, next });
    return [];
  });
  return {
    services,
    started,
    metrics,
    async close(waitMs?: number) {
      for (const module of [...started].reverse()) await module.stop?.(waitMs);
      await store.close();
      metrics.close();
    },
  };
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  let url = '';
  const engine = await openEngine(options, () => url);
  const { services, started } = engine;
  const trustProxy = services.settings.trustProxy;
  const { store, runtime, records, clock } = services;
  const deps: AppDeps = {
    runtime,
    records,
    clock,
    policy: services.policy,
    authenticate: services.authenticate,
    storeKind: store.kind,
    version: engineVersion,
    extraRoutes: started.flatMap((m) => m.routes ?? []),
    apiContributions: started.flatMap((m) => (m.openapi ? [m.openapi] : [])),
    trustProxy,
    requestBudgetMs: services.settings.requestBudgetMs,
    ops: {
      metrics: engine.metrics,
      metricsToken: services.settings.metricsToken,
      checks: {
        accepting: () => (stopping ? 'shutting down' : true),
        store: async () => {
          await store.listCollections();
          return true;
        },
        migrations: () => (runtime.model.revision >= 0 && listening ? true : 'starting'),
        ...Object.assign({}, ...started.map((m) => m.readiness ?? {})),
      },
    },
  };
  let stopping = false;
  let listening = false;
  const app = createApp(deps);
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve(s));
  });
  server.keepAliveTimeout = 5000;
  server.on('clientError', answerClientError);
  const port = (server.address() as AddressInfo).port;
  url = `http://${options.host === '0.0.0.0' || !options.host ? '127.0.0.1' : options.host}:${port}`;
  for (const module of started) await module.afterListen?.();
  listening = true;
  const inFlight = new Set<ServerResponse>();
  // One listener function for every response (no closure, no once-wrapper per request): close comes once.
  function answered(this: ServerResponse): void {
    inFlight.delete(this);
  }
  server.prependListener('request', (_req, res) => {
    inFlight.add(res);
    // While stopping, a kept-alive connection closes once its answer is sent.
    if (stopping) res.setHeader('Connection', 'close');
    res.on('close', answered);
  });
  return {
    url,
    metrics: engine.metrics,
    app,
    port,
    store,
    runtime,
    records,
    services,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await engine.close();
    },
    async shutdown(timeoutMs = services.settings.shutdownTimeoutMs) {
      stopping = true;
      const deadline = Date.now() + timeoutMs;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      log.info(`shutting down: ${inFlight.size} request(s) in flight`);
      // Requests in flight finish; connections left idle by them are closed as they go idle.
      while (inFlight.size > 0 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        server.closeIdleConnections();
      }
      if (inFlight.size > 0) log.warn(`shutdown: ${inFlight.size} request(s) still in flight after ${timeoutMs} ms; closing their connections`);
      server.closeAllConnections();
      await closed;
      await engine.close(Math.max(0, deadline - Date.now()));
      log.info('stopped');
    },
  };
}
