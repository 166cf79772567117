// server/: wires the engine together — store, live model, record service, access, HTTP — and
// starts listening. Used by the CLI's `serve`, by tests (ephemeral port, injectable clock) and by
// benchmarks.

import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { Express } from 'express';
import { readFileSync } from 'node:fs';
import { anonymousPrincipal, openPolicy, type AccessPolicy } from '../access/policy.ts';
import { createApp, type AppDeps } from '../api/create-app.ts';
import type { Authenticator } from '../http/http-context.ts';
import { systemClock, type Clock } from '../kernel/clock.ts';
import { auditCollection } from '../records/audit-trail.ts';
import { RecordService } from '../records/record-service.ts';
import { refreshComputedFields } from '../records/refresh-computed-fields.ts';
import { ModelRuntime } from '../runtime/model-runtime.ts';
import { openStore } from '../store/open-store.ts';
import type { EngineServices, EngineModule, StartedModule } from './engine-module.ts';
import { engineModules } from './modules.ts';
import { trustProxySetting } from '../http/trust-proxy.ts';
import { requestBudgetSetting } from '../kernel/request-budget.ts';
import type { Store } from '../store/store-port.ts';

export interface ServerOptions {
  port?: number;
  host?: string;
  dataDir: string;
  mongodbUri?: string;
  clock?: Clock;
  /** Environment settings (CRM_ADMIN_EMAIL, SMTP_URL, …); process.env when omitted. */
  env?: Record<string, string | undefined>;
  /** Capabilities to start; engineModules when omitted. */
  modules?: EngineModule[];
  /** Overrides for tests of the core alone. */
  policy?: AccessPolicy;
  authenticate?: Authenticator;
}

export interface RunningServer {
  url: string;
  /** The express app (tests walk its routes). */
  app: Express;
  port: number;
  store: Store;
  runtime: ModelRuntime;
  records: RecordService;
  services: EngineServices;
  close(): Promise<void>;
}

export const engineVersion: string = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/** The engine without HTTP: store, live model, record service and every module's services and hooks. */
export interface OpenEngine {
  services: EngineServices;
  started: StartedModule[];
  /** Stops the modules and closes the store. */
  close(): Promise<void>;
}

/**
 * Opens the engine on a data folder: what the server runs on, and what the CLI changes metadata and
 * templates through — so both apply the same hooks (workflow state moves, computed-field refresh).
 */
export async function openEngine(options: Omit<ServerOptions, 'port' | 'host'>, baseUrl: () => string = () => ''): Promise<OpenEngine> {
  const clock = options.clock ?? systemClock;
  const store = await openStore({ dataDir: options.dataDir, ...(options.mongodbUri ? { mongodbUri: options.mongodbUri } : {}) });
  await store.syncCollection(auditCollection);
  const runtime = await ModelRuntime.open(store, clock);
  const records = new RecordService(store);
  const services: EngineServices = {
    store,
    runtime,
    records,
    clock,
    env: options.env ?? process.env,
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
  return {
    services,
    started,
    async close() {
      for (const module of [...started].reverse()) await module.stop?.();
      await store.close();
    },
  };
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  let url = '';
  const trustProxy = trustProxySetting((options.env ?? process.env)['CRM_TRUST_PROXY']); // a wrong value stops the start
  const requestBudgetMs = requestBudgetSetting((options.env ?? process.env)['CRM_REQUEST_BUDGET_MS']);
  const engine = await openEngine(options, () => url);
  const { services, started } = engine;
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
    requestBudgetMs,
  };
  const app = createApp(deps);
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve(s));
  });
  server.keepAliveTimeout = 5000;
  const port = (server.address() as AddressInfo).port;
  url = `http://${options.host === '0.0.0.0' || !options.host ? '127.0.0.1' : options.host}:${port}`;
  for (const module of started) await module.afterListen?.();
  return {
    url,
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
  };
}
